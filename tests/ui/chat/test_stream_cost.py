"""What a streaming answer costs the screen: a line more is one layout, not two, a block that
settles moves nothing, words that change nothing on screen repaint nothing, and the
finished answer is drawn from what streamed, not parsed again whole."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from textual.app import App, ComposeResult

from promptterm.services.chat.thread_info import MessageInfo
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
    MessageView .message-body .stream-part { margin-bottom: 1; }
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


@pytest.mark.anyio
async def test_an_answer_that_grows_a_line_is_laid_out_once() -> None:
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        transcript, answer = await streaming(pilot, app)
        view = transcript.view_of(answer.id)
        assert view is not None
        for n in range(12):  # past the screen: the transcript follows the end
            await view.write(f" word{n} " * 6)
            transcript.follow()
            await pilot.pause()
        assert transcript.is_anchored and transcript.max_scroll_y > 0

        async def grow() -> None:
            await view.write(" more" * 30)  # past the room kept below the text

        assert await layouts_after(pilot, app, grow) == 1
        assert transcript.scroll_y == transcript.max_scroll_y  # still at the end


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
    # Its lines go from the growing tail into a settled part with the next layout the text
    # needs anyway, not one of their own: until then nothing moves; and the answer keeps
    # its height as they settle (stream_body.py).
    app = TranscriptApp()
    async with app.run_test(size=(40, 12)) as pilot:
        transcript, answer = await streaming(pilot, app)
        view = transcript.view_of(answer.id)
        assert view is not None
        await view.write("One.\n\nTwo.\n\n")
        await pilot.pause()
        body = view.query_one(StreamBody)
        assert body._parts == []
        height, size = body.outer_size.height, transcript.virtual_size
        await view.write("T")  # a third block: the first one could settle
        for _ in range(3):
            await pilot.pause()
        assert body._parts == []
        assert body.outer_size.height == height
        assert transcript.virtual_size == size
        await view.write("hree.\n\n" + "More words. " * 20)  # outgrows the room
        for _ in range(3):
            await pilot.pause()
        assert len(body._parts) == 1
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
