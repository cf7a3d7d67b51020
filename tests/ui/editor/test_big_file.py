"""The read-only view of a file too big to edit: right from its first frame."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Static

from promptterm.ui.editor.widgets.big_file import ReadOnlyLines, ReadOnlyPane
from ui.helpers import wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

# Longer and wider than the view: both scrollbars belong on it.
TEXT = "\n".join(f"line {n} " + "word " * 30 for n in range(200)) + "\n"


class FirstFrame(ReadOnlyLines):
    """Notes which scrollbars the view had when it drew its first line."""

    first: tuple[bool, bool] | None = None

    def render_line(self, y: int) -> Strip:
        if self.first is None:
            self.first = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        return super().render_line(y)


class Pane(ReadOnlyPane):
    def compose(self) -> ComposeResult:
        yield Static("too big to edit here", classes="read-only-notice")
        yield FirstFrame(TEXT)


class BigFileApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Pane(TEXT, "too big to edit here")


async def test_the_first_frame_already_has_its_scrollbars() -> None:
    # A frame without them, then one with them, was a flash of the text jumping under them
    # (and a snapshot taken in between, on a busy machine).
    app = BigFileApp()
    async with app.run_test(size=SMALL) as pilot:
        lines = app.query_one(FirstFrame)
        await wait_until(pilot, lambda: lines.first is not None, "the first frame")
        assert lines.first == (True, True)
        assert (lines.show_vertical_scrollbar, lines.show_horizontal_scrollbar) == (True, True)
