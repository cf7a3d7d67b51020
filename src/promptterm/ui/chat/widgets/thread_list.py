"""The thread list: recent first, a filter, and which threads it shows (active or archived,
this project or all of them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from promptterm.ui.chat.widgets.format import tokens
from promptterm.ui.common.relative_times import RelativeTimes
from promptterm.ui.common.widgets.format import ago

if TYPE_CHECKING:
    from promptterm.services.chat.threads import ThreadInfo


@dataclass(frozen=True)
class Scope:
    """Which threads the list shows."""

    archived: bool = False
    project_id: uuid.UUID | None = None  # None: every project
    project_name: str = ""

    def describe(self) -> str:
        where = self.project_name if self.project_id else "all projects"
        return f"{where} · {'archived' if self.archived else 'active'}"


class ThreadOptions(OptionList):
    """The list proper (its own type, so the screen's CSS and focus checks can name it)."""


class ThreadList(RelativeTimes, Vertical):
    @dataclass
    class Opened(Message):
        thread_id: uuid.UUID

    @dataclass
    class Highlighted(Message):
        thread_id: uuid.UUID | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.threads: list[ThreadInfo] = []
        self.scope = Scope()
        self.options = ThreadOptions(id="chat-thread-options", compact=True)
        self.filter = Input(placeholder="/ filter threads", id="chat-filter", compact=True)
        self._scope_line = Static(id="chat-scope")
        self._open_id: uuid.UUID | None = None

    def compose(self) -> ComposeResult:
        yield self.filter
        yield self._scope_line
        yield self.options

    @property
    def query_text(self) -> str:
        return self.filter.value.strip()

    @property
    def highlighted(self) -> ThreadInfo | None:
        index = self.options.highlighted
        if index is None or not 0 <= index < len(self.threads):
            return None
        return self.threads[index]

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self._scope_line.update(Content.styled(scope.describe(), "dim"))

    def show(self, threads: list[ThreadInfo], now: datetime, *, limit_hit: bool = False) -> None:
        keep = self.highlighted.id if self.highlighted else self._open_id
        self.threads = threads
        self.options.set_options(
            Option(_label(t, now, t.id == self._open_id), id=str(t.id)) for t in threads
        )
        if not threads:
            text = "No match." if self.query_text else "No threads here yet."
            self.options.add_option(Option(Content.styled(text, "dim italic"), disabled=True))
        if limit_hit:
            more = "Only the most recent are listed: type to filter."
            self.options.add_option(Option(Content.styled(more, "dim italic"), disabled=True))
        self.select(keep)

    def retime(self, now: datetime) -> None:
        for thread in self.threads:
            self.options.replace_option_prompt(
                str(thread.id), _label(thread, now, thread.id == self._open_id)
            )

    def select(self, thread_id: uuid.UUID | None) -> None:
        index = next((i for i, t in enumerate(self.threads) if t.id == thread_id), None)
        if index is None and self.threads:
            index = 0
        if index is not None:
            self.options.highlighted = index

    def mark_open(self, thread_id: uuid.UUID | None, now: datetime) -> None:
        """Show which thread the transcript shows (bold), and put the cursor there."""
        previous, self._open_id = self._open_id, thread_id
        for thread in self.threads:
            if thread.id in (previous, thread_id):
                self.options.replace_option_prompt(
                    str(thread.id), _label(thread, now, thread.id == thread_id)
                )
        if thread_id is not None:
            self.select(thread_id)

    def replace(self, thread: ThreadInfo, now: datetime) -> None:
        for i, t in enumerate(self.threads):
            if t.id == thread.id:
                self.threads[i] = thread
                self.options.replace_option_prompt(
                    str(thread.id), _label(thread, now, thread.id == self._open_id)
                )

    @on(OptionList.OptionSelected, "#chat-thread-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Opened(uuid.UUID(event.option.id)))

    @on(OptionList.OptionHighlighted, "#chat-thread-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        thread = self.highlighted
        self.post_message(self.Highlighted(thread.id if thread else None))


def _label(thread: ThreadInfo, now: datetime, is_open: bool) -> Content:
    title = Content.styled(thread.title, "bold" if is_open else "")
    if is_open:
        title = Content.assemble(("▸ ", "$text-accent"), title)
    details = f"{ago(thread.updated_at, now)} · {tokens(thread.total_tokens)} tok"
    if thread.model:
        details += f" · {thread.model}"
    return Content.assemble(title, "\n", (details, "dim"))
