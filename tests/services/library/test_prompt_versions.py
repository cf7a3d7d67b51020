"""Prompt history (issue 15): every edit keeps the previous state (modules, options and
variables together), a history list, a diff of the rendered text, restore as a new version."""

from __future__ import annotations

import pytest

from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services
from support.clock import FixedClock


def test_every_edit_keeps_the_state_it_replaced(services: Services, clock: FixedClock) -> None:
    made = services.prompts.create("Review")
    edits = services.prompt_edits
    t1 = clock.advance(minutes=1)
    info = edits.add_module(made.id, "Role", ["You review {{lang}} code."])
    t2 = clock.advance(minutes=1)
    info = edits.add_variable(made.id, "lang", default="Python", expected_version=info.version)
    t3 = clock.advance(minutes=1)
    info = edits.add_option(made.id, info.modules[0].id, "You audit {{lang}}.", make_default=True)

    states = edits.versions(made.id)
    assert [s.label for s in states] == ["v4 (current)", "v3", "v2", "v1"]
    assert [len(s.state.modules) for s in states] == [1, 1, 1, 0]
    assert [len(s.state.variables) for s in states] == [1, 1, 0, 0]
    assert [len(s.state.modules[0].options) for s in states[:3]] == [2, 1, 1]
    assert [(s.saved_at, s.replaced_at) for s in states] == [
        (t3, None),
        (t2, t3),
        (t1, t2),
        (made.updated_at, t1),
    ]
    assert info.version == 4


def test_diff_of_the_rendered_text_between_any_two_versions(services: Services) -> None:
    made = services.prompts.create("Review")
    edits = services.prompt_edits
    edits.add_module(made.id, "Role", ["You review {{lang}} code."])
    edits.add_module(made.id, "Tone", ["Be kind."])
    info = edits.add_variable(made.id, "lang", default="Go")
    edits.edit_option(made.id, info.modules[1].options[0].id, content="Be blunt.")

    assert edits.diff(made.id, 4) == (
        "--- Review (v4)\n+++ Review (v5)\n@@ -1,3 +1,3 @@\n"
        " You review Go code.\n \n-Be kind.\n+Be blunt.\n"
    )
    # Before the variable existed its placeholder shows as written.
    assert "-You review {{lang}} code.\n+You review Go code." in edits.diff(made.id, 3, 4)
    # Defaults fill variables in; without a variable the placeholder shows as written.
    whole = edits.diff(made.id, "v1", "current")
    assert "+You review Go code." in whole and "+Be blunt." in whole
    assert edits.diff(made.id, 4, 4) == ""
    with pytest.raises(NotFound, match="no version 9; it has v1 to v5"):
        edits.diff(made.id, 9)
    with pytest.raises(ValidationError, match="not a version"):
        edits.diff(made.id, "latest")


def test_restore_is_a_new_version_and_never_rewrites_history(services: Services) -> None:
    folder = services.prompts.create_folder("Work")
    made = services.prompts.create("Review", description="one")
    edits = services.prompt_edits
    edits.add_module(made.id, "Role", ["A {{x}}", "B {{x}}"])
    edits.add_variable(made.id, "x", "choice", choices=["1", "2"], default="1")
    edits.set_tags(made.id, ["Code", "review"])
    before = services.prompts.get(made.id)  # v4
    edits.rename(made.id, "Audit")
    edits.delete_module(made.id, before.modules[0].id)
    edits.delete_variable(made.id, "x")
    edits.move(made.id, folder.id)
    current = services.prompts.get(made.id)
    assert current.version == 8

    restored = edits.restore(made.id, "v4", expected_version=current.version)
    assert restored.version == 9
    assert restored.name == "Review" and restored.tags == ("code", "review")
    assert [(o.content, o.is_default) for o in restored.modules[0].options] == [
        ("A {{x}}", True),
        ("B {{x}}", False),
    ]
    assert [(v.name, v.choices) for v in restored.variables] == [("x", ("1", "2"))]
    assert restored.folder_id == folder.id  # where it is filed stays
    assert services.prompts.render(made.id) == "A 1"
    labels = [s.label for s in edits.versions(made.id)]
    assert labels == ["v9 (current)", *[f"v{n}" for n in range(8, 0, -1)]]
    # The state the restore replaced is kept: restoring it back works too.
    assert edits.restore(made.id, 8).name == "Audit"


def test_restore_refusals(services: Services) -> None:
    made = services.prompts.create("Review")
    edits = services.prompt_edits
    with pytest.raises(NotFound, match="no earlier versions yet"):
        edits.restore(made.id, 1)
    info = edits.rename(made.id, "Renamed")
    with pytest.raises(ValidationError, match="v2 is the current version"):
        edits.restore(made.id, "current")
    with pytest.raises(Conflict, match="changed elsewhere"):
        edits.restore(made.id, 1, expected_version=info.version - 1)
    assert services.prompts.get(made.id).name == "Renamed"


def test_restoring_the_same_content_keeps_no_version(services: Services) -> None:
    made = services.prompts.create("Review")
    folder = services.prompts.create_folder("Work")
    info = services.prompt_edits.move(made.id, folder.id)
    same = services.prompt_edits.restore(made.id, 1)
    assert same.version == info.version == 2


def test_versions_go_with_the_prompt_when_it_is_purged(
    services: Services, clock: FixedClock
) -> None:
    from sqlmodel import func, select

    from promptterm.db.models import PromptVersion

    made = services.prompts.create("Review")
    services.prompt_edits.rename(made.id, "Gone")
    services.prompts.delete(made.id)
    clock.advance(days=31)
    assert services.prompts.empty_trash() == 1
    with services.ctx.db.session() as session:
        assert session.exec(select(func.count()).select_from(PromptVersion)).one() == 0
