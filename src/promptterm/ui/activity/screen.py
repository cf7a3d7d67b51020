"""The activity log: every provider call and every error the app caught, newest first,
filtered by one line (``kind:api provider:openai status:429 since:2d timeout``), a page at a
time (the next page loads when the cursor reaches the end). Pushed over the current area;
escape goes back to it."""

from __future__ import annotations

import uuid
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from promptterm.services.activity import ActivityFilter, ActivityPage, Cursor, EntryInfo
from promptterm.services.errors import ServiceError
from promptterm.ui.activity.entry import EntryScreen
from promptterm.ui.activity.text import row
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.styles import css_path

PAGE = 200
COLUMNS = ("When", "Kind", "Status", "What", "Took", "Tokens", "Message")
HINT = (
    "filter: kind:api|error provider: model: status: since:7d until:2026-01-10 and words · "
    "enter: details · esc: back"
)


class PageLoaded(Message):
    def __init__(self, page: ActivityPage, more: bool, query: str, read: int = 0) -> None:
        super().__init__()
        self.page = page
        self.more = more  # a further page of the same filter, to add below
        self.query = query
        self.read = read  # its number in ActivityLogScreen.reads (an older read is not shown)


class EntryLoaded(Message):
    def __init__(self, entry: EntryInfo) -> None:
        super().__init__()
        self.entry = entry


class ActivityLogScreen(AreaScreen):
    AREA = "activity"
    CSS_PATH = css_path("activity.tcss")
    AUTO_FOCUS = "#activity-list"
    SUB_TITLE = "Activity log"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="activity-back"),
        Binding("slash", "filter", "Filter", id="activity-filter"),
        Binding("r", "reload", "Reload", id="activity-reload"),
    ]
    TYPING_TARGETS: ClassVar[dict[str, str]] = {"activity-filter": "log filter"}

    def __init__(self) -> None:
        super().__init__()
        self.filter = ActivityFilter()
        self.query_text = ""
        self.next: Cursor | None = None
        self.loading_more = False
        self.problem: str | None = None  # what is wrong with the filter as typed, if anything
        # Pages are read in a thread, again on r and as the filter is typed: an answer older
        # than the one shown (a page below the list from before a reload) is not shown.
        self.reads = ReadOrder()

    def compose(self) -> ComposeResult:
        with Vertical(id="activity-body"):
            yield Static("Activity log", id="activity-title")
            yield Input(placeholder="filter…", id="activity-filter")
            table: DataTable[str] = DataTable(
                id="activity-list", cursor_type="row", zebra_stripes=True
            )
            table.add_columns(*COLUMNS)
            yield table
            yield Static("", id="activity-status")
            yield Static(HINT, id="activity-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._load(self.filter, None, "")

    # -- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="activity-load")
    def _load(self, where: ActivityFilter, after: Cursor | None, query: str) -> None:
        read = self.reads.start()
        page = self.services.activity.list(where, limit=PAGE, after=after)
        self.post_message(PageLoaded(page, after is not None, query, read))

    def on_page_loaded(self, message: PageLoaded) -> None:
        if message.query != self.query_text:
            return  # the filter changed meanwhile: a newer load is on its way
        if not self.reads.is_newest(message.read):
            return  # read before a reload whose own read is shown
        table = self.query_one("#activity-list", DataTable)
        if not message.more:
            table.clear()
        now = self.now()
        for entry in message.page.entries:
            table.add_row(*row(entry, now), key=str(entry.id))
        self.next = message.page.next
        self.loading_more = False
        shown = table.row_count
        more = " (more below)" if self.next is not None else ""
        counted = f"{shown} entr{'y' if shown == 1 else 'ies'}{more}"
        empty = "No entries match." if shown == 0 else counted
        self.query_one("#activity-status", Static).update(self.problem or empty)
        self.keys_ready()

    @on(DataTable.RowHighlighted, "#activity-list")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if (
            self.next is not None
            and not self.loading_more
            and event.cursor_row >= table.row_count - 1
        ):
            self.loading_more = True
            self._load(self.filter, self.next, self.query_text)

    # -- filtering ------------------------------------------------------------------------------

    @on(Input.Changed, "#activity-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        from promptterm.services.activity import parse_filter

        status = self.query_one("#activity-status", Static)
        try:
            where = parse_filter(event.value, self.now())
        except ServiceError as exc:
            # What was typed stays and the list stays as it was; a load still on its way for
            # an earlier keystroke is dropped, so it cannot paint over the problem.
            self.problem, self.query_text = exc.message, event.value
            status.update(exc.message)
            return
        self.problem = None
        self.filter, self.query_text, self.next = where, event.value, None
        self._load(where, None, event.value)

    @on(Input.Submitted, "#activity-filter")
    def _filter_done(self) -> None:
        self.query_one("#activity-list", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#activity-filter", Input).focus()

    def action_reload(self) -> None:
        self.next = None
        self._load(self.filter, None, self.query_text)

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "activity-filter":
            self.query_one("#activity-list", DataTable).focus()
            return
        self.app.pop_screen()

    # -- one entry ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#activity-list")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open_entry(uuid.UUID(event.row_key.value))

    @work(thread=True, exclusive=True, exit_on_error=False, group="activity-entry")
    def _open_entry(self, entry_id: uuid.UUID) -> None:
        self.post_message(EntryLoaded(self.services.activity.get(entry_id)))

    def on_entry_loaded(self, message: EntryLoaded) -> None:
        self.app.push_screen(EntryScreen(message.entry))
