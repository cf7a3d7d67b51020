"""A streaming answer's body: however the tokens are cut, what it shows is what the stored
answer will show, and finished blocks are drawn once, not on every token."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.visual import Visual

from promptterm.ui.chat.widgets import stream_body
from promptterm.ui.chat.widgets.markdown import markdown_content
from promptterm.ui.chat.widgets.stream_body import StreamBody, settled_length

BLOCKS = [
    "# A heading",
    "A paragraph with **bold** and `code`.",
    "A paragraph\nover two lines.",
    "- one\n- two",
    "- loose\n\n- list",
    "1. first",
    "2. second",
    "2",
    "> a quote\n> on two lines",
    "```python\ndef f():\n\n    return 1\n```",
    "```\nunclosed fence\n\nwith a blank line",
    "---",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Title\n-",
    "    indented code",
    "<div>html</div>",
]


def feed(text: str, cuts: list[int]) -> StreamBody:
    body = StreamBody()
    start = 0
    for cut in sorted({c % (len(text) + 1) for c in cuts}):
        body.append(text[start:cut])
        start = cut
    body.append(text[start:])
    return body


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=12),
    st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n"]), min_size=12, max_size=12),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=40),
)
def test_what_streams_is_what_the_stored_answer_shows(
    blocks: list[str], gaps: list[str], cuts: list[int]
) -> None:
    text = "".join(block + gap for block, gap in zip(blocks, gaps, strict=False))
    body = feed(text, cuts)
    assert body.source == text
    whole = markdown_content(text)
    assert body.shown.plain == whole.plain
    # Styles too: the finished message is drawn from what streamed (message.py).
    assert spans(body.shown) == spans(whole)


def spans(content: Content) -> list[tuple[int, int, str]]:
    return sorted((s.start, s.end, str(s.style)) for s in content.spans)


def test_a_block_is_settled_once_nothing_that_follows_can_change_it() -> None:
    # A paragraph or a heading, once a blank line and another block follow.
    assert settled_length("One.") == 0
    assert settled_length("One.\n\nTw") == len("One.\n\n")
    assert settled_length("# Title\n\nTw") == len("# Title\n\n")
    assert settled_length("One.\n\nTwo.\n\nThr") == len("One.\n\nTwo.\n\n")
    # Any other block, once two more have started.
    # "2" could still become "2. b" and join the list before it: the list waits.
    assert settled_length("1. a\n\n2") == 0
    assert settled_length("1. a\n\n2. b\n\nThr") == 0  # (one list: a blank line joins)
    assert settled_length("- a\n\nOne.\n\nTw") == len("- a\n\nOne.\n\n")
    # Two indented code blocks a blank line apart are one.
    assert settled_length("    x = 1\n\n    y") == 0
    # A fence that is still open holds everything after it, blank lines and all.
    assert settled_length("Intro.\n\n```\nx\n\ny\n\nz") == len("Intro.\n\n")


def test_a_block_that_settles_is_parsed_alone_not_again_with_its_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each settled block is parsed once (and the last blocks of the tail, which the body
    # draws anew anyway): parsing what settled again would cost more the longer the answer.
    parsed: list[int] = []

    def counted(text: str) -> Content:
        parsed.append(len(text))
        return markdown_content(text)

    monkeypatch.setattr(stream_body, "markdown_content", counted)
    text = "".join(f"Paragraph {n} with **bold** and `code`.\n\n" for n in range(100))
    body = feed(text, list(range(0, len(text), 3)))
    assert sum(parsed) < 4 * len(text), (sum(parsed), len(text))
    assert body.shown.plain == markdown_content(text).plain
    assert spans(body.shown) == spans(markdown_content(text))


def test_reopened_while_streaming_shows_everything_once() -> None:
    body = feed("One.\n\nTwo.\n\nThree.\n\nFour", [3, 9, 20])
    body.replace("Other.\n\nText.\n\nHere.\n\nNow")
    assert body.shown.plain == "Other.\n\nText.\n\nHere.\n\nNow"


PLAN = "Here is a plan:\n\n1. Read the **config** file\n2. Validate every key\n3. Write the"


@pytest.mark.anyio
async def test_the_room_below_the_text_follows_the_text_not_the_chunks() -> None:
    # However the network cuts the answer, it leaves the same room below it (a snapshot of
    # a stalled stream once differed by a line on a busy machine).
    app = App[None]()
    async with app.run_test(size=(40, 20)) as pilot:
        heights = set()
        for at in (0, 18, 47):  # whole, mid-list, mid-item
            body = StreamBody()
            await app.mount(body)
            await pilot.pause()
            for chunk in (PLAN[:at], PLAN[at:]):
                body.append(chunk)
                await pilot.pause()
            heights.add(body.region.height)
            await body.remove()
        assert len(heights) == 1


class MessageLike(App[None]):
    CSS = "StreamBody { height: auto; }"  # chat.tcss


@pytest.mark.anyio
async def test_finished_blocks_settle_with_no_layout_of_their_own() -> None:
    # Only a height that changes lays the screen out: a block that settles moves rows from
    # the tail to the settled ones, and the body keeps its height.
    app = MessageLike()
    async with app.run_test(size=(40, 40)) as pilot:
        body = StreamBody()
        await app.mount(body)
        await pilot.pause()
        layouts = 0
        screen = app.screen
        layout = screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            nonlocal layouts
            layouts += 1
            layout(*args, **kwargs)  # type: ignore[arg-type]

        screen._refresh_layout = counted  # type: ignore[method-assign]
        text = "".join(f"Block {n}.\n\n" for n in range(12)) + "The end"
        heights = set()
        for n in range(0, len(text), 3):
            body.append(text[n : n + 3])
            await pilot.pause()
            heights.add(body.size.height)
        assert body.source == text
        assert body.shown.plain == markdown_content(text).plain
        assert settled_length(text)  # blocks did settle
        # 13 blocks of 2 lines, the body grows in steps of 6: a layout per step (and one
        # as the first text shows), none per block that settles.
        assert layouts <= len(heights) + 1, (layouts, heights)


@pytest.mark.anyio
async def test_a_space_that_comes_after_closing_markup_is_drawn_mid_stream() -> None:
    # "**config**" then " file", as the snapshot's server cuts the plan: the line drawn while
    # the answer streams reads "config file", as the stored answer will.
    app = MessageLike()
    async with app.run_test(size=(40, 12)) as pilot:
        body = StreamBody()
        await app.mount(body)
        for chunk in ("Here is a plan:\n\n1. Read the **config**", " file", "\n2. Valid"):
            body.append(chunk)
            await pilot.pause()
        drawn = [body.render_line(y).text.rstrip() for y in range(body.size.height)]
        assert "1. Read the config file" in drawn
        assert "2. Valid" in drawn


@pytest.mark.anyio
async def test_an_update_repaints_the_rows_it_changed_and_the_screen_shows_the_whole_text() -> None:
    # An update repaints from the first line it changed: a closing "**" two lines up, a
    # "-" under a line making it a heading, a line that wraps anew. What the screen keeps
    # of the rows not repainted is still what the text draws.
    text = (
        "Some **bold that\nspans two lines** and a long line that wraps at forty columns "
        "once or twice.\n\nA line and then\nTitle\n-\n\n- a list item\n- and another one"
    )
    app = MessageLike()
    async with app.run_test(size=(16, 60)) as pilot:  # narrow: a paragraph is many rows
        body = StreamBody()
        await app.mount(body)
        await pilot.pause()
        for n in range(0, len(text), 2):
            body.append(text[n : n + 2])
            await pilot.pause()
            whole = Region(0, 0, *body.size)
            shown = body.render_lines(whole)  # the rows kept, and those repainted
            body.refresh()
            assert shown == body.render_lines(whole), text[: n + 2]  # every row drawn again
        assert body.shown.plain == markdown_content(text).plain
        # Drawn block by block and line by line, the rows are those of the text drawn whole.
        whole_text = Visual.to_strips(body, markdown_content(text), 16, None, body.visual_style)
        assert [body.render_line(y).text.rstrip() for y in range(len(whole_text))] == [
            row.text.rstrip() for row in whole_text
        ]


@pytest.mark.anyio
async def test_a_selection_across_settled_blocks_and_the_tail_copies_what_it_covers() -> None:
    # The settled blocks and the tail are drawn one by one, each counting its lines from 0:
    # their rows are renumbered to count in the whole answer, or the mouse would pick the
    # wrong line of the text.
    app = MessageLike()
    async with app.run_test(size=(40, 20)) as pilot:
        body = StreamBody()
        await app.mount(body)
        await pilot.pause()
        body.append("One.\n\nTwo words.\n\nThree.\n\nFour and more.")  # One, Two settled
        await pilot.pause()
        rows = [body.render_line(y).text.rstrip() for y in range(7)]
        assert rows == ["One.", "", "Two words.", "", "Three.", "", "Four and more."]
        unselected = body.render_line(4)
        await pilot.mouse_down(body, offset=(4, 2))  # "words." on the settled "Two" line
        await pilot.hover(body, offset=(7, 6))  # … "Four and" in the tail
        await pilot.mouse_up(body, offset=(7, 6))
        await pilot.pause()
        assert app.screen.get_selected_text() == "words.\n\nThree.\n\nFour and"
        assert body.render_line(4) != unselected  # "Three." between them shows as selected
        assert body.render_line(4).text == unselected.text
