"""What the chat screen's workers post back (workers never touch widgets), and the one send
that can be under way."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from promptterm.ui.chat.widgets.transcript import Window

if TYPE_CHECKING:
    from concurrent.futures import Future
    from datetime import datetime

    from textual.screen import Screen

    from promptterm.services.chat import ToolRequest
    from promptterm.services.chat.providers import ProviderInfo
    from promptterm.services.chat.stream import CancelToken, SendEvent
    from promptterm.services.chat.threads import MessageInfo, ThreadInfo, ThreadTotals
    from promptterm.services.mcp import Attachment
    from promptterm.ui.chat.widgets.thread_list import Scope


@dataclass
class ThreadsLoaded(Message):
    threads: list[ThreadInfo]
    query: str
    scope: Scope
    limit_hit: bool
    read: int = 0  # its number in ChatLoading.reads[...] (an older read is not shown)


@dataclass
class ThreadOpened(Message):
    thread: ThreadInfo
    totals: ThreadTotals | None  # None: they follow in ThreadCounted
    window: Window
    focus_seq: int | None
    branch_titles: dict[uuid.UUID, str]
    read: int = 0  # its number in ChatLoading.reads[...] (an older read is not shown)


@dataclass
class ThreadCounted(Message):
    """What an open (``read``) left to count, as it reads all the thread's messages: its
    totals, and how many messages come before the window (None: known already)."""

    thread_id: uuid.UUID
    totals: ThreadTotals
    older: int | None
    read: int


@dataclass
class PageLoaded(Message):
    thread_id: uuid.UUID
    messages: list[MessageInfo]
    remaining: int  # still not shown on that side
    older: bool  # True: a page before the window; False: after it


@dataclass
class ThreadChanged(Message):
    """The thread's row changed (renamed, archived, model or preset switched, a send ended)."""

    thread: ThreadInfo
    totals: ThreadTotals | None
    note: str = ""
    reload_list: bool = True
    # Which re-read this is (refresh_thread counts them; 0: not a re-read): two re-reads in
    # flight can land in either order, and the older one must not undo the newer.
    order: int = 0


@dataclass
class ThreadGone(Message):
    thread_id: uuid.UUID
    note: str


@dataclass
class MessageGone(Message):
    message_id: uuid.UUID
    thread: ThreadInfo
    totals: ThreadTotals


@dataclass
class BranchTitles(Message):
    titles: dict[uuid.UUID, str]


@dataclass
class ProvidersLoaded(Message):
    entries: list[ProviderInfo]


@dataclass
class DeleteAsked(Message):
    """The thread's size is known: ask before deleting it."""

    thread: ThreadInfo
    count: int


class DeltaPipe:
    """Tokens from the send's thread to the screen, coalesced: while one draw is on its
    way, later tokens join it instead of asking for another, so a burst costs the UI one
    draw, not one per token."""

    def __init__(self, post: Callable[[], object]) -> None:
        self._lock = threading.Lock()
        self._parts: list[str] = []
        self._posted = False
        self._post = post

    def add(self, text: str) -> None:
        with self._lock:
            self._parts.append(text)
            if self._posted:
                return
            self._posted = True
        self._post()

    def take(self) -> str:
        with self._lock:
            text = "".join(self._parts)
            self._parts.clear()
            self._posted = False
        return text


@dataclass(eq=False)
class SendJob:
    """One send, regenerate or edit-and-resend, from the key press to the stored answer."""

    kind: Literal["send", "regenerate", "edit"]
    thread_id: uuid.UUID | None  # None: a new thread, created by the send's worker
    text: str | None  # what goes to the thread: the typed text, then any attachment
    cancel: CancelToken
    edited: MessageInfo | None = None  # the user message an edit replaces
    variables: dict[str, str] | None = None  # values for {{name}}, given in the dialog
    message_id: uuid.UUID | None = None  # the answer, once started
    shown: list[str] = field(default_factory=list)  # every token shown so far
    pipe: DeltaPipe | None = None
    drawn_at: float = 0.0  # time.monotonic() of the last draw of the answer
    ended: threading.Event = field(default_factory=threading.Event)  # the worker returned
    started_at: datetime | None = None  # by the services' clock: how long the answer took
    asking: Screen[str] | None = None  # the tool approval dialog, while one is up
    typed: str | None = None  # what the box held, when attachments went with it
    attached: tuple[Attachment, ...] = ()  # MCP resources sent with the text


@dataclass
class ToolApprovalAsked(Message):
    """The send waits for the user's decision on a tool call (``answer`` carries it back to
    the send's thread: a Decision, or "stop")."""

    job: SendJob
    request: ToolRequest
    answer: Future[str]


@dataclass
class ThreadCreated(Message):
    """A send from the new-thread state made its thread (before it streams)."""

    thread: ThreadInfo
    totals: ThreadTotals


# The screen posts these to itself, ten a second while an answer streams: they stop there
# (a message bubbles to the app by default, and the app's dispatch looked for handlers in
# each one again).
@dataclass
class DrawDue(Message, bubble=False):
    """The words in a streaming answer's pipe have waited out the draw interval."""

    job: SendJob


@dataclass
class Streamed(Message, bubble=False):
    """SendStarted, SendRetrying or SendFinished, as the service emitted it."""

    job: SendJob
    event: SendEvent


@dataclass
class SendRefused(Message):
    """The send stopped before anything streamed: a limit, a missing key, no provider..."""

    job: SendJob
    error: Exception


@dataclass
class Notice(Message):
    """Something the user must read in place (not only in a toast)."""

    text: str
    severity: Literal["information", "warning", "error"] = "information"
