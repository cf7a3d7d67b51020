"""CodeArea in a Pilot app: after edits, what is highlighted and what is on screen equals a
full re-highlight of the same text (and a freshly opened CodeArea showing it).

The incremental pieces (re-parse, ranged queries, cached rows moved with edits, deferred
settling, partial repaints) must never show something a from-scratch render would not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.document._wrapped_document import WrappedDocument
from textual.pilot import Pilot
from textual.widgets import TextArea

from promptterm.ui.editor.widgets import code_area
from promptterm.ui.editor.widgets.code_area import CodeArea
from promptterm.ui.editor.widgets.code_document import CodeSyntaxDocument
from ui.helpers import wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

Highlight = tuple[int, "int | None", str]

BLOCK = '''
@dataclass
class Widget{n}(Base):
    """Widget number {n}.

    A docstring over several lines.
    """

    LIMIT = {n}  # a constant, by its name

    def compute(self, value: float, *others: int) -> float:
        if isinstance(value, (int, float)) and value > self.LIMIT:
            return value * 2.5 + len(others)
        label = f"widget-{{value}}"
        return float(label.count("-"))
'''


def python_text(blocks: int = 30) -> str:
    return "import os\n" + "".join(BLOCK.format(n=n) for n in range(blocks))


class CodeApp(App[None]):
    CSS = "CodeArea { height: 1fr; }"

    def __init__(self, area: CodeArea) -> None:
        super().__init__()
        self.area = area

    def compose(self) -> ComposeResult:
        yield self.area


def make_area(text: str, language: str | None = "python", **options: object) -> CodeArea:
    area = CodeArea.code_editor(text, language=language, theme="monokai", **options)  # type: ignore[arg-type]
    area.cursor_blink = False
    return area


async def settle(pilot: Pilot[None], area: CodeArea) -> None:
    """Let the deferred parse run and its repaint land (as it does after a frame)."""
    await pilot.pause()
    area.settle_highlights()
    await pilot.pause()


def reference_rows(area: CodeArea) -> dict[int, list[Highlight]]:
    """Highlights from scratch: a fresh full parse and a query over the whole tree."""
    from tree_sitter import Parser, QueryCursor

    document = area.document
    assert isinstance(document, CodeSyntaxDocument)
    query = area._highlight_query
    tree = Parser(document.language).parse(area.text.encode())
    precedence = {query.capture_name(i): i for i in range(query.capture_count)}
    rows: dict[int, list[tuple[int, int, float, Highlight]]] = {}
    for name, nodes in QueryCursor(query).captures(tree.root_node).items():
        for node in nodes:
            (start_row, start_col), (end_row, end_col) = node.start_point, node.end_point
            for row in range(start_row, end_row + 1):
                start = start_col if row == start_row else 0
                end = end_col if row == end_row else None
                if row == end_row and row != start_row and not end_col:
                    continue
                order = float("inf") if end is None else end
                rows.setdefault(row, []).append(
                    (precedence[name], start, order, (start, end, name))
                )
    return {row: [item[3] for item in sorted(spans)] for row, spans in rows.items()}


def visible_lines(area: CodeArea) -> list[int]:
    info = area.wrapped_document._offset_to_line_info
    top = area.scroll_offset.y
    return sorted({info[y][0] for y in range(top, min(top + area.size.height, len(info)))})


def assert_matches_full_rehighlight(area: CodeArea) -> None:
    assert area.highlighter.settled
    reference = reference_rows(area)
    for row in visible_lines(area):
        assert area.highlighter[row] == reference.get(row, []), f"row {row}: {area.document[row]!r}"


def screen_cells(app: App[None]) -> list[list[tuple[str, Style | None]]]:
    """The screen as cells (character, style): what the terminal was sent, overall."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        cells: list[tuple[str, Style | None]] = []
        for segment in strip:
            cells.extend((char, segment.style) for char in segment.text)
        rows.append(cells)
    return rows


async def assert_screen_as_fresh(app: CodeApp, area: CodeArea) -> None:
    """The edited area shows exactly what a newly opened one with the same state shows."""
    expected_text, selection = area.text, area.selection
    scroll = area.scroll_offset
    shown = screen_cells(app)
    fresh = make_area(
        expected_text,
        language=area.language,
        soft_wrap=area.soft_wrap,
        read_only=area.read_only,
    )
    fresh_app = CodeApp(fresh)
    async with fresh_app.run_test(size=SMALL) as pilot:
        fresh.focus()
        fresh.selection = selection
        await pilot.pause()
        fresh.scroll_to(scroll.x, scroll.y, animate=False, immediate=True)
        await settle(pilot, fresh)
        assert fresh.scroll_offset == scroll
        assert screen_cells(fresh_app) == shown


Script = Callable[[Pilot[None], CodeArea], Awaitable[None]]


async def type_in_a_method(pilot: Pilot[None], area: CodeArea) -> None:
    area.move_cursor((44, 8))
    await pilot.press(*"total = isinstance(value, Widget3)", "enter")
    await pilot.press("tab", *"return")


async def open_a_docstring_and_undo(pilot: Pilot[None], area: CodeArea) -> None:
    # Typing a quote turns everything below into a string, until undone.
    area.move_cursor((38, 0))
    await pilot.press(*'"""')
    await settle(pilot, area)
    assert any(name == "string" for _, _, name in area.highlighter[45])
    await pilot.press("ctrl+z")


async def paste_and_delete_lines(pilot: Pilot[None], area: CodeArea) -> None:
    area.move_cursor((36, 0))
    area.post_message(events.Paste("def pasted(a, b):\n    return a + b  # sum\n\n"))
    await pilot.pause()
    area.move_cursor((30, 0))
    await pilot.press("shift+down", "shift+down", "shift+down", "delete")


async def backspace_across_lines(pilot: Pilot[None], area: CodeArea) -> None:
    area.move_cursor((41, 0))
    await pilot.press("backspace", "backspace", "delete", "delete")
    await pilot.press("ctrl+z", "ctrl+y")


async def replace_through_the_api(pilot: Pilot[None], area: CodeArea) -> None:
    area.replace("class Renamed(Base):\n    pass\n", (33, 0), (35, 0))
    area.insert("x = 1\n", (34, 0))
    area.delete((36, 4), (36, 10))
    area.undo()
    area.redo()


@pytest.mark.parametrize(
    "script",
    [
        type_in_a_method,
        open_a_docstring_and_undo,
        paste_and_delete_lines,
        backspace_across_lines,
        replace_through_the_api,
    ],
)
async def test_edits_leave_what_a_full_rehighlight_gives(script: Script) -> None:
    area = make_area(python_text())
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        area.move_cursor((40, 0), center=True)
        await settle(pilot, area)
        assert_matches_full_rehighlight(area)
        await script(pilot, area)
        await settle(pilot, area)
        assert_matches_full_rehighlight(area)
        await assert_screen_as_fresh(app, area)


async def test_a_keystroke_is_drawn_before_the_parse_with_shifted_highlights() -> None:
    area = make_area(python_text())
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        area.move_cursor((40, 0), center=True)
        await settle(pilot, area)
        assert area.document[43].strip().startswith("return")
        before = area.highlighter[43]
        keyword = next(span for span in before if span[2] == "keyword.return")
        area.insert("xy", (43, 0))
        # Not parsed yet: the row keeps its highlights, moved right by the insertion.
        assert not area.highlighter.settled
        assert (keyword[0] + 2, keyword[1] + 2, "keyword.return") in area.highlighter[43]
        await settle(pilot, area)
        assert_matches_full_rehighlight(area)


async def test_scrolling_far_highlights_rows_on_demand() -> None:
    area = make_area(python_text(200))
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        for row in (1500, 2900, 10):
            area.move_cursor((row, 0), center=True)
            await settle(pilot, area)
            assert_matches_full_rehighlight(area)
        await pilot.press("pagedown", "pagedown", "down", "down")
        await settle(pilot, area)
        assert_matches_full_rehighlight(area)
        await assert_screen_as_fresh(app, area)


async def test_an_edit_deep_in_a_20000_line_file_settles_in_slices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = python_text(1400)
    assert text.count("\n") > 20_000
    area = make_area(text)
    app = CodeApp(area)
    # Tiny slices, so the re-parse spans many idle moments between events.
    monkeypatch.setattr(code_area, "SETTLE_SLICE_MICROS", 200)
    steps: list[bool] = []
    parse_step = area.document.parse_step  # type: ignore[union-attr]

    def counted(budget: int | None) -> bool:
        steps.append(done := parse_step(budget))
        return done

    monkeypatch.setattr(area.document, "parse_step", counted)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        area.move_cursor((15_001, 0), center=True)
        await pilot.press(*"if (x):", "enter")
        await wait_until(pilot, lambda: area.highlighter.settled, "the highlighter to settle")
        assert area.document[15_001] == "if (x):"
        assert steps.count(False) > 1 and steps[-1]
        await pilot.pause()
        assert_matches_full_rehighlight(area)
        await assert_screen_as_fresh(app, area)


async def test_soft_wrap_follows_edits() -> None:
    long_line = "    result = compute(" + ", ".join(f"argument_{n}" for n in range(20)) + ")\n"
    text = python_text(3).replace("import os\n", "import os\n" + long_line * 3)
    area = make_area(text, soft_wrap=True)
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        area.move_cursor((2, 30))
        await pilot.press(*"more, more, more, ", "enter", *"tail")
        area.move_cursor((1, 10))
        await pilot.press("backspace", "backspace")
        await settle(pilot, area)
        stock = WrappedDocument(area.document, width=area.wrap_width, tab_width=area.indent_width)
        ours = area.wrapped_document
        assert ours._offset_to_line_info == stock._offset_to_line_info
        assert ours._line_index_to_offsets == stock._line_index_to_offsets
        assert ours.height == stock.height > area.document.line_count
        assert_matches_full_rehighlight(area)
        await assert_screen_as_fresh(app, area)


async def test_read_only_highlights_and_ignores_typing() -> None:
    text = python_text(2)
    area = make_area(text, read_only=True)
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        await pilot.press("down", "down", *"abc", "enter", "backspace")
        await settle(pilot, area)
        assert area.text == text
        assert area.cursor_location == (2, 0)
        assert_matches_full_rehighlight(area)
        area.read_only = False
        await pilot.press(*"# note", "enter")
        await settle(pilot, area)
        assert area.document[2] == "# note"
        assert_matches_full_rehighlight(area)


KEYS = ["down", "end", "enter", *"epsilon", "ctrl+z", *" zeta", "left", "left", "backspace"]
KEYS += ["ctrl+left", "shift+end", "delete", "up", "home", "ctrl+shift+right", *"(x)"]


async def test_plain_text_stays_plain_and_edits_like_textarea() -> None:
    text = "alpha beta\ngamma (delta)\n"
    stock = TextArea.code_editor(text, language=None)
    stock.cursor_blink = False
    async with CodeApp(stock).run_test(size=SMALL) as pilot:  # type: ignore[arg-type]
        stock.focus()
        await pilot.press(*KEYS)
    area = make_area(text, language=None)
    assert not area.is_highlighted
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        await pilot.press(*KEYS)
        await pilot.pause()
        assert (area.text, area.selection) == (stock.text, stock.selection)
        assert area.text != text
        await assert_screen_as_fresh(app, area)


async def test_language_switch_and_load_text_rehighlight() -> None:
    area = make_area(python_text(2))
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.language = "json"
        area.load_text('{"name": "widget", "count": 3, "ok": true}\n')
        await settle(pilot, area)
        assert {name for _, _, name in area.highlighter[0]} >= {"json.label", "string", "number"}
        assert_matches_full_rehighlight(area)
        area.language = None
        await pilot.pause()
        assert not area.is_highlighted and area.text.startswith('{"name"')


async def test_placeholder_shows_on_an_empty_area_and_goes_with_typing() -> None:
    area = make_area("", placeholder="Start typing…")
    app = CodeApp(area)
    async with app.run_test(size=SMALL) as pilot:
        area.focus()
        await pilot.pause()
        assert "Start typing…" in "".join(char for char, _ in screen_cells(app)[1])
        await pilot.press(*"pass")
        await settle(pilot, area)
        assert "Start typing" not in "".join(char for row in screen_cells(app) for char, _ in row)
        assert area.text == "pass"


def test_bracket_matching_agrees_with_textarea() -> None:
    text = "def f(a, b[0]):\n    return {'k': (a, [b])}\n(unclosed\n]\n"
    area = make_area(text)
    for row, line in enumerate(area.document.lines):
        for column, char in enumerate(line):
            expected = TextArea.find_matching_bracket(area, char, (row, column))
            assert area.find_matching_bracket(char, (row, column)) == expected, (row, column)
