"""Highlights from Pygments, for languages Textual has no tree-sitter grammar for.

Lexing is forward-only, so rows above an edit stay valid; the rows from the edit down are
lexed again starting `LOOKBACK` rows before the first one needed, so a construct opened
shortly above the window (a block comment, a heredoc) is still seen. One opened further
back than that is lexed as if the window started outside it.

Pygments is slow (~0.15 ms a line for C), so in deferred mode (what CodeArea uses) an edit
only shifts the cached rows (see `code_highlight.shift_rows`); `settle()`, run after the
frame that shows the keystroke, drops the rows from the edit down for re-lexing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.ui.editor.widgets.code_document import CodeDocument, encode
from promptterm.ui.editor.widgets.code_highlight import MARGIN, Highlight, Rows, shift_rows

if TYPE_CHECKING:
    from pygments.lexer import Lexer
    from pygments.token import _TokenType

LOOKBACK = 30
"""Rows lexed before the first row that has to be (re)highlighted, for context."""


class PygmentsHighlights:
    """Visible-row highlights from a Pygments lexer, mapped to the theme's syntax names."""

    def __init__(self, document: CodeDocument, lexer: Lexer) -> None:
        self.defer = False
        self._document = document
        self._lexer = lexer
        self._rows: Rows = {}
        self._revision = document.revision
        self._stale_from: int | None = None  # rows from here down are provisional

    def __bool__(self) -> bool:
        return True

    @property
    def settled(self) -> bool:
        self._sync()
        return self._stale_from is None

    def settle(self, budget_micros: int | None = None) -> bool:
        # Dropping the stale rows is all; the next paint lexes what it shows.
        self._sync()
        if self._stale_from is not None:
            stale_from = self._stale_from
            self._rows = {row: spans for row, spans in self._rows.items() if row < stale_from}
            self._stale_from = None
        return True

    def __getitem__(self, row: int) -> list[Highlight]:
        self._sync()
        highlights = self._rows.get(row)
        if highlights is None:
            if self._stale_from is not None:
                return []
            self._lex(row, min(self._document.line_count - 1, row + MARGIN))
            highlights = self._rows.get(row, [])
        return highlights

    def prepare(self, first_row: int, last_row: int) -> None:
        self._sync()
        if self._stale_from is not None:
            return
        low = max(0, first_row - MARGIN)
        high = min(self._document.line_count - 1, last_row + MARGIN)
        for row in range(low, high + 1):
            if row not in self._rows:
                self._lex(row, high)
                return

    def _sync(self) -> None:
        document = self._document
        if document.revision == self._revision:
            return
        changes = document.edits.changes_since(self._revision)
        self._revision = document.revision
        if changes is None:
            self._rows.clear()
            self._stale_from = None
            return
        top = min(change.start[0] for change in changes)
        if self.defer:
            for change in changes:
                self._rows = shift_rows(self._rows, change)
            self._stale_from = top if self._stale_from is None else min(top, self._stale_from)
        else:
            self._rows = {row: spans for row, spans in self._rows.items() if row < top}

    def _lex(self, first: int, last: int) -> None:
        """Highlight rows first..last, lexing from LOOKBACK rows earlier."""
        lines = self._document.lines
        start = max(0, first - LOOKBACK)
        # Character offset of each lexed row's start.
        starts: list[int] = []
        offset = 0
        for line in lines[start : last + 1]:
            starts.append(offset)
            offset += len(line) + 1
        text = "\n".join(lines[start : last + 1]) + "\n"
        rows: dict[int, list[tuple[int, int, str]]] = {row: [] for row in range(first, last + 1)}
        row = 0
        for index, token_type, value in self._lexer.get_tokens_unprocessed(text):
            name = token_name(token_type, value)
            if name is None or not value:
                continue
            token_end = index + len(value)
            while row + 1 < len(starts) and starts[row + 1] <= index:
                row += 1
            # A token may span lines (comments, strings): split it at each line start.
            token_row = row
            while token_row < len(starts):
                row_start = starts[token_row]
                row_end = row_start + len(lines[start + token_row])
                begin, end = max(index, row_start), min(token_end, row_end)
                target = rows.get(start + token_row)
                if target is not None and begin < end:
                    target.append((begin - row_start, end - row_start, name))
                if token_end <= row_end + 1:
                    break
                token_row += 1
        for row_index, spans in rows.items():
            line = lines[row_index]
            if line.isascii():
                self._rows[row_index] = list(spans)
            else:
                self._rows[row_index] = [
                    (len(encode(line[:begin])), len(encode(line[:end])), name)
                    for begin, end, name in spans
                ]


_TOKEN_NAMES: dict[_TokenType, str | None] = {}
_BRACKETS = frozenset("()[]{}")


def token_name(token_type: _TokenType, value: str) -> str | None:
    """The TextArea theme name for a Pygments token (None: unstyled)."""
    if not _TOKEN_NAMES:
        _TOKEN_NAMES.update(_token_table())
    name = _TOKEN_NAMES.get(token_type, "")
    if name == "":
        parent = token_type.parent
        name = token_name(parent, "") if parent is not None else None
        _TOKEN_NAMES[token_type] = name
    if name == "punctuation.delimiter" and value in _BRACKETS:
        return "punctuation.bracket"
    return name


def _token_table() -> dict[_TokenType, str | None]:
    from pygments import token as t

    # Names chosen from those every builtin TextAreaTheme styles.
    return {
        t.Token: None,
        t.Text: None,
        t.Whitespace: None,
        t.Error: None,
        t.Other: None,
        t.Keyword: "keyword",
        t.Keyword.Constant: "boolean",
        t.Keyword.Type: "type.builtin",
        t.Keyword.Namespace: "include",
        t.Name: None,
        t.Name.Builtin: "function.call",
        t.Name.Builtin.Pseudo: "variable.builtin",
        t.Name.Function: "function",
        t.Name.Function.Magic: "function",
        t.Name.Class: "class",
        t.Name.Decorator: "function",
        t.Name.Exception: "exception",
        t.Name.Tag: "tag",
        t.Name.Attribute: "css.property",
        t.Name.Constant: "constant.builtin",
        t.Name.Label: "json.label",
        t.Name.Entity: "constant.builtin",
        t.Literal: "string",
        t.String: "string",
        t.String.Doc: "string.documentation",
        t.Number: "number",
        t.Number.Float: "float",
        t.Comment: "comment",
        t.Comment.Preproc: "include",
        t.Comment.PreprocFile: "string",
        t.Operator: "operator",
        t.Operator.Word: "keyword.operator",
        t.Punctuation: "punctuation.delimiter",
        t.Generic: None,
        t.Generic.Heading: "heading",
        t.Generic.Subheading: "heading",
        t.Generic.Emph: "italic",
        t.Generic.Strong: "bold",
        t.Generic.Inserted: "string",
        t.Generic.Deleted: "exception",
    }
