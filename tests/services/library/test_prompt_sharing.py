"""Prompts shared with a workspace (issue 15, seed 004 ``is_public``): its members list, read
and copy them; only the owner changes them, and everyone else is told so in words."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Forbidden, NotFound
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _person(services: Services, clock: FixedClock, name: str) -> Services:
    email = f"{name.lower()}@example.com"
    return services.as_user(create_user(services.ctx.db, name, email, clock(), uuid.uuid4()).id)


def _team(services: Services, clock: FixedClock) -> tuple[Services, Services, uuid.UUID]:
    """Alice (the bootstrapped user) with a workspace that Bob belongs to, and Sam outside."""
    bob, sam = _person(services, clock, "Bob"), _person(services, clock, "Sam")
    ws = services.workspaces.create("Team")
    services.workspaces.add_member(ws.id, "bob@example.com", "viewer")
    return bob, sam, ws.id


def _prompt(services: Services) -> uuid.UUID:
    made = services.prompts.create("Review", description="Code review", category="dev")
    edits = services.prompt_edits
    edits.add_module(made.id, "Role", ["You review {{lang}} code.", "You are strict."])
    edits.add_module(made.id, "Ask", ["Find bugs."])
    edits.add_variable(made.id, "lang", "text", default="Python")
    edits.set_tags(made.id, ["review"])
    return made.id


def test_members_list_read_and_render_a_shared_prompt(
    services: Services, clock: FixedClock
) -> None:
    bob, sam, ws = _team(services, clock)
    prompt_id = _prompt(services)
    assert bob.prompts.sharing.shared_with_me() == []
    with pytest.raises(NotFound):
        bob.prompts.get(prompt_id)

    shared = services.prompts.sharing.share(prompt_id, ws)
    assert (shared.workspace, services.prompts.get(prompt_id).shared_workspace_id) == ("Team", ws)
    [listed] = bob.prompts.sharing.shared_with_me()
    assert (listed.name, listed.workspace) == ("Review", "Team")
    assert listed.owner == services.user.display_name
    read = bob.prompts.get(prompt_id)
    assert [m.name for m in read.modules] == ["Role", "Ask"]
    assert read.tags == ("review",) and read.user_id == services.user.id
    assert bob.prompts.find("Review").id == prompt_id
    assert bob.prompts.render(prompt_id) == "You review Python code.\n\nFind bugs."
    assert [v.version for v in bob.prompt_edits.versions(prompt_id)][-1] == 1
    # Bob's render is not Alice's use; his own library stays his.
    assert bob.prompt_usage.record(prompt_id, "render") is None
    assert services.prompts.get(prompt_id).usage_count == 0
    assert bob.prompts.list() == []
    # Someone outside the workspace sees nothing at all.
    assert sam.prompts.sharing.shared_with_me() == []
    with pytest.raises(NotFound):
        sam.prompts.get(prompt_id)
    with pytest.raises(NotFound):
        sam.prompts.find("Review")


def test_every_edit_by_a_reader_is_refused_in_words(services: Services, clock: FixedClock) -> None:
    bob, _, ws = _team(services, clock)
    prompt_id = _prompt(services)
    services.prompts.sharing.share(prompt_id, ws)
    info = bob.prompts.get(prompt_id)
    module, option = info.modules[0], info.modules[0].options[0]
    edits = bob.prompt_edits
    refused = (
        lambda: edits.rename(prompt_id, "Mine"),
        lambda: edits.describe(prompt_id, "x"),
        lambda: edits.set_category(prompt_id, "x"),
        lambda: edits.set_tags(prompt_id, ["x"]),
        lambda: edits.add_module(prompt_id, "More", ["x"]),
        lambda: edits.rename_module(prompt_id, module.id, "x"),
        lambda: edits.set_module_visible(prompt_id, module.id, False),
        lambda: edits.delete_module(prompt_id, module.id),
        lambda: edits.add_option(prompt_id, module.id, "x"),
        lambda: edits.edit_option(prompt_id, option.id, content="x"),
        lambda: edits.set_default_option(prompt_id, module.options[1].id),
        lambda: edits.add_variable(prompt_id, "tone"),
        lambda: edits.delete_variable(prompt_id, "lang", force=True),
        lambda: edits.restore(prompt_id, 1),
        lambda: bob.prompts.delete(prompt_id),
        lambda: bob.prompts.sharing.unshare(prompt_id),
        lambda: bob.prompts.sharing.share(prompt_id, ws),
    )
    for verb in refused:
        with pytest.raises(Forbidden, match=r"shared with you to read and copy.*prompt copy"):
            verb()
    assert services.prompts.get(prompt_id) == info


def test_copy_into_ones_own_library(services: Services, clock: FixedClock) -> None:
    bob, sam, ws = _team(services, clock)
    prompt_id = _prompt(services)
    services.prompts.sharing.share(prompt_id, ws)
    with pytest.raises(NotFound):
        sam.prompts.sharing.copy(prompt_id)
    folder = bob.prompts.create_folder("From the team")

    copy = bob.prompts.sharing.copy(prompt_id, folder_id=folder.id)
    source = services.prompts.get(prompt_id)
    assert copy.id != prompt_id and copy.user_id == bob.user.id
    assert (copy.version, copy.copied_from_id, copy.folder_id) == (1, prompt_id, folder.id)
    assert (copy.name, copy.description, copy.category, copy.tags) == (
        "Review",
        "Code review",
        "dev",
        ("review",),
    )
    assert copy.shared_workspace_id is None
    assert bob.prompts.render(copy.id) == services.prompts.render(prompt_id)
    assert {m.id for m in copy.modules}.isdisjoint(m.id for m in source.modules)
    # His copy is his: edited freely, versioned from 1, and the source does not change.
    assert bob.prompt_edits.rename(copy.id, "My review", expected_version=1).version == 2
    assert [p.name for p in bob.prompts.list()] == ["My review"]
    assert services.prompts.get(prompt_id).name == "Review"
    named = bob.prompts.sharing.copy(prompt_id, name="Second")
    assert named.name == "Second"


def test_unshare_and_the_trash_take_it_back(services: Services, clock: FixedClock) -> None:
    bob, sam, ws = _team(services, clock)
    prompt_id = _prompt(services)
    sharing = services.prompts.sharing
    with pytest.raises(NotFound, match="not a member"):
        sam.prompts.sharing.share(sam.prompts.create("Sam's").id, ws)
    sharing.share(prompt_id, ws)
    copy = bob.prompts.sharing.copy(prompt_id)
    services.prompts.delete(prompt_id)
    assert bob.prompts.sharing.shared_with_me() == []
    with pytest.raises(NotFound):
        bob.prompts.get(prompt_id)
    services.prompts.restore(prompt_id)
    assert [p.id for p in bob.prompts.sharing.shared_with_me()] == [prompt_id]
    assert sharing.unshare(prompt_id).workspace_id is None
    assert bob.prompts.sharing.shared_with_me() == []
    with pytest.raises(NotFound):
        bob.prompt_edits.rename(prompt_id, "x")  # no longer his to see, so not even Forbidden
    assert bob.prompts.get(copy.id).name == "Review"  # his copy stays his


def test_alone_sharing_works_on_the_data_with_nobody_else_to_read(services: Services) -> None:
    prompt_id = _prompt(services)
    [personal] = services.workspaces.list() or [services.workspaces.create("Mine")]
    assert services.prompts.sharing.share(prompt_id, personal.id).workspace_id == personal.id
    assert services.prompts.sharing.shared_with_me() == []  # one's own are not "with me"
    assert services.prompt_edits.rename(prompt_id, "Still mine").name == "Still mine"
    duplicate = services.prompts.sharing.copy(prompt_id, name="Try")
    assert duplicate.copied_from_id == prompt_id
    with pytest.raises(NotFound, match="not a member"):
        services.prompts.sharing.share(prompt_id, uuid.uuid4())
