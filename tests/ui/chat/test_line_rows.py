"""A streaming line is drawn as Textual draws it, growing from its last row: at every width
and cut, the rows equal Textual's own drawing of the line in its place in the answer (text,
styles, links and the offsets a mouse selection reads), and the rows before the last are the
ones drawn before."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from promptterm.ui.chat.widgets.line_rows import LineRows, draw_line
from promptterm.ui.chat.widgets.markdown import markdown_content
from promptterm.ui.chat.widgets.stream_body import StreamBody

WORDS = [
    "a", "word", "streaming", "**bold", "words**", "*it*", "`code`", "[link](https://e.x)",
    "supercalifragilisticexpialidocious", "—", "日本語", "x" * 30, "end.", "  ", "tab\tbed",
]  # fmt: skip


def textual_rows(widget: Widget, line: Content, y: int, width: int) -> list[Strip]:
    """How Textual draws ``line`` as line ``y`` of a text: the rows after the ``y`` above."""
    whole = Content("\n" * y) + line if y else line
    rows = Visual.to_strips(
        widget, whole, width, None, widget.visual_style, apply_selection=False, pad=True
    )
    return rows[y:]


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))


class Host(App[None]):
    CSS = "StreamBody { height: auto; }"  # chat.tcss


@asynccontextmanager
async def mounted(
    size: tuple[int, int] = (80, 24),
) -> AsyncIterator[tuple[Pilot[None], StreamBody]]:
    """A streaming body on a screen of ``size``, laid out."""
    app = Host()
    async with app.run_test(size=size) as pilot:
        body = StreamBody()
        await app.mount(body)
        await pilot.pause()
        yield pilot, body


@pytest.mark.anyio
async def test_a_growing_line_is_drawn_as_textual_draws_it_whole() -> None:
    rng = random.Random(20)
    async with mounted() as (_, widget):
        for _ in range(150):
            text = paragraph(rng)
            width = rng.randint(4, 50)
            y = rng.choice([0, 1, 7])
            kept: LineRows | None = None
            cuts = sorted({rng.randint(1, len(text)) for _ in range(rng.randint(1, 12))})
            for cut in [*cuts, len(text)]:
                line = markdown_content(text[:cut])
                assert "\n" not in line.plain
                drawn = draw_line(widget, line, y, width, kept)
                assert drawn.rows == textual_rows(widget, line, y, width), (text[:cut], width)
                kept = drawn


@pytest.mark.anyio
async def test_only_the_last_row_of_a_growing_paragraph_is_drawn_again() -> None:
    async with mounted() as (_, widget):
        text = "Words that wrap over several rows at twenty columns, then more"
        before = draw_line(widget, markdown_content(text), 3, 20)
        after = draw_line(widget, markdown_content(text + " words"), 3, 20, before)
        assert len(before.rows) == 4
        assert all(a is b for a, b in zip(after.rows[:3], before.rows[:3], strict=True))
        assert after.rows[3] != before.rows[3]
        # A style that changes what was there (a link recognised once whole, say) draws the
        # line whole.
        plain = draw_line(widget, Content(text), 3, 20)
        styled = Content(text + " words").stylize("bold", 0, 5)
        restyled = draw_line(widget, styled, 3, 20, plain)
        assert restyled.rows == textual_rows(widget, styled, 3, 20)


@pytest.mark.anyio
async def test_a_paragraph_settles_with_the_rows_it_was_drawn_with() -> None:
    async with mounted((20, 40)) as (_, body):
        body.append("A first paragraph that wraps over a few rows.")
        tail = [body._rows.row(n) for n in range(3)]
        repainted_from: list[int] = []
        drawn = body._drawn
        body._drawn = lambda first: (repainted_from.append(first), drawn(first))[1]  # type: ignore[method-assign]
        body.append("\n\nA second one.\n\nAnd a third")  # the first settles
        assert body._rows._drawn  # (it did)
        assert all(body._rows.row(n) is row for n, row in enumerate(tail))
        assert repainted_from == [3]  # nothing above the new rows is painted again


@pytest.mark.anyio
async def test_streamed_rows_are_the_rows_of_the_answer_drawn_from_nothing() -> None:
    # Settled blocks take the rows their lines were drawn with as the tail: what a stream
    # leaves on screen is what a redraw (a new width and back) draws.
    rng = random.Random(7)
    app = Host()
    async with app.run_test(size=(30, 60)) as pilot:
        for _ in range(20):
            blocks = [paragraph(rng) for _ in range(rng.randint(1, 5))]
            text = "\n\n".join(blocks) + "\n\n- a list\n- of two"
            body = StreamBody()
            await app.mount(body)
            await pilot.pause()
            start = 0
            for cut in sorted({rng.randint(0, len(text)) for _ in range(30)}):
                body.append(text[start:cut])
                start = cut
            body.append(text[start:])
            rows = body._rows
            streamed = [rows.row(n) for n in range(rows.count)]
            rows.redraw(rows.width)
            assert [rows.row(n) for n in range(rows.count)] == streamed
            await body.remove()


@pytest.mark.anyio
async def test_text_with_an_action_is_drawn_in_the_link_style() -> None:
    async with mounted() as (_, widget):
        line = Content.from_markup("Press [@click=app.bell]this[/] to ring, then read on")
        drawn = draw_line(widget, line, 2, 12)
        assert drawn.rows == textual_rows(widget, line, 2, 12)
        assert drawn.rows != draw_line(widget, Content(line.plain), 2, 12).rows
