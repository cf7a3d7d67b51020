"""A WrappedDocument whose bookkeeping per edit is O(edit), not O(document).

Textual's `WrappedDocument.height` sums over every line and the TextArea reads it for every
rendered line (20,000 lines x 40 visible rows per keystroke); `wrap_range` shifts every row
below an edit in a Python loop. Here the height is a length, and without soft wrap (the code
editor's default) the row <-> line maps are the identity, so they are rebuilt with C-speed
slices of shared tables instead of loops. Tab widths, which the TextArea only reads to draw
wrapped lines, are computed per line on demand in that mode.
"""

from __future__ import annotations

from textual._wrap import compute_wrap_offsets
from textual.document._document import DocumentBase, Location
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths
from textual.geometry import clamp

# Shared, immutable identity tables: row y is (line y, section 0), line i sits at row i.
_LINE_INFO: list[tuple[int, int]] = []
_LINE_OFFSETS: list[tuple[int]] = []


def _identity(count: int) -> tuple[list[tuple[int, int]], list[tuple[int]]]:
    if len(_LINE_INFO) < count:
        start = len(_LINE_INFO)
        target = count + 1024  # some slack: a file grows a line at a time
        _LINE_INFO.extend((index, 0) for index in range(start, target))
        _LINE_OFFSETS.extend((index,) for index in range(start, target))
    return _LINE_INFO[:count], _LINE_OFFSETS[:count]


class CodeWrappedDocument(WrappedDocument):
    """Drop-in `WrappedDocument` with an O(1) height and a fast no-wrap mode."""

    def __init__(self, document: DocumentBase, width: int = 0, tab_width: int = 4) -> None:
        super().__init__(document, width, tab_width)

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        if width:
            super().wrap(width, tab_width)
            return
        self._width = 0
        if tab_width:
            self._tab_width = tab_width
        count = self.document.line_count
        self._wrap_offsets = [[] for _ in range(count)]
        info, offsets = _identity(count)
        self._offset_to_line_info = info
        # Read-only tuples stand in for the per-line lists: nothing mutates them in place.
        self._line_index_to_offsets = offsets  # type: ignore[assignment]
        self._tab_width_cache = []

    def get_tab_widths(self, line_index: int) -> list[int]:
        if self._width:
            return super().get_tab_widths(line_index)
        line = self.document[line_index]
        return [width for _, width in get_tab_widths(line, self._tab_width)]

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        if self._width:
            self._wrap_range_soft(start, old_end, new_end)
            return
        top, old_bottom, new_bottom = self._clamped_rows(start, old_end, new_end)
        self._wrap_offsets[top : old_bottom + 1] = [[] for _ in range(top, new_bottom + 1)]
        count = self.document.line_count
        if len(self._offset_to_line_info) != count:
            info, offsets = _identity(count)
            self._offset_to_line_info = info
            self._line_index_to_offsets = offsets  # type: ignore[assignment]

    def _clamped_rows(
        self, start: Location, old_end: Location, new_end: Location
    ) -> tuple[int, int, int]:
        """The same clamping as `WrappedDocument.wrap_range`: (top, old bottom, new bottom)."""
        old_max = len(self._line_index_to_offsets) - 1
        new_max = self.document.line_count - 1
        start_row = clamp(start[0], 0, min(old_max, new_max))
        old_end_row = clamp(old_end[0], 0, old_max)
        new_end_row = clamp(new_end[0], 0, new_max)
        top, old_bottom = sorted((start_row, old_end_row))
        return top, old_bottom, max(start_row, new_end_row)

    def _wrap_range_soft(self, start: Location, old_end: Location, new_end: Location) -> None:
        """`WrappedDocument.wrap_range` with the shifts below the edit done as comprehensions."""
        top, old_bottom, new_bottom = self._clamped_rows(start, old_end, new_end)
        top_y = self._line_index_to_offsets[top][0]
        old_bottom_y = self._line_index_to_offsets[old_bottom][-1]
        width, tab_width = self._width, self._tab_width

        wrap_offsets: list[list[int]] = []
        tab_widths: list[list[int]] = []
        line_offsets: list[list[int]] = []
        line_info: list[tuple[int, int]] = []
        y = top_y
        for line_index in range(top, new_bottom + 1):
            line = self.document[line_index]
            sections = get_tab_widths(line, tab_width)
            offsets = compute_wrap_offsets(
                line, width, tab_width, precomputed_tab_sections=sections
            )
            wrap_offsets.append(offsets)
            tab_widths.append([section_width for _, section_width in sections])
            line_offsets.append(list(range(y, y + len(offsets) + 1)))
            line_info.extend((line_index, section) for section in range(len(offsets) + 1))
            y += len(offsets) + 1

        row_shift = len(line_info) - (old_bottom_y - top_y + 1)
        line_shift = new_bottom - old_bottom
        below_rows = self._offset_to_line_info[old_bottom_y + 1 :]
        if line_shift:
            below_rows = [(index + line_shift, section) for index, section in below_rows]
        self._offset_to_line_info[top_y:] = line_info + below_rows
        below_lines = self._line_index_to_offsets[old_bottom + 1 :]
        if row_shift:
            below_lines = [[row + row_shift for row in rows] for rows in below_lines]
        self._line_index_to_offsets[top:] = line_offsets + below_lines
        self._tab_width_cache[top : old_bottom + 1] = tab_widths
        self._wrap_offsets[top : old_bottom + 1] = wrap_offsets
