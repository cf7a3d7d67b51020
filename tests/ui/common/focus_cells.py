"""What a widget looks like on screen without colour: the characters and the text styles
(bold, reverse, underline…) of every cell of its region. A focus style that only changes a
colour is invisible with NO_COLOR (and hard to see in 256 colours); this is what is left."""

from __future__ import annotations

from functools import partial

from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widget import Widget

from ui.helpers import settle, wait_until

Cell = tuple[str, bool, bool, bool, bool, bool]


def _in_view(widget: Widget) -> bool:
    """Some of the widget is on screen: a focus scrolls it there, after the focus itself."""
    screen = widget.screen
    try:
        region = screen.find_widget(widget).region
    except NoWidget:
        return False
    return region.height > 0 and region.y < screen.size.height and region.bottom > 0


def _cells(widget: Widget) -> list[list[Cell]]:
    screen = widget.screen
    region = screen.find_widget(widget).region
    strips = screen._compositor.render_strips()
    rows: list[list[Cell]] = []
    # A widget taller than the screen (a long statements list) is seen only where it shows.
    for y in range(max(region.y, 0), min(region.bottom, len(strips))):
        row: list[Cell] = []
        for segment in strips[y].crop(region.x, region.right):
            style = segment.style
            flags = (
                bool(style and style.bold),
                bool(style and style.reverse),
                bool(style and style.underline),
                bool(style and style.italic),
                bool(style and style.dim),
            )
            row += [(ch, *flags) for ch in segment.text]
        rows.append(row)
    return rows


async def unseen_focus(pilot: Pilot[None]) -> list[str]:
    """Every focusable widget of the screen in front whose focus does not show without
    colour: its cells never differ, focused, from what they are with the focus elsewhere."""
    screen = pilot.app.screen
    chain = list(screen.focus_chain)
    unseen: list[str] = []
    for widget in chain:
        widget.focus()
        # A widget below the fold (a prompt's variables) is scrolled to once focused; before
        # that, its cells are none, focused or not, and it was counted as unseen.
        await wait_until(pilot, partial(_in_view, widget), f"{widget!r} in view", between=settle)
        screen.set_focus(None)
        await settle(pilot)
        unfocused = _cells(widget)
        widget.focus()
        # Waited for, not looked at once: a focus reaches the cells through the focus event,
        # the widget's restyle and a refresh, which a busy machine spreads over several looks.
        try:
            await wait_until(
                pilot, lambda w=widget, u=unfocused: _cells(w) != u, "the focus", between=settle
            )
        except AssertionError:
            unseen.append(f"{type(widget).__name__}#{widget.id}")
        screen.set_focus(None)
        await settle(pilot)
    return unseen
