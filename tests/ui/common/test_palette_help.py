"""Every palette command has a help line: the binding's tooltip, or the words of
ui/common/command_help.py. ("explorer: New workspace" once showed only its key.)"""

from __future__ import annotations

import pytest
from textual.binding import Binding

from promptterm.app import PromptTermApp
from promptterm.ui.billing.screen import BillingScreen
from promptterm.ui.chat.screen import ChatScreen
from promptterm.ui.common.command_help import COMMAND_HELP
from promptterm.ui.common.commands import screen_commands
from promptterm.ui.editor.screen import EditorScreen
from promptterm.ui.explorer.screen import ExplorerScreen
from promptterm.ui.library.screen import LibraryScreen
from promptterm.ui.plan.screen import PlanScreen
from ui.fixtures import AppFactory
from ui.helpers import settle
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio

OWNERS = (
    PromptTermApp,
    ExplorerScreen,
    EditorScreen,
    ChatScreen,
    LibraryScreen,
    BillingScreen,
    PlanScreen,
)


def test_every_binding_the_palette_can_offer_has_words() -> None:
    silent = [
        f"{owner.__name__}: {binding.id} ({binding.description})"
        for owner in OWNERS
        for cls in owner.__mro__
        for binding in cls.__dict__.get("BINDINGS", [])
        if isinstance(binding, Binding) and binding.id
        if not binding.tooltip and binding.id not in COMMAND_HELP
    ]
    assert silent == []


async def test_the_palette_shows_a_help_line_for_each_command_in_every_area(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        for key in "123456":
            await pilot.press(f"alt+{key}")  # also from chat's composer
            await settle(pilot)
            commands = screen_commands(app.screen)
            assert commands, f"area {key} offers no commands"
            bare = [title for title, _, help_text in commands if " · " not in help_text]
            assert bare == [], f"area {key}"
        await pilot.press("alt+1")
        await settle(pilot)
        helps = {title: help_text for title, _, help_text in screen_commands(app.screen)}
        assert helps["explorer: New workspace"] == "w · Create a workspace to hold projects"
