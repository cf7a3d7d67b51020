"""Search every thread's messages as you type (SQLite FTS5 / PostgreSQL full-text search),
and the plan's notes the user may read; enter opens the thread at the message, or the note
in the plan area's Notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from promptterm.services.words import plural
from promptterm.ui.common.errors import describe, report_failed_worker
from promptterm.ui.common.relative_times import RelativeTimes, keep_times_fresh
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.format import ago

if TYPE_CHECKING:
    from promptterm.services.chat.search import SearchHit
    from promptterm.services.facade import Services
    from promptterm.services.plan import NoteHit

LIMIT = 50
NOTE_LIMIT = 10  # notes shown above the messages: a few, the last changed first
MATCH_STYLE = "bold reverse $accent"
ROLES = {"user": "you", "assistant": "assistant", "system": "system"}


class SearchScreen(RelativeTimes, ModalScreen["SearchHit | NoteHit | None"]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="search-close"),
    ]

    @dataclass
    class Found(Message):
        query: str
        hits: list[SearchHit]
        error: str | None = None
        notes: list[NoteHit] = field(default_factory=list)

    def __init__(self, services: Services, *, now: datetime, query: str = "") -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.now = now
        self.initial = query
        self.hits: list[SearchHit] = []
        self.notes: list[NoteHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Input(
                self.initial,
                placeholder="words to find in every thread and note",
                id="search-input",
                compact=True,
            )
            yield Static("", id="search-summary")
            yield OptionList(id="search-hits", compact=True)
            yield Static(
                "type to search · ↓ results · enter open (a note: in the plan) · esc close",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "Search all threads and notes"
        self.query_one("#search-hits").display = False
        self.query_one(Input).focus()
        if self.initial:
            self._search(self.initial)
        keep_times_fresh(self, self.services.ctx.now)

    def retime(self, now: datetime) -> None:
        self.now = now
        options = self.query_one(OptionList)
        for i, hit in enumerate(self.hits):
            options.replace_option_prompt(str(i), self._label(hit))
        for i, note in enumerate(self.notes):
            options.replace_option_prompt(f"n{i}", self._note_label(note))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search-run")
    def _search(self, query: str) -> None:
        try:
            hits, notes = [], []
            if query.strip():
                hits = self.services.chat_search.search(query, limit=LIMIT)
                notes = self.services.notes.search_hits(query, limit=NOTE_LIMIT)
        except Exception as exc:  # a query the database refuses: say so, keep typing
            self.post_message(self.Found(query, [], describe(exc)[1]))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(query, hits, notes=notes))

    def on_search_screen_found(self, message: Found) -> None:
        current = self.query_one(Input).value
        if message.query != current:
            return  # typed on since
        self.hits = message.hits
        self.notes = message.notes
        found = len(message.hits) + len(message.notes)
        summary = self.query_one("#search-summary", Static)
        options = self.query_one(OptionList)
        options.display = bool(found)
        if message.error:
            summary.update(Content.styled(message.error, "$text-error"))
        elif not current.strip():
            summary.update(
                Content.styled("Every word must appear; the last one may be unfinished.", "dim")
            )
        elif not found:
            words = f"No message or note contains {current.strip()!r}."
            summary.update(Content.styled(words, "dim"))
        else:
            n = len(message.hits)
            more = " (the best 50)" if n == LIMIT else ""
            parts = [f"{plural(n, 'message')}{more}"] if n else []
            if message.notes:
                parts.append(plural(len(message.notes), "note"))
            summary.update(Content.styled(" · ".join(parts), "dim"))
        items: list[Option | None] = []
        for i, note in enumerate(message.notes):
            if items:
                items.append(None)
            items.append(Option(self._note_label(note), id=f"n{i}"))
        for i, hit in enumerate(message.hits):
            if items:
                items.append(None)  # a rule between hits: snippets wrap over lines
            items.append(Option(self._label(hit), id=str(i)))
        options.set_options(items)
        if found:
            options.highlighted = 0

    def _label(self, hit: SearchHit) -> Content:
        snippet = Content(hit.snippet)
        for start, end in hit.spans:
            snippet = snippet.stylize(MATCH_STYLE, start, end)
        where = hit.thread_title + (" (archived)" if hit.thread_archived else "")
        head = Content.assemble(
            (where, "bold"),
            (f"  {ROLES.get(hit.role, hit.role)} · {ago(hit.created_at, self.now)}", "dim"),
        )
        return Content.assemble(head, "\n  ", snippet)

    def _note_label(self, note: NoteHit) -> Content:
        snippet = Content(note.snippet)
        for start, end in note.spans:
            snippet = snippet.stylize(MATCH_STYLE, start, end)
        where = f"note in {note.project_name}" if note.project_name else "personal note"
        head = Content.assemble(
            (note.title, "bold"), (f"  {where} · {ago(note.updated_at, self.now)}", "dim")
        )
        return Content.assemble(head, "\n  ", snippet)

    def _chosen_at(self, option_id: str) -> SearchHit | NoteHit:
        if option_id.startswith("n"):
            return self.notes[int(option_id[1:])]
        return self.hits[int(option_id)]

    def on_key(self, event: events.Key) -> None:
        # From the box, down goes to the results (enter too), as in any search field.
        if event.key == "down" and self.focused is self.query_one(Input) and self._any():
            self.query_one(OptionList).focus()
            event.stop()

    def _any(self) -> bool:
        return bool(self.hits or self.notes)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self._any():
            options = self.query_one(OptionList)
            option = options.get_option_at_index(options.highlighted or 0)
            self.dismiss(self._chosen_at(option.id or "0"))

    @on(OptionList.OptionSelected, "#search-hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._chosen_at(event.option.id or "0"))

    def action_close(self) -> None:
        self.dismiss(None)
