"""A streaming answer's rows as the screen shows them, kept while they only move up.

Textual keeps a widget's finished lines (its background put in, the app's colour filters
applied) by their place in the widget. A followed answer shifts up a row as it grows, so on
each draw every line it shows was finished again: new Strips, each filtered and cut again by
the compositor. Here the finished lines are kept by row of the answer: after a shift, only
the rows that are new or changed are finished, and the rows that moved are the same Strips,
whose filtered and cut forms Textual has already cached.

Everything Textual finishes a line with is part of the key (size, the styles of the widget
and its ancestors, hover link, colour filters): when one changes, every row is finished
again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from textual.geometry import Region

from promptterm.ui.chat.widgets.styles_key import styles_key

if TYPE_CHECKING:
    from textual.strip import Strip
    from textual.widget import Widget


class FinishedRows:
    def __init__(self) -> None:
        self._rows: dict[int, Strip] = {}  # by row of the answer
        self._key: Hashable = None
        self._first_kept = 0  # no row above this one is kept

    def forget_from(self, row: int) -> None:
        """Rows from ``row`` on changed (or all of them, from 0)."""
        if row <= self._first_kept:
            self._rows.clear()
        else:
            self._rows = {n: strip for n, strip in self._rows.items() if n < row}

    def lines(
        self,
        widget: Widget,
        crop: Region,
        shift: int,
        finish: Callable[[Region], list[Strip]],
    ) -> list[Strip]:
        """The lines of ``crop`` (``crop.y`` counts from the widget's top, which shows row
        ``shift`` of the answer); those not kept are finished by ``finish`` (Textual's)."""
        width = widget.size.width
        if crop.x or crop.width != width:
            return finish(crop)  # (a frame that repaints part of a row: not kept)
        key = _key(widget)
        if key != self._key:
            self._key = key
            self._rows.clear()
        if shift > self._first_kept:
            # Rows shifted above the top are not shown again until the reader scrolls up.
            self._rows = {n: strip for n, strip in self._rows.items() if n >= shift}
        self._first_kept = shift
        rows = self._rows
        lines: list[Strip] = []
        missing_from: int | None = None
        for y in crop.line_range:
            kept = rows.get(y + shift)
            if kept is None:
                if missing_from is None:
                    missing_from = y
                continue
            if missing_from is not None:
                lines.extend(self._finish(missing_from, y, width, shift, finish))
                missing_from = None
            lines.append(kept)
        if missing_from is not None:
            lines.extend(self._finish(missing_from, crop.bottom, width, shift, finish))
        return lines

    def _finish(
        self,
        top: int,
        bottom: int,
        width: int,
        shift: int,
        finish: Callable[[Region], list[Strip]],
    ) -> list[Strip]:
        finished = finish(Region(0, top, width, bottom - top))
        for y, strip in enumerate(finished, top):
            self._rows[y + shift] = strip
        return finished


def _key(widget: Widget) -> Hashable:
    """What Textual finishes a line of ``widget`` with."""
    app = widget.app
    return (
        widget.size,
        styles_key(widget),
        widget.hover_style.link_id,
        id(app.ansi_theme),
        app.native_ansi_color,
        tuple(widget.get_line_filters()),
    )
