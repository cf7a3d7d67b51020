"""Highlights computed for the rows on screen (plus a margin), cached per row.

The TextArea reads `self._highlights[line_index]` for each line it draws; these maps answer
that lookup from a per-row cache filled on demand, instead of the stock full-tree query on
every edit. A highlight is `(start_byte, end_byte | None, name)` on one row, the shape
`TextArea._render_line` expects; `name` is looked up in the theme's `syntax_styles`.

Tree-sitter: after the tree is re-parsed the whole cache is dropped and the visible rows
are queried again with a point-ranged `QueryCursor` (~2 ms for a screenful of a
20,000-line file). Keeping rows across edits with `Tree.changed_ranges` would not be
safe: captures like `isinstance(x, (identifier) @type)` depend on the text of another row,
and anchored patterns on siblings, neither of which changes the edited node's ancestors.

Deferred mode (`defer = True`, what CodeArea uses): an edit does not wait for the parse.
Until `settle()` runs, rows are served *provisionally*: the cached highlights moved with
the edit (spans after an insertion shift right, a token typed into grows), and rows the
edit created unhighlighted. An edited tree cannot be queried instead: its text predicates
(`#match?`) no longer see the text and match everything. CodeArea settles right after the
frame that shows the keystroke (parsing in slices of at most half a frame, between events),
then repaints the rows whose highlights changed.

Pygments, for languages without a grammar here, is in code_pygments.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from promptterm.ui.editor.widgets.code_document import Change, CodeSyntaxDocument

if TYPE_CHECKING:
    from tree_sitter import Query

Highlight = tuple[int, "int | None", str]
Rows = dict[int, list[Highlight]]

MARGIN = 8
"""Rows above and below the screen highlighted ahead of a scroll."""


class HighlightMap(Protocol):
    """What CodeArea needs from a highlighter."""

    defer: bool

    def __bool__(self) -> bool: ...

    def __getitem__(self, row: int) -> list[Highlight]: ...

    def prepare(self, first_row: int, last_row: int) -> None:
        """Make sure rows first_row..last_row (inclusive) are highlighted."""

    @property
    def settled(self) -> bool:
        """False while rows are provisional (deferred mode, after an edit)."""

    def settle(self, budget_micros: int | None = None) -> bool:
        """Do the deferred work, for at most about `budget_micros` (None: all of it).

        True when done: the next lookups give final highlights."""


class NoHighlights:
    """Plain text: falsy, so the TextArea skips highlighting altogether."""

    defer = False
    settled = True

    def __bool__(self) -> bool:
        return False

    def __getitem__(self, row: int) -> list[Highlight]:
        return []

    def prepare(self, first_row: int, last_row: int) -> None:
        return None

    def settle(self, budget_micros: int | None = None) -> bool:
        return True


class TreeSitterHighlights:
    """Visible-row highlights from a tree-sitter highlight query."""

    def __init__(self, document: CodeSyntaxDocument, query: Query) -> None:
        self.defer = False
        self._document = document
        self._query = query
        # Later patterns in a highlight query are the more specific ones (nvim-treesitter's
        # convention, which Textual's queries follow), so they are applied last and win.
        self._precedence = {query.capture_name(i): i for i in range(query.capture_count)}
        self._rows: Rows = {}
        self._revision = document.revision
        self._parse_count = document.parse_count

    def __bool__(self) -> bool:
        return True

    @property
    def settled(self) -> bool:
        return self._document.is_parsed

    def settle(self, budget_micros: int | None = None) -> bool:
        return self._document.parse_step(budget_micros)

    def __getitem__(self, row: int) -> list[Highlight]:
        self._sync()
        highlights = self._rows.get(row)
        if highlights is None:
            if self.defer and not self._document.is_parsed:
                return []
            self._fill(row - MARGIN, row + MARGIN)
            highlights = self._rows.get(row, [])
        return highlights

    def prepare(self, first_row: int, last_row: int) -> None:
        self._sync()
        if self.defer and not self._document.is_parsed:
            return
        low = max(0, first_row - MARGIN)
        high = min(self._document.line_count - 1, last_row + MARGIN)
        missing = [row for row in range(low, high + 1) if row not in self._rows]
        if missing:
            self._fill(missing[0], missing[-1])

    def _sync(self) -> None:
        document = self._document
        if document.parse_count != self._parse_count:
            self._rows.clear()
            self._parse_count = document.parse_count
            self._revision = document.revision
        elif document.revision != self._revision:
            changes = document.edits.changes_since(self._revision)
            if changes is None or not self.defer:
                self._rows.clear()
            else:
                for change in changes:
                    self._rows = shift_rows(self._rows, change)
            self._revision = document.revision

    def _fill(self, low: int, high: int) -> None:
        from tree_sitter import QueryCursor

        low = max(0, low)
        high = min(self._document.line_count - 1, high)
        if high < low:
            return
        tree = self._document.syntax_tree
        self._sync()  # the parse above may just have invalidated the cache
        cursor = QueryCursor(self._query)
        cursor.set_point_range((low, 0), (high + 1, 0))
        captures = cursor.captures(tree.root_node)
        rows: dict[int, list[tuple[int, int, int | None, str]]] = {
            row: [] for row in range(low, high + 1)
        }
        precedence = self._precedence
        for name, nodes in captures.items():
            rank = precedence.get(name, 0)
            for node in nodes:
                start_row, start_column = node.start_point
                end_row, end_column = node.end_point
                if start_row == end_row:
                    if low <= start_row <= high:
                        rows[start_row].append((rank, start_column, end_column, name))
                    continue
                for row in range(max(start_row, low), min(end_row, high) + 1):
                    if row == end_row:
                        if end_column:
                            rows[row].append((rank, 0, end_column, name))
                    elif row == start_row:
                        rows[row].append((rank, start_column, None, name))
                    else:
                        rows[row].append((rank, 0, None, name))
        for row, ranked in rows.items():
            ranked.sort(key=_rank)
            self._rows[row] = [(start, end, name) for _, start, end, name in ranked]


def _rank(item: tuple[int, int, int | None, str]) -> tuple[int, int, float]:
    # The same capture's nodes come in match order, which depends on the queried range:
    # order them by position too so a row's highlights do not depend on its window.
    rank, start, end, _ = item
    return rank, start, float("inf") if end is None else end


def shift_rows(rows: Rows, change: Change) -> Rows:
    """Cached rows moved along with an edit (provisional until the next real highlight).

    Rows above the edit keep theirs; rows below move with the line count. Within one line,
    spans after the edit shift and a span the edit falls into grows or shrinks with it.
    The first and last rows of a multi-line edit keep what lies outside the edit; rows the
    edit created in between have none.
    """
    (start_row, start_col), (old_row, old_col) = change.start, change.old_end
    new_row, new_col = change.new_end
    shifted: Rows = {}
    line_shift = new_row - old_row
    for row, spans in rows.items():
        if row < start_row:
            shifted[row] = spans
        elif row > old_row:
            shifted[row + line_shift] = spans
    if start_row == old_row == new_row:
        spans = rows.get(start_row)
        if spans is not None:
            shifted[start_row] = _shift_spans(spans, start_col, old_col, new_col)
        return shifted
    head = rows.get(start_row)
    tail = rows.get(old_row)
    before: list[Highlight] = [
        (s, e if e is not None and e <= start_col else start_col, n)
        for s, e, n in head or []
        if s < start_col
    ]
    shift = new_col - old_col
    after: list[Highlight] = [
        (max(s, old_col) + shift, None if e is None else e + shift, n)
        for s, e, n in tail or []
        if e is None or e > old_col
    ]
    if new_row == start_row:
        if head is not None and tail is not None:
            shifted[start_row] = before + after
    else:
        if head is not None:
            shifted[start_row] = before
        if tail is not None:
            shifted[new_row] = after
    return shifted


def _shift_spans(spans: list[Highlight], start: int, old_end: int, new_end: int) -> list[Highlight]:
    """Spans of one line after bytes start..old_end became start..new_end."""
    delta = new_end - old_end
    moved: list[Highlight] = []
    for span_start, span_end, name in spans:
        if span_start >= old_end and span_start > start:
            span_start += delta
        elif span_start > start:
            span_start = new_end
        if span_end is not None:
            if span_end >= old_end:
                span_end += delta
            elif span_end > start:
                span_end = start
            if span_end <= span_start:
                continue
        moved.append((span_start, span_end, name))
    return moved


_QUERIES: dict[tuple[int, str], tuple[object, Query]] = {}


def compiled_query(language: object, source: str) -> Query:
    """A highlight query compiled once per language and source (Python's takes ~30 ms)."""
    from tree_sitter import Query

    key = (id(language), source)
    cached = _QUERIES.get(key)
    if cached is None:
        # The language is kept alongside so its id cannot be reused while cached.
        cached = _QUERIES[key] = (language, Query(language, source))  # type: ignore[arg-type]
    return cached[1]
