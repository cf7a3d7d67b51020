"""Documents whose per-edit cost does not grow with the file.

Textual's `Document.get_size` measures every line on every edit, and `SyntaxAwareDocument`
sums the bytes of every line above an edit (twice) and re-parses through a Python read
callback per edit. These keep per-line widths and byte lengths up to date incrementally,
hold the source as one `bytearray` that tree-sitter reads directly, and re-parse lazily:
once per batch of edits (an undo of ten edits parses once), when the tree is next needed,
or in time slices (`parse_step`) that a caller spreads between events. An incremental
re-parse is ~4 ms at 20,000 lines, but tens of ms while the text has a syntax error (an
unclosed bracket as it is typed), which is why CodeArea does not wait for it.

Both count edits in `revision` and remember the recent ones as `Change`s, so highlighters
can tell which of their cached rows are still valid, or shift them, without being told
about every edit.
"""

from __future__ import annotations

import warnings
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.document._document import Document, EditResult, Location
from textual.document._syntax_aware_document import SyntaxAwareDocument
from textual.geometry import Size

if TYPE_CHECKING:
    from tree_sitter import Language, Tree

# How many edits a document remembers the top row of; a highlighter further behind than
# this simply starts again from the first row.
_EDIT_LOG = 256


def encode(text: str) -> bytes:
    """UTF-8, tolerating lone surrogates so an odd file never crashes the editor."""
    return text.encode("utf-8", "surrogatepass")


def line_width(line: str, tab_width: int) -> int:
    """Cell width of a line with tabs expanded, as `Document.get_size` measures it."""
    expanded = line.expandtabs(tab_width)
    if expanded.isascii() and expanded.isprintable():
        return len(expanded)
    return cell_len(expanded)


Point = tuple[int, int]
"""(row, UTF-8 byte column), as tree-sitter counts."""


@dataclass(frozen=True)
class Change:
    """One replace_range, in points: text from `start` to `old_end` now ends at `new_end`."""

    start: Point
    old_end: Point
    new_end: Point


class _EditLog:
    """Counts edits and remembers the recent ones."""

    def __init__(self) -> None:
        self.revision = 0
        self._changes: deque[tuple[int, Change]] = deque(maxlen=_EDIT_LOG)

    def record(self, change: Change) -> None:
        self.revision += 1
        self._changes.append((self.revision, change))

    def changes_since(self, revision: int) -> list[Change] | None:
        """The changes made after `revision`, oldest first; None if some were forgotten."""
        if revision == self.revision:
            return []
        if not self._changes or self._changes[0][0] > revision + 1:
            return None
        return [change for rev, change in self._changes if rev > revision]

    def top_since(self, revision: int) -> int | None:
        """The smallest row edited after `revision`; None if nothing was; 0 if forgotten."""
        changes = self.changes_since(revision)
        if changes is None:
            return 0
        return min((change.start[0] for change in changes), default=None)


class _Widths:
    """Cell widths of every line for one tab width, updated per edit."""

    def __init__(self) -> None:
        self.tab_width = -1
        self.widths: list[int] = []

    def size(self, lines: list[str], tab_width: int) -> Size:
        if tab_width != self.tab_width:
            self.tab_width = tab_width
            self.widths = [line_width(line, tab_width) for line in lines]
        return Size(max(self.widths, default=0), len(lines))

    def replace(self, top_row: int, old_bottom_row: int, new_lines: list[str]) -> None:
        if self.tab_width >= 0:
            tab_width = self.tab_width
            self.widths[top_row : old_bottom_row + 1] = [
                line_width(line, tab_width) for line in new_lines
            ]


class CodeDocument(Document):
    """A plain-text document with O(edit) size bookkeeping."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._widths = _Widths()
        self.edits = _EditLog()

    @property
    def revision(self) -> int:
        return self.edits.revision

    def get_size(self, tab_width: int) -> Size:
        return self._widths.size(self._lines, tab_width)

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        top, bottom = sorted((start, end))
        start_point, old_end_point = _point(self._lines, top), _point(self._lines, bottom)
        result = super().replace_range(start, end, text)
        new_bottom_row = result.end_location[0]
        self._widths.replace(top[0], bottom[0], self._lines[top[0] : new_bottom_row + 1])
        self.edits.record(
            Change(start_point, old_end_point, _point(self._lines, result.end_location))
        )
        return result


def _point(lines: list[str], location: Location) -> Point:
    row, column = location
    if row < len(lines):
        return row, len(encode(lines[row][:column]))
    return row, 0


class CodeSyntaxDocument(SyntaxAwareDocument):
    """A tree-sitter document that re-parses incrementally from an in-memory buffer.

    `syntax_tree` is always current: edits only `Tree.edit` the old tree, and the next read
    re-parses once with it, so a burst of edits costs one incremental parse.
    """

    def __init__(self, text: str, language: Language) -> None:
        from tree_sitter import Parser

        # SyntaxAwareDocument.__init__ parses through a per-line Python callback; skip it.
        Document.__init__(self, text)
        self.language = language
        self._parser = Parser(language)
        self._widths = _Widths()
        self.edits = _EditLog()
        self._newline_bytes = len(encode(self.newline))
        self._line_bytes = [len(encode(line)) for line in self._lines]
        self._source = bytearray(encode(self.text))
        self._tree: Tree = self._parser.parse(bytes(self._source))
        self._stale = False
        self.parse_count = 0
        """How many times the tree was (re)built: highlights cached before are stale."""
        self._parsing_revision: int | None = None  # the text a suspended parse is for
        self._parsing_source = b""

    @property
    def revision(self) -> int:
        return self.edits.revision

    @property
    def is_parsed(self) -> bool:
        """False while edits wait for the next (incremental) parse."""
        return not self._stale

    @property
    def syntax_tree(self) -> Tree:
        """The tree for the current text, re-parsed (incrementally) if edits are pending."""
        self.parse_step(None)
        return self._tree

    def parse_step(self, budget_micros: int | None) -> bool:
        """Advance the pending parse by at most `budget_micros` (None: to the end).

        Returns True once the tree matches the text. A parse that runs out of time is
        suspended (tree-sitter keeps its state) and resumed by the next call, unless the
        text changed meanwhile, in which case it starts over from the edited tree.
        """
        if not self._stale:
            return True
        if self._parsing_revision != self.revision:
            if self._parsing_revision is not None:
                self._parser.reset()
            self._parsing_source = bytes(self._source)
            self._parsing_revision = self.revision
        with warnings.catch_warnings():
            # Deprecated in favour of a progress callback that 0.25's parse() lacks.
            warnings.simplefilter("ignore", DeprecationWarning)
            self._parser.timeout_micros = budget_micros or 0
        try:
            tree = self._parser.parse(self._parsing_source, self._tree)
        except ValueError:  # out of time; the parser resumes from here next call
            return False
        self._tree = tree
        self._stale = False
        self._parsing_revision = None
        self._parsing_source = b""
        self.parse_count += 1
        return True

    # SyntaxAwareDocument.query_syntax_tree reads this attribute.
    @property
    def _syntax_tree(self) -> Tree:  # type: ignore[override]
        return self.syntax_tree

    @_syntax_tree.setter
    def _syntax_tree(self, tree: Tree) -> None:
        self._tree = tree
        self._stale = False
        self.parse_count += 1

    def get_size(self, tab_width: int) -> Size:
        return self._widths.size(self._lines, tab_width)

    def _line_start_byte(self, row: int) -> int:
        return sum(self._line_bytes[:row]) + row * self._newline_bytes

    def _location_to_point(self, location: Location) -> tuple[int, int]:
        return _point(self._lines, location)

    def _location_to_byte_offset(self, location: Location) -> int:
        row, column = self._location_to_point(location)
        return self._line_start_byte(row) + column

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        top, bottom = sorted((start, end))
        line_count = len(self._lines)
        if bottom[0] >= line_count:
            # Outside the document (only reachable through the API): Document pads the
            # edit its own way, so resynchronise everything rather than mirror that.
            start_point = _point(self._lines, top)
            result = Document.replace_range(self, start, end, text)
            self._resync()
            self.edits.record(Change(start_point, start_point, start_point))
            return result

        top_row, bottom_row = top[0], bottom[0]
        start_point = self._location_to_point(top)
        old_end_point = self._location_to_point(bottom)
        region_start = self._line_start_byte(top_row)
        start_byte = region_start + start_point[1]
        old_end_byte = (
            region_start
            + sum(self._line_bytes[top_row:bottom_row])
            + (bottom_row - top_row) * self._newline_bytes
            + old_end_point[1]
        )
        old_region_end = old_end_byte - old_end_point[1] + self._line_bytes[bottom_row]

        result = Document.replace_range(self, start, end, text)

        new_end_row, _ = result.end_location
        new_lines = self._lines[top_row : new_end_row + 1]
        encoded = [encode(line) for line in new_lines]
        self._line_bytes[top_row : bottom_row + 1] = [len(line) for line in encoded]
        self._source[region_start:old_region_end] = encode(self.newline).join(encoded)
        self._widths.replace(top_row, bottom_row, new_lines)

        new_end_point = self._location_to_point(result.end_location)
        new_end_byte = (
            region_start
            + sum(self._line_bytes[top_row:new_end_row])
            + (new_end_row - top_row) * self._newline_bytes
            + new_end_point[1]
        )
        self._tree.edit(
            start_byte=start_byte,
            old_end_byte=old_end_byte,
            new_end_byte=new_end_byte,
            start_point=start_point,
            old_end_point=old_end_point,
            new_end_point=new_end_point,
        )
        self._stale = True
        self.edits.record(Change(start_point, old_end_point, new_end_point))
        return result

    def _resync(self) -> None:
        if self._parsing_revision is not None:
            self._parser.reset()
            self._parsing_revision = None
        self._line_bytes = [len(encode(line)) for line in self._lines]
        self._source = bytearray(encode(self.text))
        self._widths.tab_width = -1
        self._tree = self._parser.parse(bytes(self._source))
        self._stale = False
        self.parse_count += 1
