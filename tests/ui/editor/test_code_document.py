"""CodeArea's bookkeeping stays identical to Textual's after any sequence of edits.

Documents (line widths, byte offsets, the incrementally re-parsed tree), the wrapped
document's row maps, and the provisional highlight shifting, checked against Textual's own
classes or a from-scratch computation after seeded random edits.
"""

from __future__ import annotations

import random

import pytest
from textual._tree_sitter import get_language
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from promptterm.ui.editor.widgets.code_document import (
    Change,
    CodeDocument,
    CodeSyntaxDocument,
    encode,
)
from promptterm.ui.editor.widgets.code_highlight import shift_rows
from promptterm.ui.editor.widgets.code_wrap import CodeWrappedDocument

SOURCE = '''"""A module docstring."""

import os


class Greeter:
    """Says hello; naïve about unicode? No: «ünïcödé» and 你好 too."""

    def greet(self, name: str) -> str:
\t\treturn f"Hello, {name}!"  # a tab-indented line


def main() -> None:
    print(Greeter().greet(os.environ.get("USER", "world")))
'''

INSERTS = ["x", "\n", "    ", "é", "你", '"""', "(", ")", "\t", "if True:\n    pass\n", ""]


def _random_edit(
    rng: random.Random, lines: list[str]
) -> tuple[tuple[int, int], tuple[int, int], str]:
    def location() -> tuple[int, int]:
        row = rng.randrange(len(lines))
        return row, rng.randint(0, len(lines[row]))

    start = location()
    end = start if rng.random() < 0.5 else location()
    return start, end, rng.choice(INSERTS)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_syntax_document_matches_a_fresh_parse_after_random_edits(newline: str) -> None:
    language = get_language("python")
    document = CodeSyntaxDocument(SOURCE.replace("\n", newline), language)
    stock = Document(SOURCE.replace("\n", newline))
    rng = random.Random(4)
    for step in range(150):
        start, end, text = _random_edit(rng, document.lines)
        assert document.replace_range(start, end, text) == stock.replace_range(start, end, text)
        assert document.lines == stock.lines
        if step % 10 == 0:
            fresh = CodeSyntaxDocument(stock.text, language)
            # The buffer tree-sitter reads, the per-line byte lengths and the tree itself.
            assert bytes(document._source) == encode(stock.text)
            assert document._line_bytes == [len(encode(line)) for line in stock.lines]
            assert str(document.syntax_tree.root_node) == str(fresh.syntax_tree.root_node)
            assert document.get_size(4) == stock.get_size(4)
            assert document.get_size(8) == stock.get_size(8)


def test_syntax_document_reparses_once_per_batch_of_edits() -> None:
    document = CodeSyntaxDocument(SOURCE, get_language("python"))
    parses = document.parse_count
    for column in range(5):
        document.replace_range((2, column), (2, column), "z")
    assert not document.is_parsed
    assert document.parse_count == parses  # edits alone never parse
    root = document.syntax_tree.root_node
    assert document.parse_count == parses + 1 and document.is_parsed
    assert root.text is not None and b"zzzzzimport os" in root.text


def test_a_parse_runs_in_slices_and_restarts_when_the_text_changes() -> None:
    language = get_language("python")
    text = SOURCE * 400
    document = CodeSyntaxDocument(text, language)
    document.replace_range((0, 0), (0, 0), "(")  # an unclosed bracket: a long re-parse
    slices = 0
    while not document.parse_step(50):  # 50 microseconds at a time
        slices += 1
        if slices == 3:
            # Typing while a parse is suspended: it starts over on the new text.
            document.replace_range((0, 0), (0, 1), "")
    assert slices > 3 and document.is_parsed
    assert str(document.syntax_tree.root_node) == str(
        CodeSyntaxDocument(text, language).syntax_tree.root_node
    )


def test_plain_document_size_and_change_log_follow_edits() -> None:
    document = CodeDocument(SOURCE)
    stock = Document(SOURCE)
    rng = random.Random(7)
    revision = document.revision
    for _ in range(60):
        start, end, text = _random_edit(rng, document.lines)
        document.replace_range(start, end, text)
        stock.replace_range(start, end, text)
        assert document.get_size(4) == stock.get_size(4)
    changes = document.edits.changes_since(revision)
    assert changes is not None and len(changes) == 60
    assert document.edits.top_since(document.revision) is None
    # Older than the log remembers: the caller must start over.
    for _ in range(300):
        document.replace_range((0, 0), (0, 0), "a")
    assert document.edits.changes_since(revision) is None
    assert document.edits.top_since(revision) == 0


@pytest.mark.parametrize("width", [0, 12, 30])
def test_wrapped_document_maps_match_textual_after_random_edits(width: int) -> None:
    ours_document, stock_document = Document(SOURCE), Document(SOURCE)
    ours = CodeWrappedDocument(ours_document, width=width, tab_width=4)
    stock = WrappedDocument(stock_document, width=width, tab_width=4)
    rng = random.Random(11)
    for _ in range(120):
        start, end, text = _random_edit(rng, ours_document.lines)
        top, bottom = sorted((start, end))
        result = ours_document.replace_range(start, end, text)
        stock_document.replace_range(start, end, text)
        ours.wrap_range(top, bottom, result.end_location)
        stock.wrap_range(top, bottom, result.end_location)
        assert ours.height == stock.height
        assert list(ours._offset_to_line_info) == stock._offset_to_line_info
        assert [list(rows) for rows in ours._line_index_to_offsets] == stock._line_index_to_offsets
        assert ours._wrap_offsets == stock._wrap_offsets
        for line in range(ours_document.line_count):
            assert ours.get_tab_widths(line) == stock.get_tab_widths(line)
        cursor = (rng.randrange(ours_document.line_count), 0)
        assert ours.location_to_offset(cursor) == stock.location_to_offset(cursor)


def test_shift_rows_moves_highlights_with_an_insertion_in_a_line() -> None:
    rows = {
        0: [(0, 3, "keyword")],
        1: [(4, 8, "function"), (8, 9, "punctuation")],
        2: [(0, 2, "x")],
    }
    # "x" typed at byte 6 of row 1, inside the function name.
    shifted = shift_rows(rows, Change((1, 6), (1, 6), (1, 7)))
    assert shifted == {
        0: [(0, 3, "keyword")],
        1: [(4, 9, "function"), (9, 10, "punctuation")],
        2: [(0, 2, "x")],
    }
    # Deleting bytes 4..8 (the whole name) drops its span and pulls the rest left.
    shifted = shift_rows(rows, Change((1, 4), (1, 8), (1, 4)))
    assert shifted[1] == [(4, 5, "punctuation")]


def test_shift_rows_splits_and_joins_lines() -> None:
    rows = {0: [(0, 3, "keyword"), (4, 7, "function")], 1: [(0, 5, "string")], 5: [(1, 2, "n")]}
    # Enter at byte 4 of row 0: the head keeps "def", the new row 1 gets the name.
    enter = shift_rows(rows, Change((0, 4), (0, 4), (1, 0)))
    assert enter == {
        0: [(0, 3, "keyword")],
        1: [(0, 3, "function")],
        2: [(0, 5, "string")],
        6: [(1, 2, "n")],
    }
    # Joining rows 0 and 1 (delete from the end of row 0 to the start of row 1).
    join = shift_rows(rows, Change((0, 7), (1, 0), (0, 7)))
    assert join == {0: [(0, 3, "keyword"), (4, 7, "function"), (7, 12, "string")], 4: [(1, 2, "n")]}
    # A paste of three lines in the middle of row 1: rows it creates are unknown.
    paste = shift_rows(rows, Change((1, 2), (1, 2), (3, 4)))
    assert 2 not in paste and paste[1] == [(0, 2, "string")] and paste[3] == [(4, 7, "string")]
    assert paste[7] == [(1, 2, "n")]
