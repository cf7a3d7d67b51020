"""The palette draws the dimmed screen beneath it once while that screen stays the same
(Textual tinted it again at every draw of the palette, twice or more per opening), and
again as soon as the screen beneath changes."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.color import Color
from textual.command import CommandList, CommandPalette
from textual.renderables.background_screen import BackgroundScreen
from textual.widgets import Static

from promptterm.ui.common.palette import DimmedScreen, Palette
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _hits_shown(app: App[object]) -> bool:
    screen = app.screen
    return (
        isinstance(screen, CommandPalette)
        and screen.has_class("-ready")
        and screen.query_one(CommandList).option_count > 0
    )


def _frame(app: App[object]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_screen_beneath_is_tinted_once_while_it_stays_the_same(
    make_app: AppFactory, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    tinted: list[int] = []
    tint = BackgroundScreen.process_segments

    def counted(segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
        tinted.append(1)
        return tint(segments, color)

    monkeypatch.setattr(BackgroundScreen, "process_segments", staticmethod(counted))
    monkeypatch.setattr(DimmedScreen, "_kept", None)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: _hits_shown(app), "the palette's hits")
            await settle(pilot)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), "closed")
            await settle(pilot)
        # Three openings, each drawn at least twice (empty, then with its hits), over the
        # explorer that did not change: one tinting.
        assert tinted == [1]


class Beneath(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("the first words", id="words")

    def action_command_palette(self) -> None:
        self.push_screen(Palette())


async def test_a_change_beneath_the_open_palette_shows_through_it() -> None:
    app = Beneath()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: _hits_shown(app), "the palette's hits")
        await wait_until(pilot, lambda: "the first words" in _frame(app), "the screen beneath")
        app.screen_stack[-2].query_one("#words", Static).update("the second words")
        await wait_until(pilot, lambda: "the second words" in _frame(app), "the change beneath")
        assert "the first words" not in _frame(app)
