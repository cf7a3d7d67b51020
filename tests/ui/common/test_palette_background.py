"""The palette tints the screen behind it once per open, not at each of its own repaints
(the explorer behind is the biggest thing it draws), and still shows what changes behind
it while it is open."""

from __future__ import annotations

import pytest
from rich.console import Console, ConsoleOptions, RenderResult
from textual._context import visible_screen_stack
from textual.app import App, ComposeResult
from textual.command import CommandList, CommandPalette
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import Screen
from textual.widgets import Static

from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _titles(app: App[object]) -> list[str]:
    screen = app.screen
    if not isinstance(screen, CommandPalette) or not screen.has_class("-ready"):
        return []
    options = screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def _frame(app: App[object]) -> str:
    """The text of the frame the app would draw now (the palette over the tinted screen)."""
    visible_screen_stack.set(app._background_screens)
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


class Quiet(Screen[None]):
    """A screen behind the palette on which nothing changes (the explorer's footer may
    redraw its keys as the palette opens: a change behind, rightly tinted again)."""

    def compose(self) -> ComposeResult:
        yield Static("\n".join(f"line {n} of the screen behind" for n in range(30)))


async def test_the_screen_behind_is_tinted_once_per_open(
    make_app: AppFactory, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    tinted: list[int] = []
    tint = BackgroundScreen.__rich_console__

    def counted(self: BackgroundScreen, console: Console, options: ConsoleOptions) -> RenderResult:
        tinted.append(1)
        return tint(self, console, options)

    monkeypatch.setattr(BackgroundScreen, "__rich_console__", counted)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(Quiet())
        await wait_until(pilot, lambda: isinstance(app.screen, Quiet), "the quiet screen")
        await settle(pilot)
        for _ in range(2):
            tinted.clear()
            await pilot.press("ctrl+p")
            # Its first frame, the first hits, then the recent projects below them.
            await wait_until(
                pilot, lambda: "Open project" in "".join(_titles(app)), "the recent projects"
            )
            await settle(pilot)
            assert len(tinted) == 1
            assert "line 1 of the screen behind" in _frame(app)  # seen through its tint
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), "closed")


async def test_a_change_behind_the_open_palette_shows_through_it(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        behind = app.screen
        note = Static("", id="behind-note")
        note.styles.dock = "bottom"
        await behind.mount(note)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: bool(_titles(app)), "the first hits")
        await settle(pilot)
        assert "changed behind" not in _frame(app)
        note.update("changed behind the palette")
        await wait_until(pilot, lambda: "changed behind" in _frame(app), "the change behind")
        # The palette's own repaints keep showing it.
        app.screen.refresh()
        await settle(pilot)
        assert "changed behind" in _frame(app)
