"""The rows a streaming answer is drawn as, at one width: the settled blocks' rows, drawn once
and kept, then a blank row and the tail's rows, drawn again on each update.

Each row carries the offsets Textual's text selection reads (which line of the text, which
character): Content counts lines from its own first one, and the settled blocks and the
tail are drawn one by one, so their rows are re-numbered to count in the whole answer (the
text ``shown`` gives, the blocks a blank line apart) and a selection spanning them copies
what it covers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Offset
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style

from promptterm.ui.chat.widgets.line_rows import LineRows, draw_line, whole_rows
from promptterm.ui.chat.widgets.styles_key import styles_key

if TYPE_CHECKING:
    from textual.widget import Widget

BETWEEN = Content("\n\n")  # what separates two blocks in the text ``shown`` gives


class StreamRows:
    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self.width = 0  # 0: not drawn yet (the widget has no width before its first layout)
        self._drawn: list[Content] = []  # the settled blocks, as drawn, in order
        self._settled: list[Strip] = []  # their rows, a blank one between two
        self._lines = 0  # text lines the settled blocks take in ``shown``
        self._tail = Content("")
        self._tail_rows: list[Strip] = []
        # Each line of the tail as last drawn, by its line in the answer: a draw redraws
        # the lines that changed (the paragraph growing, from its last row), not those
        # before it.
        self._tail_lines: dict[int, LineRows] = {}
        self._blank_key: tuple[int, tuple[int, ...]] | None = None  # (width, styles_key)
        self._blank_row = Strip([])

    @property
    def shown(self) -> Content:
        return BETWEEN.join(drawn for drawn in [*self._drawn, self._tail] if drawn.plain)

    @property
    def count(self) -> int:
        return len(self._settled) + self._gap() + len(self._tail_rows)

    def row(self, index: int) -> Strip:
        """Row ``index``, blank past the text (the room kept below it)."""
        settled = len(self._settled)
        if index < settled:
            return self._settled[index]
        index -= settled + self._gap()
        if 0 <= index < len(self._tail_rows):
            return self._tail_rows[index]
        return self._blank()

    def clear(self) -> None:
        self._drawn = []
        self._settled = []
        self._lines = 0
        self._tail = Content("")
        self._tail_rows = []
        self._tail_lines = {}

    def update(self, settled: Content | None, tail: Content) -> int | None:
        """Blocks that no later text can change (``settled``) leave the tail, and the tail
        is now ``tail``. The first row that may look different, or None when none does."""
        start = len(self._settled) + self._gap()
        if settled is None and tail.is_same(self._tail):
            return None
        before = self._tail_rows
        if settled is not None:
            self._settle(settled)  # its rows are the ones the tail showed: usually the same
        self._show_tail(tail)
        after = [self.row(n) for n in range(start, self.count)]
        for n, (old, new) in enumerate(zip(before, after, strict=False)):
            if old is not new and old != new:
                return start + n
        if len(before) == len(after):
            return None  # (a space, a newline that ends no block: nothing shows it yet)
        return start + min(len(before), len(after))

    def _settle(self, drawn: Content) -> None:
        first = self._lines + 1 if self._drawn else 0
        self._drawn.append(drawn)
        self._lines = first + len(drawn.plain.split("\n"))
        if self.width:
            if self._settled:
                self._settled.append(self._blank())
            self._settled.extend(self._draw_settled(drawn, first))

    def _draw_settled(self, drawn: Content, first: int) -> list[Strip]:
        """A block that settled, line by line: its lines the tail showed last are those rows
        (a paragraph settles as it was drawn a moment ago, not wrapped again)."""
        if self._widget.text_selection is not None:
            return self._draw(drawn, first)
        rows: list[Strip] = []
        for n, line in enumerate(drawn.split(allow_blank=True), first):
            kept = self._tail_lines.get(n)
            if line.plain and kept is not None and kept.line.is_same(line) and kept.starts:
                rows.extend(kept.rows)
            else:
                rows.extend(draw_line(self._widget, line, n, self.width).rows)
        return rows

    def _show_tail(self, drawn: Content) -> None:
        self._tail = drawn
        if not (self.width and drawn.plain):
            self._tail_rows = []
            return
        first = self._tail_line()
        selected = self._widget.text_selection is not None
        rows: list[Strip] = []
        lines: dict[int, LineRows] = {}
        for n, line in enumerate(drawn.split(allow_blank=True), first):
            kept = self._tail_lines.get(n)
            if kept is not None and kept.line.is_same(line):
                drawn_line = kept
            elif not line.plain:
                drawn_line = LineRows(line, [self._blank()])
            elif selected:
                drawn_line = LineRows(line, self._draw(line, n))
            else:
                drawn_line = draw_line(self._widget, line, n, self.width, kept)
            lines[n] = drawn_line
            rows.extend(drawn_line.rows)
        self._tail_lines = lines
        self._tail_rows = rows

    def redraw(self, width: int) -> None:
        """Every row again: a new width, or a selection to show."""
        self.width = width
        self._tail_lines = {}
        self._settled = []
        line = 0
        for drawn in self._drawn:
            if self._settled:
                self._settled.append(self._blank())
            self._settled.extend(self._draw_settled(drawn, line))
            line += len(drawn.plain.split("\n")) + 1
        self._show_tail(self._tail)

    def _gap(self) -> int:
        return 1 if self._settled and self._tail_rows else 0

    def _tail_line(self) -> int:
        return self._lines + 1 if self._drawn else 0

    def _blank(self) -> Strip:
        key = (self.width, styles_key(self._widget))
        if key != self._blank_key:
            self._blank_key = key
            self._blank_row = Strip.blank(self.width, self._widget.rich_style)
        return self._blank_row

    def _draw(self, drawn: Content, first_line: int) -> list[Strip]:
        """``drawn`` wrapped to the width, its rows counting lines from ``first_line``, the
        selection shown."""
        if not (self.width and drawn.plain):
            return []
        widget = self._widget
        selection = widget.text_selection
        if selection is not None:
            drawn = _selected(drawn, selection, first_line, widget)
        return whole_rows(widget, drawn, first_line, self.width)


def _selected(drawn: Content, selection: Selection, first_line: int, widget: Widget) -> Content:
    """``drawn`` with the part of it ``selection`` covers in the selection's style."""
    style = Style.from_styles(widget.screen.get_component_styles("screen--selection"))
    start, end = selection
    if start is not None:
        start = Offset(start.x, start.y - first_line)
    if end is not None:
        end = Offset(end.x, end.y - first_line)
    local = Selection(start, end)
    position = 0
    for y, line in enumerate(drawn.plain.split("\n")):
        span = local.get_span(y)
        if span is not None:
            left, right = span
            right = len(line) if right == -1 else right
            drawn = drawn.stylize(style, position + left, position + right)
        position += len(line) + 1
    return drawn
