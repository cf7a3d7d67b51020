"""The chat area built while the app shuts down (quit right after a jump to a thread, a
"send to chat" in a test that ends at once): the messages that arrive are not drawn, and the
app ends without an error.

Textual mounts a screen's widgets without waiting for them once the app stops running, so
the chat screen's first load can answer before its transcript is in the DOM; mounting there
raised MountError ("Can't mount widget(s) before Transcript is mounted")."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.content import Content

from promptterm.ui.chat.widgets.transcript import Transcript, Window

pytestmark = pytest.mark.anyio


async def test_a_transcript_not_in_the_dom_takes_a_thread_without_an_error() -> None:
    app: App[None] = App()
    async with app.run_test():
        transcript = Transcript(id="chat-transcript")  # its screen's containers not built
        await transcript.show_window(Window([], 0, 0), ())
        await transcript.show_empty(Content("New thread"))
        assert not transcript.children and transcript.views == []
