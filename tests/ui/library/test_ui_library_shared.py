"""Pilot test for prompts shared with the user's workspaces (issue 15): listed under their own
"Shared with me" folder in the prompt tree, read and rendered like one's own, and every edit
left out of the keys (the services refuse them in words, too)."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, wait_until
from ui.library.test_ui_library_prompts import open_prompts, text_of
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def shared(ui_services: Services, clock: FixedClock) -> uuid.UUID:
    """Bob's prompt, shared with a workspace that the local user owns and Bob belongs to."""
    ui_services.prompts.create("Mine")
    bob = ui_services.as_user(
        create_user(ui_services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4()).id
    )
    ws = ui_services.workspaces.create("Team")
    ui_services.workspaces.add_member(ws.id, "bob@example.com", "member")
    made = bob.prompts.create("Standup")
    bob.prompt_edits.add_module(made.id, "Ask", ["What did the team ship?"])
    bob.prompts.sharing.share(made.id, ws.id)
    return made.id


async def test_a_shared_prompt_shows_under_shared_with_me_and_stays_read_only(
    make_app: AppFactory, shared: uuid.UUID
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_prompts(pilot)
        tree = screen.prompt_tree
        await wait_until(pilot, lambda: len(tree.root.children) == 2)
        folder = tree.root.children[1]
        assert str(folder.label) == "Shared with me  1"
        assert [str(n.label) for n in folder.children] == ["Standup  Bob · read-only"]
        await pilot.press("down")  # Mine -> Shared with me
        await settle(pilot)
        assert "Pick a prompt" in text_of(screen, "#prompt-title")
        await pilot.press("down")  # -> Standup
        await wait_until(pilot, lambda: screen.rendered == "What did the team ship?")
        assert screen.current_prompt is not None and screen.current_prompt.id == shared

        # Its edits are not offered: e and d do nothing, and the footer does not show them.
        for action in ("edit_prompt_item", "delete_prompt_item", "add_module", "add_variable"):
            assert screen.check_action(action, ()) is False, action
        assert screen.check_action("copy_render", ()) is True
        await pilot.press("e", "d")
        await settle(pilot)
        assert app.screen is screen and notes(app) == []
        assert tree.item is not None and tree.item.id == shared  # still there, unchanged
        # Y copies it into the user's library: theirs to change, and the cursor goes there.
        await pilot.press("Y")
        await wait_until(pilot, lambda: any("Copied 'Standup'" in n for n in notes(app)))

        def on_the_copy() -> bool:
            prompt = screen.current_prompt
            return prompt is not None and prompt.id != shared and prompt.name == "Standup"

        await wait_until(pilot, on_the_copy)
        assert screen.rendered == "What did the team ship?"
        assert screen.check_action("edit_prompt_item", ()) is True
        assert [str(n.label) for n in tree.root.children[:2]] == ["Mine", "Standup"]
