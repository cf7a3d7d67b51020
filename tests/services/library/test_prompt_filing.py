"""Where prompts are filed and how they are found (issue 15): folders renamed or removed
(their prompts kept, in no folder), categories and tags with filter and sort, project
prompts, and usage (renders, copies, sends) with sort by use and recent uses."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, Forbidden, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock

# Folders -----------------------------------------------------------------------------------


def test_rename_a_folder(services: Services) -> None:
    work = services.prompts.create_folder("Work")
    services.prompts.create_folder("Home")
    assert services.prompts.rename_folder(work.id, " Job ").name == "Job"
    with pytest.raises(Conflict, match="already have a folder named 'Home'"):
        services.prompts.rename_folder(work.id, "Home")
    with pytest.raises(ValidationError, match="255"):
        services.prompts.rename_folder(work.id, "f" * 256)
    assert [f.name for f in services.prompts.folders()] == ["Home", "Job"]


def test_removing_a_folder_keeps_its_prompts_in_no_folder(services: Services) -> None:
    work = services.prompts.create_folder("Work")
    kept = services.prompts.create("Kept", folder_id=work.id)
    trashed = services.prompts.create("Trashed", folder_id=work.id)
    services.prompts.delete(trashed.id)
    assert services.prompts.remove_folder(work.id) == ["Kept"]
    assert services.prompts.folders() == []
    assert services.prompts.get(kept.id).folder_id is None
    assert services.prompts.get(trashed.id).folder_id is None  # restores to no folder
    with pytest.raises(NotFound):
        services.prompts.remove_folder(work.id)


def test_someone_elses_folder_cannot_be_renamed_or_removed(
    services: Services, clock: FixedClock
) -> None:
    work = services.prompts.create_folder("Work")
    bob = services.as_user(
        create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4()).id
    )
    with pytest.raises(NotFound):
        bob.prompts.rename_folder(work.id, "Mine")
    with pytest.raises(NotFound):
        bob.prompts.remove_folder(work.id)


# Categories and tags ------------------------------------------------------------------------


def test_filter_by_category_and_tag(services: Services) -> None:
    edits = services.prompt_edits
    a = services.prompts.create("Alpha")
    b = services.prompts.create("Beta")
    services.prompts.create("Gamma")
    edits.set_category(a.id, "Coding")
    edits.set_category(b.id, "Writing")
    edits.set_tags(a.id, ["Review", "python", "review"])
    edits.set_tags(b.id, ["review"])
    assert services.prompts.get(a.id).tags == ("python", "review")
    assert [p.name for p in services.prompts.list(category="coding")] == ["Alpha"]
    assert [p.name for p in services.prompts.list(tag="Review")] == ["Alpha", "Beta"]
    assert [p.name for p in services.prompts.list(tag="python", category="Writing")] == []
    assert services.prompts.categories() == ["Coding", "Writing"]
    assert services.prompts.tags() == ["python", "review"]
    cleared = edits.set_category(a.id, "")
    assert cleared.category is None


def test_tag_limits(services: Services) -> None:
    made = services.prompts.create("Alpha")
    with pytest.raises(ValidationError, match="A prompt can have at most 20 tags"):
        services.prompt_edits.set_tags(made.id, [f"t{n}" for n in range(21)])
    with pytest.raises(ValidationError, match="over 50 characters"):
        services.prompt_edits.set_tags(made.id, ["t" * 51])
    with pytest.raises(ValidationError, match="control character"):
        services.prompt_edits.set_tags(made.id, ["a\x07b"])


def test_sort_by_use_and_by_recent_change(services: Services, clock: FixedClock) -> None:
    a = services.prompts.create("Alpha")
    b = services.prompts.create("Beta")
    for prompt in (a, b):
        services.prompt_edits.add_module(prompt.id, "M", ["text"])
    services.prompt_usage.record(b.id, "render")
    services.prompt_usage.record(b.id, "copy")
    services.prompt_usage.record(a.id, "send")
    assert [p.name for p in services.prompts.list(sort="most_used")] == ["Beta", "Alpha"]
    clock.advance(minutes=1)
    services.prompt_edits.rename(a.id, "Alpha 2")
    assert [p.name for p in services.prompts.list(sort="recent")] == ["Alpha 2", "Beta"]
    with pytest.raises(ValidationError, match="Sort must be one of"):
        services.prompts.list(sort="size")  # type: ignore[arg-type]


# Usage --------------------------------------------------------------------------------------


def test_uses_keep_the_chosen_options_and_values(services: Services, clock: FixedClock) -> None:
    made = services.prompts.create("Review")
    info = services.prompt_edits.add_module(made.id, "Tone", ["Kind {{who}}", "Blunt {{who}}"])
    info = services.prompt_edits.add_variable(made.id, "who")
    blunt = info.modules[0].options[1]
    services.prompt_usage.record(made.id, "render", values={"who": "Ann"})
    clock.advance(minutes=1)
    services.prompt_usage.record(
        made.id, "send", options={info.modules[0].id: blunt.id}, values={"who": "x" * 900}
    )
    recent = services.prompt_usage.recent(made.id)
    assert [(u.action, u.options) for u in recent] == [
        ("send", {"Tone": "Option 2"}),
        ("render", {"Tone": "Option 1"}),
    ]
    assert len(recent[0].values["who"]) == 500 and recent[1].values == {"who": "Ann"}
    after = services.prompts.get(made.id)
    assert after.usage_count == 2 and after.last_used_at == clock()
    assert after.version == info.version  # using is not editing
    with pytest.raises(ValidationError, match="Action must be one of render, copy, send"):
        services.prompt_usage.record(made.id, "print")


def test_uses_outlive_a_purged_prompt(services: Services, clock: FixedClock) -> None:
    from sqlmodel import select

    from promptterm.db.models import PromptUse

    made = services.prompts.create("Review")
    services.prompt_usage.record(made.id, "copy")
    services.prompts.delete(made.id)
    clock.advance(days=31)
    services.prompts.empty_trash()
    with services.ctx.db.session() as session:
        assert [u.prompt_id for u in session.exec(select(PromptUse)).all()] == [None]


# Project prompts ----------------------------------------------------------------------------


def test_project_prompts_need_an_editing_role(services: Services, clock: FixedClock) -> None:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    mine = services.prompts.create("Deploy")
    filed = services.prompt_edits.set_project(mine.id, project.id)
    assert filed.project_id == project.id
    assert [p.name for p in services.prompts.list(project_id=project.id)] == ["Deploy"]

    viewer_user = create_user(services.ctx.db, "Vee", "vee@example.com", clock(), uuid.uuid4())
    services.workspaces.add_member(ws.id, "vee@example.com", "viewer")
    viewer = services.as_user(viewer_user.id)
    theirs = viewer.prompts.create("Viewer's")
    with pytest.raises(Forbidden, match="you are a viewer"):
        viewer.prompt_edits.set_project(theirs.id, project.id)
    stranger = services.as_user(
        create_user(services.ctx.db, "Sam", "sam@example.com", clock(), uuid.uuid4()).id
    )
    with pytest.raises(NotFound):
        stranger.prompt_edits.set_project(stranger.prompts.create("x").id, project.id)
    assert services.prompt_edits.set_project(mine.id, None).project_id is None


def test_the_trash_purge_says_what_it_removed(
    services: Services, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    old = services.prompts.create("Old")
    services.prompts.delete(old.id)
    clock.advance(days=29)
    with caplog.at_level("INFO", logger="promptterm.library.trash"):
        assert services.prompts.purge_trash() == 0
        clock.advance(days=1)
        assert services.prompts.purge_trash() == 1
    assert [r.getMessage() for r in caplog.records] == [
        "purged 0 prompt(s) and folder(s) in the trash for more than 30 days",
        "purged 1 prompt(s) and folder(s) in the trash for more than 30 days",
    ]
