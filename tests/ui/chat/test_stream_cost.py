"""What a streaming answer costs the screen: a line more is one layout at most, and none once
the answer fills the transcript; a block that settles moves nothing; words that change
nothing on screen repaint nothing; the reader who scrolls up mid-stream reads on from where
the screen was; and the finished answer is drawn from what streamed, not parsed again
whole."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from promptterm.services.chat.stream import CancelToken, SendRetrying
from promptterm.services.chat.thread_info import MessageInfo
from promptterm.ui.chat.messages import DrawDue, SendJob, Streamed
from promptterm.ui.chat.widgets import message as message_module
from promptterm.ui.chat.widgets.markdown import markdown_content
from promptterm.ui.chat.widgets.stream_body import StreamBody
from promptterm.ui.chat.widgets.transcript import Transcript, Window

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
THREAD = uuid.uuid4()


def message(seq: int, role: str, content: str, status: str = "complete") -> MessageInfo:
    return MessageInfo(
        id=uuid.uuid4(),
        thread_id=THREAD,
        seq=seq,
        role=role,
        content=content,
        status=status,
        tokens_in=None,
        tokens_out=None,
        tokens_estimated=False,
        provider=None,
        model=None,
        cost_usd=None,
        created_at=WHEN,
    )


class TranscriptApp(App[None]):
    # As styles/chat.tcss.
    CSS = """
    MessageView, MessageView .message-body { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Transcript()


async def streaming(pilot: object, app: TranscriptApp) -> tuple[Transcript, MessageInfo]:
    transcript = app.query_one(Transcript)
    answer = message(2, "assistant", "", status="streaming")
    await transcript.show_window(Window([message(1, "user", "Go."), answer], 0, 0), ())
    await pilot.pause()  # type: ignore[attr-defined]
    return transcript, answer


async def layouts_after(pilot: object, app: TranscriptApp, change: object) -> int:
    """Whole-screen layouts from ``change()`` until the screen is idle again."""
    count = 0
    reflow = app.screen._compositor.reflow

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal count
        count += 1
        return reflow(*args, **kwargs)  # type: ignore[arg-type]

    app.screen._compositor.reflow = counted  # type: ignore[method-assign]
    try:
        await change()  # type: ignore[operator]
        for _ in range(5):  # a second layout, if any, is asked for by the first
            await pilot.pause()  # type: ignore[attr-defined]
    finally:
        app.screen._compositor.reflow = reflow  # type: ignore[method-assign]
    return count


async def following(pilot: object, app: TranscriptApp, lines: int) -> tuple[Transcript, object]:
    """A transcript following an answer of ``lines`` short paragraphs, past its height."""
    transcript, answer = await streaming(pilot, app)
    view = transcript.view_of(answer.id)
    assert view is not None
    for n in range(lines):
        await view.write(f"Line {n}.\n\n")
        transcript.follow()
        await pilot.pause()  # type: ignore[attr-defined]
    await view.write(f"Line {lines}.")
    for _ in range(3):
        await pilot.pause()  # type: ignore[attr-defined]
    return transcript, view


def screen_rows(app: TranscriptApp) -> list[str]:
    """The rows as composed for the terminal, less the scroll bar's columns."""
    width = app.query_one(Transcript).scrollable_content_region.width
    return [strip.text[:width].rstrip() for strip in app.screen._compositor.render_strips()]


@pytest.mark.anyio
async def test_an_answer_that_grows_a_line_is_laid_out_once() -> None:
    app = TranscriptApp()
    async with app.run_test(size=(40, 30)) as pilot:
        transcript, view = await following(pilot, app, 4)  # past the room, not the screen
        assert transcript.max_scroll_y == 0

        async def grow() -> None:
            await view.write(" more" * 30)  # past the room kept below the text

        assert await layouts_after(pilot, app, grow) == 1


@pytest.mark.anyio
async def test_an_answer_taller_than_the_transcript_grows_with_no_layout() -> None:
    # Its newest rows shift up inside it, as in a terminal: the screen is not laid out
    # again, and shows the end of the answer.
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        transcript, view = await following(pilot, app, 12)
        assert transcript.is_anchored and transcript.max_scroll_y > 0
        for n in range(13, 20):

            async def grow(n: int = n) -> None:
                await view.write(f"\n\nLine {n}.")

            assert await layouts_after(pilot, app, grow) == 0
            rows = screen_rows(app)
            assert rows[-1] == f"Line {n}."
            assert rows[-3] == f"Line {n - 1}."
        assert transcript.scroll_y == transcript.max_scroll_y


@pytest.mark.anyio
async def test_the_reader_who_scrolls_up_mid_stream_reads_on_from_the_screen() -> None:
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        transcript, view = await following(pilot, app, 20)
        assert transcript.is_anchored and transcript.max_scroll_y > 0
        before = screen_rows(app)
        assert before[-1] == "Line 20."
        transcript.scroll_up(animate=False)
        for _ in range(3):
            await pilot.pause()
        after = screen_rows(app)
        assert after[1:] == before[:-1]  # one row down the screen, the row above on top
        await view.write("\n\nLine 21.")  # the answer grows below, the screen stays
        for _ in range(3):
            await pilot.pause()
        assert screen_rows(app) == after
        transcript.scroll_page_up(animate=False)
        for _ in range(3):
            await pilot.pause()
        assert "Line 13." in screen_rows(app)  # a page further up, every line there
        transcript.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        assert "Line 0." in screen_rows(app)  # the whole answer, from its first line
        transcript.scroll_end(animate=False, immediate=True)  # back to following
        await view.write("\n\nLine 22.")
        for _ in range(3):
            await pilot.pause()
        assert screen_rows(app)[-1] == "Line 22."
        assert transcript.scroll_y == transcript.max_scroll_y


@pytest.mark.anyio
async def test_a_taller_terminal_shows_more_of_an_answer_it_follows() -> None:
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await following(pilot, app, 20)
        await pilot.resize_terminal(40, 20)  # type: ignore[attr-defined]
        for _ in range(3):
            await pilot.pause()
        rows = screen_rows(app)
        assert rows[-1] == "Line 20."
        assert [row for row in rows if row.startswith("Line")] == [
            f"Line {n}." for n in range(11, 21)
        ]


async def frames_after(pilot: object, app: TranscriptApp, change: object) -> int:
    """Frames drawn from ``change()`` until the screen is idle again."""
    count = 0
    display = app._display

    def counted(screen: object, update: object) -> None:
        nonlocal count
        count += update is not None
        display(screen, update)  # type: ignore[arg-type]

    app._display = counted  # type: ignore[method-assign]
    try:
        await change()  # type: ignore[operator]
        for _ in range(5):
            await pilot.pause()  # type: ignore[attr-defined]
    finally:
        app._display = display  # type: ignore[method-assign]
    return count


@pytest.mark.anyio
async def test_words_that_change_nothing_on_screen_draw_no_frame() -> None:
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        transcript, answer = await streaming(pilot, app)
        view = transcript.view_of(answer.id)
        assert view is not None
        await view.write("Some words")
        await pilot.pause()
        for unseen in (" ", "\n", "  "):  # until the next word, nothing shows them

            async def write(text: str = unseen) -> None:
                await view.write(text)

            assert await frames_after(pilot, app, write) == 0
        assert view.content == "Some words \n  "

        async def word() -> None:
            await view.write("more")

        assert await frames_after(pilot, app, word) >= 1


@pytest.mark.anyio
async def test_a_block_that_settles_moves_nothing_on_screen() -> None:
    # Its rows go from the growing tail to the settled ones: nothing moves on screen, and
    # the answer keeps its height (stream_body.py).
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        transcript, answer = await streaming(pilot, app)
        view = transcript.view_of(answer.id)
        assert view is not None
        await view.write("One.\n\nTwo.\n\n")
        await pilot.pause()
        body = view.query_one(StreamBody)
        height, size = body.outer_size.height, transcript.virtual_size
        rows = screen_rows(app)

        async def third() -> None:
            await view.write("Thr")  # a third block: the first one settles

        assert await layouts_after(pilot, app, third) == 0
        assert body.outer_size.height == height
        assert transcript.virtual_size == size
        assert screen_rows(app)[: rows.index("Two.") + 1] == rows[: rows.index("Two.") + 1]
        assert body.shown.plain == markdown_content(body.source).plain


@pytest.mark.anyio
async def test_the_finished_answer_is_drawn_from_what_streamed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "".join(f"Paragraph {n} with **bold** and `code`.\n\n" for n in range(30))
    app = TranscriptApp()
    async with app.run_test(size=(60, 20)) as pilot:
        transcript, answer = await streaming(pilot, app)
        view = transcript.view_of(answer.id)
        assert view is not None
        for start in range(0, len(text), 37):
            await view.write(text[start : start + 37])
        parsed: list[str] = []

        def whole(source: str) -> object:
            parsed.append(source)
            return markdown_content(source)

        monkeypatch.setattr(message_module, "render_markdown", whole)
        await view.show(replace(answer, content=text, status="complete"))
        await pilot.pause()
        assert text not in parsed  # not parsed again (the question may be, on a resize)
        drawn = markdown_content(text)
        body = view.text.split("\n")[1:]  # below the head line
        assert [line.plain for line in body] == drawn.plain.split("\n")
        shown = view.text
        start = shown.plain.index(drawn.plain)
        spans = sorted(
            (s.start - start, s.end - start, str(s.style)) for s in shown.spans if s.start >= start
        )
        assert spans == sorted((s.start, s.end, str(s.style)) for s in drawn.spans)


def fresh_rows(body: StreamBody) -> list[list[object]]:
    """The body's rows as Textual draws them from nothing (its line cache emptied)."""
    body._styles_cache.clear()
    region = Region(0, 0, body.size.width, body.size.height)
    return [list(strip) for strip in Widget.render_lines(body, region)]


@pytest.mark.anyio
async def test_rows_that_move_up_are_not_drawn_again_and_look_as_drawn_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        _, view = await following(pilot, app, 12)
        body = view.query_one(StreamBody)
        finished: list[int] = []  # rows Textual finished (background, colour filters)
        textual = Widget.render_lines

        def counted(widget: Widget, crop: Region) -> list[Strip]:
            if widget is body:
                finished.append(crop.height)
            return textual(widget, crop)

        monkeypatch.setattr(Widget, "render_lines", counted)
        await view.write("\n\nLine 13.")  # two rows more: every row shown moves up two
        for _ in range(3):
            await pilot.pause()
        assert screen_rows(app)[-1] == "Line 13."
        # The two new rows and the one above them (its paragraph was the tail); not all 12.
        assert body.size.height == 12 and 0 < sum(finished) <= 3, finished
        shown = [list(strip) for strip in body.render_lines(Region(0, 0, *body.size))]
        monkeypatch.undo()
        assert shown == fresh_rows(body)

        # What Textual finishes a row with changes (the message's background): every row
        # is finished again.
        view.styles.background = "darkred"
        for _ in range(3):
            await pilot.pause()
        shown = [list(strip) for strip in body.render_lines(Region(0, 0, *body.size))]
        assert shown == fresh_rows(body)

        # So does a change of style above it that the body's own styles do not see (the
        # colour of its text comes from the message's), and a change of the CSS of every
        # node (another theme).
        for change in (
            lambda: setattr(view.styles, "color", "red"),
            lambda: setattr(app, "theme", "textual-light"),
        ):
            before = shown
            change()
            for _ in range(3):
                await pilot.pause()
            shown = [list(strip) for strip in body.render_lines(Region(0, 0, *body.size))]
            assert shown == fresh_rows(body) and shown != before


@pytest.mark.anyio
async def test_a_message_whose_text_a_resize_leaves_alone_is_not_updated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A message's text is cut to its width; when nothing in it needs cutting, a new width
    # (a scroll bar that comes, a wider terminal) gives the same text, and updating its
    # Static would lay the whole screen out for nothing.
    app = TranscriptApp()
    async with app.run_test(size=(60, 20)) as pilot:
        transcript, _ = await streaming(pilot, app)
        updates: list[str] = []
        update = message_module.Static.update

        def counted(static: message_module.Static, *args: object, **kwargs: object) -> None:
            updates.append(str(static.visual))
            update(static, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(message_module.Static, "update", counted)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert transcript.views[0].size.width > 50  # the messages did get wider
        assert updates == []
        await pilot.resize_terminal(8, 20)  # now the heads are cut
        await pilot.pause()
        assert updates


class Bubbling(Message):
    """A message as Textual posts them by default."""


@pytest.mark.anyio
async def test_a_draw_and_a_send_event_stop_at_the_screen_that_posts_them() -> None:
    # Ten draws a second while an answer streams: each one dispatched again by the app
    # (a walk through its handlers for nothing) was a share of the stream's CPU.
    reached: list[type[Message]] = []

    class Host(App[None]):
        async def _on_message(self, message: Message) -> None:
            reached.append(type(message))
            await super()._on_message(message)

    app = Host()
    async with app.run_test() as pilot:
        job = SendJob("send", THREAD, "Go.", CancelToken())
        app.screen.post_message(DrawDue(job))
        app.screen.post_message(Streamed(job, SendRetrying(uuid.uuid4(), 1, 1.0, "HTTP 429")))
        app.screen.post_message(Bubbling())
        await pilot.pause()
        assert Bubbling in reached  # (what a screen does not stop reaches the app)
        assert DrawDue not in reached
        assert Streamed not in reached
