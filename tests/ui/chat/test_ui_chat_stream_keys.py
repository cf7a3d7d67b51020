"""A key typed while an answer streams is on the screen before the answer's next words: the
draw of a streaming answer waits for the keys (sending.py), so typing never queues behind a
layout of the transcript."""

from __future__ import annotations

import threading
import time

import pytest
from textual import events

from promptterm.services.facade import Services
from promptterm.ui.chat.sending import DRAWS_PER_SECOND
from support.llm_server import LLMServer, Script
from ui.chat.scenarios import chat_llm, live, open_chat, views, wait_for
from ui.fixtures import AppFactory
from ui.helpers import type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = pytest.mark.anyio


async def test_a_key_typed_during_a_stream_is_echoed_before_the_next_words(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    hold = threading.Event()
    chat_llm.push(Script(tokens=[" w0", " w1", " w2", " w3", " w4"], hold_after=4, hold=hold))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "go")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: len(views(app)) == 2 and "w3" in views(app)[1].content)
        await wait_for(pilot, lambda: screen.composer.text == "")
        job, answer = screen.job, views(app)[1]
        assert job is not None and job.pipe is not None
        seen: list[str] = []  # what happened, in order: each frame with the box, each draw
        display, write = app._display, answer.write

        def frame(shown: object, update: object) -> None:
            if update is not None:
                seen.append(f"frame {screen.composer.text!r}")
            display(shown, update)  # type: ignore[arg-type]

        async def draw(text: str) -> None:
            seen.append(f"draw {text!r}")
            await write(text)

        # The next words are due at once (not held back to the draw rate), as when a key
        # comes between two draws.
        await wait_for(pilot, lambda: time.monotonic() > job.drawn_at + 1 / DRAWS_PER_SECOND)
        app._display = frame  # type: ignore[method-assign]
        answer.write = draw  # type: ignore[method-assign]
        # A key from the terminal, and more words arriving at the same moment.
        app.post_message(events.Key("x", "x"))
        job.pipe.add(" more")
        await wait_for(pilot, lambda: "more" in answer.content and screen.composer.text == "x")
        echoed = seen.index("frame 'x'")
        assert echoed < seen.index("draw ' more'"), seen
        hold.set()
        await wait_for(pilot, lambda: screen.job is None)
