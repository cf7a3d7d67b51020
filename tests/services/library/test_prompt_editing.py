"""Modular prompts edited in place (issue 15): every verb, its refusals (seed 000's limits,
one default per module, dense module positions) and the version precondition."""

from __future__ import annotations

import threading
import uuid

import pytest

from promptterm.services.errors import Conflict, NotFound, StaleEdit, ValidationError
from promptterm.services.facade import Services
from promptterm.services.library.prompt_info import PromptInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _prompt(services: Services, *modules: tuple[str, list[str]]) -> PromptInfo:
    made = services.prompts.create("Review")
    for name, options in modules:
        services.prompts.add_module(made.id, name, options)
    return services.prompts.get(made.id)


def _positions(info: PromptInfo) -> list[tuple[str, int]]:
    return [(m.name, m.order_index) for m in info.modules]


# The prompt itself ---------------------------------------------------------------------------


def test_rename_describe_and_move_a_prompt(services: Services) -> None:
    folder = services.prompts.create_folder("Work")
    made = services.prompts.create("Draft", description="first")
    edits = services.prompt_edits
    after = edits.rename(made.id, "  Code review  ", expected_version=made.version)
    assert (after.name, after.version) == ("Code review", made.version + 1)
    after = edits.describe(made.id, "Reviews a diff.", expected_version=after.version)
    assert after.description == "Reviews a diff."
    after = edits.move(made.id, folder.id, expected_version=after.version)
    assert after.folder_id == folder.id
    cleared = edits.describe(made.id, "", expected_version=after.version)
    assert cleared.description is None
    moved_out = edits.move(made.id, None, expected_version=cleared.version)
    assert moved_out.folder_id is None and moved_out.version == made.version + 5


def test_prompt_fields_keep_seed_000s_limits(services: Services) -> None:
    made = services.prompts.create("Draft")
    edits = services.prompt_edits
    with pytest.raises(ValidationError) as err:
        edits.rename(made.id, "x" * 256)
    assert err.value.field == "name" and "255" in err.value.message
    with pytest.raises(ValidationError, match="required"):
        edits.rename(made.id, "   ")
    with pytest.raises(ValidationError, match="control character"):
        edits.rename(made.id, "bad\x1b[31mname")
    with pytest.raises(ValidationError) as err:
        edits.describe(made.id, "d" * 2001)
    assert err.value.field == "description"
    with pytest.raises(ValidationError) as err:
        edits.set_category(made.id, "c" * 51)
    assert err.value.field == "category"
    assert services.prompts.get(made.id).version == made.version  # nothing was kept


def test_moving_into_a_trashed_or_missing_folder_is_refused(services: Services) -> None:
    made = services.prompts.create("Draft")
    folder = services.prompts.create_folder("Old")
    services.prompts.delete_folder(folder.id)
    with pytest.raises(NotFound, match="in the trash"):
        services.prompt_edits.move(made.id, folder.id)
    with pytest.raises(NotFound, match="folder does not exist"):
        services.prompt_edits.move(made.id, uuid.uuid4())


def test_an_edit_that_changes_nothing_keeps_no_version(services: Services) -> None:
    made = services.prompts.create("Draft", description="same")
    after = services.prompt_edits.rename(made.id, " Draft ", expected_version=made.version)
    after = services.prompt_edits.describe(made.id, "same", expected_version=after.version)
    assert after.version == made.version
    assert len(services.prompt_edits.versions(made.id)) == 1


def test_a_stale_edit_is_refused_as_a_conflict(services: Services) -> None:
    made = services.prompts.create("Draft")
    services.prompt_edits.rename(made.id, "Mine", expected_version=made.version)
    # A StaleEdit: screens keep the form's text and let a second submit through.
    with pytest.raises(StaleEdit, match=r"you started from v1, it is now v2"):
        services.prompt_edits.describe(made.id, "stale", expected_version=made.version)
    assert services.prompts.get(made.id).description is None


def test_someone_elses_or_a_trashed_prompt_cannot_be_edited(
    services: Services, clock: FixedClock
) -> None:
    made = services.prompts.create("Mine")
    bob = services.as_user(
        create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4()).id
    )
    with pytest.raises(NotFound):
        bob.prompt_edits.rename(made.id, "Stolen")
    services.prompts.delete(made.id)
    with pytest.raises(NotFound, match="in the trash"):
        services.prompt_edits.rename(made.id, "Again")


# Modules ------------------------------------------------------------------------------------


def test_add_rename_hide_and_delete_modules(services: Services) -> None:
    info = _prompt(services, ("Role", ["You review code."]), ("Tone", ["Be kind."]))
    edits = services.prompt_edits
    role, tone = info.modules
    info = edits.add_module(info.id, "Format", ["Use bullets.", "Use prose."], position=1)
    assert _positions(info) == [("Role", 0), ("Format", 1), ("Tone", 2)]
    assert [o.is_default for o in info.modules[1].options] == [True, False]
    info = edits.rename_module(info.id, tone.id, "Voice", expected_version=info.version)
    info = edits.set_module_visible(info.id, role.id, False, expected_version=info.version)
    assert services.prompts.render(info.id) == "Use bullets.\n\nBe kind."
    info = edits.delete_module(info.id, info.modules[1].id, expected_version=info.version)
    assert _positions(info) == [("Role", 0), ("Voice", 1)]
    assert [m.visible for m in info.modules] == [False, True]


def test_module_names_and_options_keep_their_limits(services: Services) -> None:
    info = _prompt(services, ("Role", ["x"]))
    edits = services.prompt_edits
    with pytest.raises(ValidationError, match="at least one option"):
        edits.add_module(info.id, "Empty", [])
    with pytest.raises(ValidationError) as err:
        edits.add_module(info.id, "m" * 256, ["x"])
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        edits.add_module(info.id, "Big", ["o" * 20001])
    assert err.value.field == "content" and "20000" in err.value.message
    with pytest.raises(ValidationError, match="Position 5 is out of range"):
        edits.move_module(info.id, info.modules[0].id, 4)
    with pytest.raises(NotFound, match="no such module"):
        edits.rename_module(info.id, uuid.uuid4(), "Ghost")
    assert services.prompts.get(info.id).version == info.version


def test_positions_stay_dense_after_deletes_and_moves(services: Services) -> None:
    info = _prompt(services, *[(f"M{i}", [f"text {i}"]) for i in range(5)])
    edits = services.prompt_edits
    ids = {m.name: m.id for m in info.modules}
    info = edits.delete_module(info.id, ids["M1"])
    info = edits.delete_module(info.id, ids["M3"])
    assert _positions(info) == [("M0", 0), ("M2", 1), ("M4", 2)]
    info = edits.move_module(info.id, ids["M4"], 0)
    assert _positions(info) == [("M4", 0), ("M0", 1), ("M2", 2)]
    info = edits.move_module(info.id, ids["M4"], 2)
    assert _positions(info) == [("M0", 0), ("M2", 1), ("M4", 2)]
    info = edits.add_module(info.id, "New", ["n"], position=0)
    assert [i for _, i in _positions(info)] == [0, 1, 2, 3]


def test_concurrent_reorders_leave_dense_positions(services: Services) -> None:
    """Two editors reordering at once: each edit runs under the prompt's lock, so every
    result has positions 0..n-1; those that started from an old version get a Conflict."""
    info = _prompt(services, *[(f"M{i}", [f"t{i}"]) for i in range(6)])
    ids = [m.id for m in info.modules]
    outcomes: list[str] = []
    lock = threading.Lock()

    def reorder(n: int) -> None:
        order = ids[n:] + ids[:n]
        try:
            services.prompt_edits.reorder_modules(info.id, order, expected_version=info.version)
            result = "ok"
        except Conflict:
            result = "conflict"
        with lock:
            outcomes.append(result)

    def move(n: int) -> None:
        services.prompt_edits.move_module(info.id, ids[n], 0)  # no precondition: always applies
        with lock:
            outcomes.append("moved")

    workers = [threading.Thread(target=reorder, args=(n,)) for n in (1, 2, 3)]
    workers += [threading.Thread(target=move, args=(n,)) for n in (4, 5)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    final = services.prompts.get(info.id)
    assert sorted(m.order_index for m in final.modules) == list(range(6))
    assert sorted(m.id for m in final.modules) == sorted(ids)
    assert outcomes.count("ok") <= 1 and outcomes.count("moved") == 2


# Options ------------------------------------------------------------------------------------


def test_add_edit_default_and_delete_options(services: Services) -> None:
    info = _prompt(services, ("Tone", ["Be kind."]))
    edits = services.prompt_edits
    module = info.modules[0]
    info = edits.add_option(info.id, module.id, "Be blunt.", name="Blunt")
    info = edits.add_option(info.id, module.id, "Be funny.", make_default=True)
    options = info.modules[0].options
    assert [(o.name, o.is_default) for o in options] == [
        ("Option 1", False),
        ("Blunt", False),
        ("Option 3", True),
    ]
    info = edits.edit_option(info.id, options[1].id, content="Be very blunt.", name="Harsh")
    assert info.modules[0].options[1].name == "Harsh"
    assert info.modules[0].options[1].content == "Be very blunt."
    info = edits.set_default_option(info.id, options[1].id)
    assert [o.is_default for o in info.modules[0].options] == [False, True, False]
    assert services.prompts.render(info.id) == "Be very blunt."
    # Deleting the default hands it to the first option left.
    info = edits.delete_option(info.id, options[1].id)
    assert [(o.name, o.is_default) for o in info.modules[0].options] == [
        ("Option 1", True),
        ("Option 3", False),
    ]


def test_option_refusals(services: Services) -> None:
    info = _prompt(services, ("Tone", ["Be kind."]), ("Other", ["x"]))
    edits = services.prompt_edits
    module = info.modules[0]
    only = module.options[0]
    with pytest.raises(ValidationError, match="only option of 'Tone'"):
        edits.delete_option(info.id, only.id)
    info = edits.add_option(info.id, module.id, "Two", name="Second")
    with pytest.raises(Conflict, match="already has an option named 'Second'"):
        edits.add_option(info.id, module.id, "Three", name="Second")
    with pytest.raises(Conflict, match="already has an option named 'Second'"):
        edits.edit_option(info.id, only.id, name="Second")
    with pytest.raises(ValidationError, match="Option is required"):
        edits.edit_option(info.id, only.id, content="  ")
    # An option of another prompt is not this prompt's.
    other = _prompt(services, ("Elsewhere", ["e"]))
    with pytest.raises(NotFound):
        edits.set_default_option(info.id, other.modules[0].options[0].id)


def test_the_database_keeps_one_default_per_module(services: Services) -> None:
    """Whatever the services do, the unique index refuses a second default: the error the
    services turn into a Conflict if it ever fires mid-edit."""
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import col

    from promptterm.db.models import ModuleOption

    info = _prompt(services, ("Tone", ["a", "b"]))
    second = info.modules[0].options[1]
    second_default = update(ModuleOption).where(col(ModuleOption.id) == second.id)
    with pytest.raises(IntegrityError), services.ctx.db.session() as session:
        session.exec(second_default.values(is_default=True))  # type: ignore[call-overload]
    assert [o.is_default for o in services.prompts.get(info.id).modules[0].options] == [True, False]


# Variables ----------------------------------------------------------------------------------


def test_add_edit_and_delete_variables(services: Services) -> None:
    info = _prompt(services, ("Ask", ["Review {{lang}} code, {{depth}} deep."]))
    edits = services.prompt_edits
    info = edits.add_variable(info.id, "lang", "choice", choices=["python", "go"], default="go")
    info = edits.add_variable(info.id, "depth", "number", min=1, max=5, default=2)
    assert services.prompts.render(info.id) == "Review go code, 2 deep."
    info = edits.edit_variable(info.id, "depth", max=3, label="How deep")
    depth = next(v for v in info.variables if v.name == "depth")
    assert (depth.min, depth.max, depth.label) == (1, 3, "How deep")
    info = edits.edit_variable(info.id, "depth", "text", default="very", min=None, max=None)
    assert services.prompts.render(info.id) == "Review go code, very deep."
    info = edits.edit_variable(info.id, "lang", choices=["python", "go", "rust"])
    with pytest.raises(ValidationError, match="still used in 'Ask'"):
        edits.delete_variable(info.id, "lang")
    info = edits.delete_variable(info.id, "lang", force=True)
    assert [v.name for v in info.variables] == ["depth"]


def test_variable_refusals(services: Services) -> None:
    info = _prompt(services, ("Ask", ["{{n}}"]))
    edits = services.prompt_edits
    info = edits.add_variable(info.id, "n", "number", min=0, max=10, default=5)
    with pytest.raises(Conflict, match="already has a variable 'n'"):
        edits.add_variable(info.id, "n")
    with pytest.raises(ValidationError, match="not a usable variable name"):
        edits.add_variable(info.id, "2bad")
    with pytest.raises(ValidationError, match="must be one of"):
        edits.add_variable(info.id, "kind", "colour")
    with pytest.raises(ValidationError, match="needs choices"):
        edits.add_variable(info.id, "pick", "choice")
    with pytest.raises(ValidationError, match="min 9 is above max 1"):
        edits.edit_variable(info.id, "n", min=9, max=1)
    with pytest.raises(ValidationError, match="must be at most 3"):
        edits.edit_variable(info.id, "n", max=3)  # the default 5 no longer fits
    with pytest.raises(ValidationError, match="Unknown setting colour"):
        edits.edit_variable(info.id, "n", colour="red")
    with pytest.raises(NotFound, match="no variable 'm'; its variables: n"):
        edits.edit_variable(info.id, "m", max=3)
    assert services.prompts.get(info.id).version == info.version


def test_renaming_a_variable_offers_to_rename_its_uses(services: Services) -> None:
    info = _prompt(services, ("A", ["Hi {{who}}.", "Yo {{ who }}!"]), ("B", ["Bye {{who}}."]))
    edits = services.prompt_edits
    info = edits.add_variable(info.id, "who", default="Ann")
    assert edits.variable_uses(info.id, "who") == ["A", "B"]
    with pytest.raises(ValidationError, match="is used in 'A', 'B'"):
        edits.rename_variable(info.id, "who", "name", rename_uses=False)
    info = edits.rename_variable(info.id, "who", "name", rename_uses=True)
    assert [v.name for v in info.variables] == ["name"]
    assert [o.content for o in info.modules[0].options] == ["Hi {{name}}.", "Yo {{name}}!"]
    assert services.prompts.render(info.id) == "Hi Ann.\n\nBye Ann."
    info = edits.add_variable(info.id, "other")
    with pytest.raises(Conflict, match="already has a variable 'other'"):
        edits.rename_variable(info.id, "name", "other", rename_uses=True)
    # Unused variables rename without touching any text.
    info = edits.rename_variable(info.id, "other", "spare", rename_uses=False)
    assert [v.name for v in info.variables] == ["name", "spare"]


def test_details_are_saved_together_or_not_at_all(services: Services) -> None:
    made = services.prompts.create("Draft")
    edits = services.prompt_edits
    with pytest.raises(ValidationError) as err:
        edits.update(made.id, name="New", description="d", category="c" * 51, tags=["a"])
    assert err.value.field == "category"
    assert services.prompts.get(made.id).name == "Draft"  # the valid fields waited too
    after = edits.update(
        made.id, name="New", description="d", category="Work", tags=["B", "a"], expected_version=1
    )
    assert (after.name, after.description, after.category, after.tags) == (
        "New",
        "d",
        "Work",
        ("a", "b"),
    )
    assert after.version == 2  # one edit, one version
