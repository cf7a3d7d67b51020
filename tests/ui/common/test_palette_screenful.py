"""Before a word is typed the palette offers a screenful of the screen's commands (the
screen's own first), not all of them: each hit it offers is built and laid out before the
first one is drawn. Typing still finds every command, those left out of the first list too."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from promptterm.ui.common.commands import DISCOVER_LIMIT, screen_commands, screenful
from promptterm.ui.library.screen import LibraryScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _titles(app: object) -> list[str]:
    screen = app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, CommandPalette) or not screen.has_class("-ready"):
        return []
    options = screen.query_one(CommandList)
    return [
        str(options.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(options.option_count)
    ]


async def test_the_empty_palette_offers_a_screenful_and_typing_finds_the_rest(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("alt+4")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        await settle(pilot)
        commands = [title for title, _, _ in screen_commands(app.screen)]
        room = screenful(app)
        assert len(commands) > room + DISCOVER_LIMIT + 2  # the library has more than that
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: "library: " in "".join(_titles(app)), "the first hits")
        await settle(pilot)
        offered = [title for title in _titles(app) if title in commands]
        assert offered == commands[:room]
        # The recent projects, "Load the demo" and "Activity log" besides: still a screenful
        # or two, where every command of the screen used to be.
        assert len(_titles(app)) <= room + DISCOVER_LIMIT + 2
        left_out = commands[-1]
        assert left_out not in _titles(app)
        await type_text(pilot, left_out.split(": ", 1)[1].lower())
        await wait_until(pilot, lambda: left_out in _titles(app), f"{left_out!r} when typed")
