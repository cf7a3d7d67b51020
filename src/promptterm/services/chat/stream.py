"""What a send streams to its caller, and how the caller stops it.

A screen runs a send in a worker and hands it ``on_event``; the events are small frozen
objects it can post as messages (``SendStarted`` carries the message ids to render,
``SendDelta`` the text to append, ``SendFinished`` the stored result). ``CancelToken.cancel()``
may be called from any thread (the UI's) and stops the stream at once, not at the next
token: it cancels the task that reads the socket.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from promptterm.services.chat.threads import MessageInfo
from promptterm.services.chat.tools.events import (
    ToolCallAnswered,
    ToolCallAsked,
    ToolCallRunning,
    ToolRoundEnded,
)


@dataclass(frozen=True, slots=True)
class SendStarted:
    thread_id: uuid.UUID
    user_message: MessageInfo | None  # None when regenerating an answer
    assistant_message: MessageInfo  # status "streaming", content "" (or earlier versions in meta)
    provider: str
    model: str


@dataclass(frozen=True, slots=True)
class SendDelta:
    message_id: uuid.UUID
    text: str


@dataclass(frozen=True, slots=True)
class SendRetrying:
    """The provider is busy (429/5xx); the send waits ``delay`` seconds and tries again."""

    message_id: uuid.UUID
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True)
class SendResult:
    thread_id: uuid.UUID
    message: MessageInfo  # the stored answer, final status
    user_message_id: uuid.UUID | None
    error: str | None  # what went wrong, for a person (status "error")
    error_kind: str | None  # e.g. "bad key", "interrupted", "stream error"
    price_source: str | None  # "override", "local", "genai-prices", "unpriced"
    price_version: str | None
    thread_total_tokens: int
    # Why a send with tools ended before the model answered in words (a stop, the cap on
    # rounds, a limit reached between rounds); None otherwise.
    notice: str | None = None

    @property
    def status(self) -> str:
        return self.message.status

    @property
    def content(self) -> str:
        return self.message.content


@dataclass(frozen=True, slots=True)
class SendFinished:
    result: SendResult


SendEvent = (
    SendStarted
    | SendDelta
    | SendRetrying
    | SendFinished
    | ToolRoundEnded
    | ToolCallAsked
    | ToolCallRunning
    | ToolCallAnswered
)
OnEvent = Callable[[SendEvent], object]


class CancelToken:
    """Stop a send from any thread. Cancelling before the stream starts stops it at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._target: tuple[asyncio.AbstractEventLoop, asyncio.Task[object]] | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            if self._cancelled:
                return
            self._cancelled = True
            target = self._target
        if target is not None:
            loop, task = target
            loop.call_soon_threadsafe(task.cancel)

    def bind(self, task: asyncio.Task[object]) -> None:
        loop = task.get_loop()
        with self._lock:
            self._target = (loop, task)
            cancelled = self._cancelled
        if cancelled:
            loop.call_soon_threadsafe(task.cancel)

    def unbind(self) -> None:
        with self._lock:
            self._target = None


class AnswerBuffer:
    """The answer as it grows, saved in a worker thread within ``interval`` seconds of any
    delta (a timer, so text shown just before a stall is saved during the stall too).

    At most one save runs at a time and the stream never waits for one: a slow database
    delays saving, never the tokens. Killing the process loses at most the last
    ``interval`` seconds of text; a stop, an error or Ctrl+C loses nothing (``settle``, then
    the final write). Per delta: one append and one ``is None`` check.
    """

    __slots__ = ("_loop", "_parts", "_pending", "_save", "_saved", "_timer", "interval", "size")

    def __init__(self, save: Callable[[str], object], interval: float) -> None:
        self._save = save
        self._loop = asyncio.get_running_loop()
        self._parts: list[str] = []
        self._pending: asyncio.Future[object] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._saved = 0  # size of the text the last save wrote
        self.interval = interval
        self.size = 0

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def add(self, text: str) -> None:
        self._parts.append(text)
        self.size += len(text)
        if self._timer is None:
            self._timer = self._loop.call_later(self.interval, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self._pending is not None and not self._pending.done():
            self._timer = self._loop.call_later(self.interval, self._tick)  # still saving
            return
        if self.size != self._saved:
            self._saved = self.size
            self._pending = self._loop.run_in_executor(None, self._save, self.text)
            # A failed save is retried by the next one; never leave its error unretrieved.
            self._pending.add_done_callback(_swallow)

    async def settle(self) -> None:
        """Stop the timer and wait for a save in flight, so the final write lands after it."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pending, self._pending = self._pending, None
        if pending is not None:
            await asyncio.wait([pending])


def _swallow(future: asyncio.Future[object]) -> None:
    if not future.cancelled():
        future.exception()


def final_usage(
    reported_in: int | None,
    reported_out: int | None,
    estimate_in: int,
    estimate_out: int,
    complete: bool,
) -> tuple[int, int, bool]:
    """(tokens in, tokens out, estimated?). The provider's counts win; an answer cut short
    may carry a count from before the cut (Anthropic reports output at the start), so then
    the larger of count and estimate is kept and marked estimated."""
    tokens_in = reported_in if reported_in is not None else estimate_in
    estimated = reported_in is None
    if reported_out is not None and (complete or reported_out >= estimate_out):
        tokens_out = reported_out
    else:
        tokens_out = max(reported_out or 0, estimate_out)
        estimated = True
    return tokens_in, tokens_out, estimated
