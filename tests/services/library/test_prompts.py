"""Modular prompts (seed 000): folders and trash, ordered modules with options, typed
variables and rendering with errors that name the variable."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from promptterm.db.models import ModuleOption
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.library.prompts import PromptInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _bob(services: Services, clock: FixedClock) -> Services:
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def _prompt_with(services: Services, *texts: str) -> PromptInfo:
    """A prompt with one single-option module per text."""
    prompt = services.prompts.create("Prompt")
    for i, text in enumerate(texts):
        services.prompts.add_module(prompt.id, f"Module {i}", [text])
    return services.prompts.get(prompt.id)


# Folders and trash -------------------------------------------------------------------------


def test_folder_names_are_unique_per_user(services: Services, clock: FixedClock) -> None:
    folder = services.prompts.create_folder("  Work  ")
    assert folder.name == "Work"
    with pytest.raises(Conflict, match="already have a folder named 'Work'"):
        services.prompts.create_folder("Work")
    with pytest.raises(ValidationError) as err:
        services.prompts.create_folder("   ")
    assert err.value.field == "name"
    assert _bob(services, clock).prompts.create_folder("Work").name == "Work"
    assert [f.name for f in services.prompts.folders()] == ["Work"]


def test_a_name_in_the_trash_is_still_taken(services: Services) -> None:
    folder = services.prompts.create_folder("Old")
    services.prompts.delete_folder(folder.id)
    with pytest.raises(Conflict, match="'Old' in the trash"):
        services.prompts.create_folder("Old")


def test_deleting_a_folder_moves_it_and_its_prompts_to_the_trash(
    services: Services, clock: FixedClock
) -> None:
    folder = services.prompts.create_folder("Work")
    inside = services.prompts.create("Inside", folder_id=folder.id)
    outside = services.prompts.create("Outside")
    clock.advance(minutes=1)
    services.prompts.delete_folder(folder.id)

    assert services.prompts.folders() == []
    [trashed] = services.prompts.folders(trash=True)
    assert (trashed.id, trashed.deleted_at) == (folder.id, clock())
    assert [p.name for p in services.prompts.list()] == ["Outside"]
    assert [p.name for p in services.prompts.list(trash=True)] == ["Inside"]
    assert services.prompts.get(inside.id).deleted_at == clock()
    with pytest.raises(NotFound, match="'Inside' is in the trash; restore it first"):
        services.prompts.add_module(inside.id, "M", ["text"])
    with pytest.raises(NotFound):
        services.prompts.find("Inside")
    assert services.prompts.find("Outside").id == outside.id


def test_restoring_a_folder_brings_back_the_prompts_deleted_with_it(
    services: Services, clock: FixedClock
) -> None:
    folder = services.prompts.create_folder("Work")
    earlier = services.prompts.create("Deleted earlier", folder_id=folder.id)
    services.prompts.create("With folder", folder_id=folder.id)
    services.prompts.delete(earlier.id)
    clock.advance(hours=1)
    services.prompts.delete_folder(folder.id)

    services.prompts.restore_folder(folder.id)
    assert [f.name for f in services.prompts.folders()] == ["Work"]
    assert services.prompts.folders(trash=True) == []
    assert [p.name for p in services.prompts.list(folder_id=folder.id)] == ["With folder"]
    # The prompt the user had deleted before stays in the trash.
    assert [p.name for p in services.prompts.list(trash=True)] == ["Deleted earlier"]


def test_no_new_prompts_in_a_folder_in_the_trash(services: Services) -> None:
    folder = services.prompts.create_folder("Old")
    services.prompts.delete_folder(folder.id)
    with pytest.raises(NotFound, match="'Old' is in the trash; restore it first"):
        services.prompts.create("Lost", folder_id=folder.id)
    assert services.prompts.list() == []
    services.prompts.restore_folder(folder.id)
    assert services.prompts.create("Found", folder_id=folder.id).folder_id == folder.id


def test_restoring_a_prompt_whose_folder_is_still_in_the_trash(services: Services) -> None:
    folder = services.prompts.create_folder("Work")
    prompt = services.prompts.create("P", folder_id=folder.id)
    services.prompts.delete_folder(folder.id)
    restored = services.prompts.restore(prompt.id)
    assert (restored.deleted_at, restored.folder_id) == (None, None)
    assert [p.name for p in services.prompts.list()] == ["P"]


def test_empty_trash_removes_only_what_is_older_than_30_days(
    services: Services, clock: FixedClock
) -> None:
    old = services.prompts.create("Old")
    folder = services.prompts.create_folder("Old folder")
    services.prompts.create("In old folder", folder_id=folder.id)
    services.prompts.delete(old.id)
    services.prompts.delete_folder(folder.id)
    clock.advance(days=10)
    recent = services.prompts.create("Recent")
    services.prompts.delete(recent.id)
    services.prompts.create("Kept")

    clock.advance(days=19, hours=23)
    assert services.prompts.empty_trash() == 0
    assert len(services.prompts.list(trash=True)) == 3

    clock.advance(hours=1)  # the first ones have been in the trash 30 days now
    assert services.prompts.empty_trash() == 3  # two prompts and the folder
    assert [p.name for p in services.prompts.list(trash=True)] == ["Recent"]
    assert services.prompts.folders(trash=True) == []
    with pytest.raises(NotFound):
        services.prompts.get(old.id)
    with pytest.raises(NotFound):
        services.prompts.restore(old.id)
    assert [p.name for p in services.prompts.list()] == ["Kept"]


def test_empty_trash_leaves_other_users_alone(services: Services, clock: FixedClock) -> None:
    bob = _bob(services, clock)
    bobs = bob.prompts.create("Bob's")
    bob.prompts.delete(bobs.id)
    clock.advance(days=31)
    assert services.prompts.empty_trash() == 0
    assert [p.name for p in bob.prompts.list(trash=True)] == ["Bob's"]


# Modules and options -----------------------------------------------------------------------


def test_modules_render_in_order_a_blank_line_apart(services: Services) -> None:
    prompt = _prompt_with(services, "First.", "Second.", "Third.")
    assert [(m.name, m.order_index) for m in prompt.modules] == [
        ("Module 0", 0),
        ("Module 1", 1),
        ("Module 2", 2),
    ]
    assert services.prompts.render(prompt.id) == "First.\n\nSecond.\n\nThird."


def test_reorder_modules(services: Services) -> None:
    prompt = _prompt_with(services, "A", "B", "C")
    a, b, c = (m.id for m in prompt.modules)
    services.prompts.reorder_modules(prompt.id, [c, a, b])
    assert services.prompts.render(prompt.id) == "C\n\nA\n\nB"
    assert [m.name for m in services.prompts.get(prompt.id).modules] == [
        "Module 2",
        "Module 0",
        "Module 1",
    ]
    for wrong in ([a, b], [a, b, c, c], [a, b, uuid.uuid4()]):
        with pytest.raises(ValidationError, match="every module of the prompt exactly once"):
            services.prompts.reorder_modules(prompt.id, wrong)
    assert services.prompts.render(prompt.id) == "C\n\nA\n\nB"


def test_hidden_modules_are_left_out(services: Services) -> None:
    prompt = _prompt_with(services, "A", "B", "C")
    middle = prompt.modules[1]
    services.prompts.set_module_visible(middle.id, False)
    assert services.prompts.get(prompt.id).modules[1].visible is False
    assert services.prompts.render(prompt.id) == "A\n\nC"
    services.prompts.set_module_visible(middle.id, True)
    assert services.prompts.render(prompt.id) == "A\n\nB\n\nC"


def test_a_module_needs_options(services: Services) -> None:
    prompt = services.prompts.create("P")
    with pytest.raises(ValidationError, match="at least one option"):
        services.prompts.add_module(prompt.id, "Empty", [])
    with pytest.raises(ValidationError):
        services.prompts.add_module(prompt.id, "Blank option", ["   "])
    with pytest.raises(ValidationError):
        services.prompts.add_module(prompt.id, "  ", ["text"])
    assert services.prompts.get(prompt.id).modules == ()


def test_the_first_option_is_the_default_and_exactly_one_stays_default(
    services: Services,
) -> None:
    prompt = services.prompts.create("P")
    module = services.prompts.add_module(prompt.id, "Tone", ["Formal.", "Casual.", "Pirate."])
    assert [o.is_default for o in module.options] == [True, False, False]
    assert services.prompts.render(prompt.id) == "Formal."

    pirate = module.options[2]
    services.prompts.set_default_option(pirate.id)
    options = services.prompts.get(prompt.id).modules[0].options
    assert [o.is_default for o in options] == [False, False, True]
    assert services.prompts.render(prompt.id) == "Pirate."
    services.prompts.set_default_option(pirate.id)  # again: still exactly one
    assert [o.is_default for o in services.prompts.get(prompt.id).modules[0].options] == [
        False,
        False,
        True,
    ]


def test_the_database_refuses_a_second_default_option(services: Services) -> None:
    prompt = services.prompts.create("P")
    module = services.prompts.add_module(prompt.id, "Tone", ["Formal.", "Casual."])
    with pytest.raises(IntegrityError), services.ctx.db.session() as session:
        casual = session.get(ModuleOption, module.options[1].id)
        assert casual is not None
        casual.is_default = True
        session.add(casual)
        session.flush()
    assert [o.is_default for o in services.prompts.get(prompt.id).modules[0].options] == [
        True,
        False,
    ]


def test_options_keep_the_order_they_were_given_in(services: Services) -> None:
    prompt = services.prompts.create("P")
    texts = [f"Variant {n}." for n in range(1, 13)]
    module = services.prompts.add_module(prompt.id, "Many", texts)
    assert [o.content for o in module.options] == texts
    assert [o.content for o in services.prompts.get(prompt.id).modules[0].options] == texts
    assert module.options[0].is_default


def test_render_with_a_chosen_option(services: Services) -> None:
    prompt = services.prompts.create("P")
    tone = services.prompts.add_module(prompt.id, "Tone", ["Formal.", "Casual."])
    other = services.prompts.add_module(prompt.id, "Task", ["Summarise."])
    casual = tone.options[1]
    assert (
        services.prompts.render(prompt.id, options={tone.id: casual.id}) == "Casual.\n\nSummarise."
    )
    with pytest.raises(ValidationError, match="not one of 'Tone'"):
        services.prompts.render(prompt.id, options={tone.id: other.options[0].id})


# Variables ---------------------------------------------------------------------------------


def test_typed_variables_render_their_values(services: Services, clock: FixedClock) -> None:
    prompt = _prompt_with(
        services,
        "Write about {{topic}} for {{ audience }}.",
        "Notes:\n{{notes}}",
        "Use {{words}} words. Emojis: {{emojis}}. Tone: {{tone}}.",
    )
    define = services.prompts.define_variable
    define(prompt.id, "topic", "text", required=True)
    clock.advance(seconds=1)
    define(prompt.id, "audience", "text", default="developers")
    clock.advance(seconds=1)
    define(prompt.id, "notes", "multiline")
    clock.advance(seconds=1)
    define(prompt.id, "words", "number", min=50, max=500, default=100)
    clock.advance(seconds=1)
    define(prompt.id, "emojis", "boolean", default=False)
    clock.advance(seconds=1)
    define(prompt.id, "tone", "choice", choices=["formal", "casual"], default="formal")
    # Listed in the order they were defined.
    assert [v.name for v in services.prompts.get(prompt.id).variables] == [
        "topic",
        "audience",
        "notes",
        "words",
        "emojis",
        "tone",
    ]

    assert services.prompts.render(prompt.id, {"topic": "SQLite"}) == (
        "Write about SQLite for developers.\n\nNotes:\n\n\n"
        "Use 100 words. Emojis: false. Tone: formal."
    )
    rendered = services.prompts.render(
        prompt.id,
        {
            "topic": "Postgres",
            "audience": "DBAs",
            "notes": "line one\nline two",
            "words": "250",
            "emojis": "yes",
            "tone": "casual",
        },
    )
    assert rendered == (
        "Write about Postgres for DBAs.\n\nNotes:\nline one\nline two\n\n"
        "Use 250 words. Emojis: true. Tone: casual."
    )


def test_a_missing_required_variable_is_named(services: Services, clock: FixedClock) -> None:
    prompt = _prompt_with(services, "{{topic}} {{audience}}")
    services.prompts.define_variable(prompt.id, "topic", "text", required=True)
    clock.advance(seconds=1)
    services.prompts.define_variable(prompt.id, "audience", "text", required=True)
    with pytest.raises(ValidationError, match="required variables: topic, audience") as err:
        services.prompts.render(prompt.id)
    assert err.value.field == "topic"
    with pytest.raises(ValidationError, match="required variable: audience") as err:
        services.prompts.render(prompt.id, {"topic": "x", "audience": ""})
    assert err.value.field == "audience"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("many", "words must be a number; got 'many'"),
        ("10", "words must be at least 50; got 10"),
        ("501", "words must be at most 500; got 501"),
        ("nan", "words must be a number"),
    ],
)
def test_an_invalid_number_is_named(services: Services, value: str, message: str) -> None:
    prompt = _prompt_with(services, "{{words}}")
    services.prompts.define_variable(prompt.id, "words", "number", min=50, max=500)
    with pytest.raises(ValidationError, match=message) as err:
        services.prompts.render(prompt.id, {"words": value})
    assert err.value.field == "words"


def test_invalid_boolean_choice_and_text_values_are_named(services: Services) -> None:
    prompt = _prompt_with(services, "{{flag}} {{tone}} {{title}}")
    services.prompts.define_variable(prompt.id, "flag", "boolean")
    services.prompts.define_variable(prompt.id, "tone", "choice", choices=["formal", "casual"])
    services.prompts.define_variable(prompt.id, "title", "text", max=10)
    with pytest.raises(ValidationError, match="flag must be yes or no; got 'maybe'"):
        services.prompts.render(prompt.id, {"flag": "maybe"})
    with pytest.raises(ValidationError, match="tone must be one of formal, casual; got 'rude'"):
        services.prompts.render(prompt.id, {"tone": "rude"})
    with pytest.raises(ValidationError, match="title is a single line"):
        services.prompts.render(prompt.id, {"title": "a\nb"})
    with pytest.raises(ValidationError, match="title allows at most 10 characters"):
        services.prompts.render(prompt.id, {"title": "x" * 11})


def test_unknown_placeholders_are_an_error_not_a_blank(services: Services) -> None:
    prompt = _prompt_with(services, "Hello {{name}}, about {{topik}}.")
    services.prompts.define_variable(prompt.id, "name", "text", default="you")
    with pytest.raises(
        ValidationError, match="uses \\{\\{topik\\}\\} but the prompt has no variable 'topik'"
    ) as err:
        services.prompts.render(prompt.id)
    assert err.value.field == "topik"


def test_values_for_unknown_variables_are_refused(services: Services) -> None:
    prompt = _prompt_with(services, "{{topic}}")
    services.prompts.define_variable(prompt.id, "topic", "text")
    with pytest.raises(ValidationError, match="Unknown variable topics; this prompt has topic"):
        services.prompts.render(prompt.id, {"topics": "x"})


def test_placeholders_in_hidden_modules_do_not_matter(services: Services) -> None:
    prompt = _prompt_with(services, "Visible.", "Uses {{undefined}}.")
    services.prompts.set_module_visible(prompt.modules[1].id, False)
    assert services.prompts.render(prompt.id) == "Visible."


def test_values_are_inserted_verbatim(services: Services) -> None:
    prompt = _prompt_with(services, "A={{a}} B={{b}}")
    services.prompts.define_variable(prompt.id, "a", "text")
    services.prompts.define_variable(prompt.id, "b", "text", default="bee")
    assert services.prompts.render(prompt.id, {"a": "{{b}}"}) == "A={{b}} B=bee"


@pytest.mark.parametrize(
    ("name", "kind", "config", "match"),
    [
        ("1st", "text", {}, "not a usable variable name"),
        ("has space", "text", {}, "not a usable variable name"),
        ("tone", "choice", {}, "needs choices"),
        ("words", "number", {"min": 10, "max": 5}, "min 10 is above max 5"),
        ("words", "number", {"default": "lots"}, "must be a number"),
        ("tone", "choice", {"choices": ["a", "b"], "default": "c"}, "must be one of a, b"),
        ("when", "date", {}, "Variable type must be one of"),
    ],
)
def test_variable_definitions_are_checked(
    services: Services, name: str, kind: str, config: dict[str, object], match: str
) -> None:
    prompt = services.prompts.create("P")
    with pytest.raises(ValidationError, match=match):
        services.prompts.define_variable(prompt.id, name, kind, **config)
    assert services.prompts.get(prompt.id).variables == ()


def test_a_variable_name_is_defined_once_per_prompt(services: Services) -> None:
    prompt = services.prompts.create("P")
    other = services.prompts.create("Other")
    services.prompts.define_variable(prompt.id, "topic")
    with pytest.raises(Conflict, match="already has a variable 'topic'"):
        services.prompts.define_variable(prompt.id, "topic", "multiline")
    assert services.prompts.define_variable(other.id, "topic").name == "topic"
    assert [(v.name, v.type) for v in services.prompts.get(prompt.id).variables] == [
        ("topic", "text")
    ]


# Ownership ---------------------------------------------------------------------------------


def test_another_user_cannot_see_or_change_my_prompts(
    services: Services, clock: FixedClock
) -> None:
    folder = services.prompts.create_folder("Mine")
    prompt = services.prompts.create("Mine", folder_id=folder.id)
    module = services.prompts.add_module(prompt.id, "M", ["one", "two"])
    bob = _bob(services, clock)
    assert bob.prompts.list() == [] and bob.prompts.folders() == []
    for action in (
        lambda: bob.prompts.get(prompt.id),
        lambda: bob.prompts.find("Mine"),
        lambda: bob.prompts.render(prompt.id),
        lambda: bob.prompts.delete(prompt.id),
        lambda: bob.prompts.add_module(prompt.id, "Injected", ["x"]),
        lambda: bob.prompts.set_module_visible(module.id, False),
        lambda: bob.prompts.set_default_option(module.options[1].id),
        lambda: bob.prompts.define_variable(prompt.id, "x"),
        lambda: bob.prompts.delete_folder(folder.id),
        lambda: bob.prompts.create("Into your folder", folder_id=folder.id),
    ):
        with pytest.raises(NotFound):
            action()
    assert services.prompts.render(prompt.id) == "one"
    assert [f.name for f in services.prompts.folders()] == ["Mine"]
    assert services.prompts.get(prompt.id).modules[0].visible


def test_prompt_validation(services: Services) -> None:
    with pytest.raises(ValidationError) as err:
        services.prompts.create("  ")
    assert err.value.field == "name"
    with pytest.raises(NotFound):
        services.prompts.create("P", folder_id=uuid.uuid4())
    made = services.prompts.create("  Named  ", description="  About  ")
    assert (made.name, made.description) == ("Named", "About")


def test_empty_trash_can_use_a_shorter_age(services: Services, clock: FixedClock) -> None:
    prompt = services.prompts.create("P")
    services.prompts.delete(prompt.id)
    clock.advance(days=2)
    assert services.prompts.empty_trash() == 0
    assert services.prompts.empty_trash(older_than_days=1) == 1
    assert services.prompts.list(trash=True) == []
