"""MCP servers (area 8): the registry at a glance (status in words and colour, last check,
latency, tools and what they cost in context) with a details pane, and keys to add, edit,
remove, switch on and off, check one or all, and import a server's prompt.

Reading goes through one thread worker (``services.mcp.list()``); checks run in their own
workers (actions.py) that post CheckStarted / CheckDone, so a row says "checking…" while its
check runs and the rest of the screen stays usable.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Static

from promptterm.services.mcp import McpServerInfo
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.relative_times import RelativeTimes
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine
from promptterm.ui.mcp import rows
from promptterm.ui.mcp.actions import McpActions
from promptterm.ui.mcp.messages import CheckDone, CheckStarted, ServersChanged, ServersLoaded

EMPTY = (
    "No MCP servers yet. Press a to add one: a command that speaks MCP on stdio "
    "(npx -y @modelcontextprotocol/server-filesystem ~/notes) or an HTTP URL."
)


COLUMNS = (("Server", 16), ("Status", 11), ("Checked", 14), ("Latency", 8), ("Tools", 5))


class ServerTable(DataTable[object], RelativeTimes):
    """The list; "checked 3 minutes ago" moves on with the clock."""


class McpScreen(McpActions):
    AREA = "mcp"
    CSS_PATH = css_path("mcp.tcss")
    AUTO_FOCUS = "#mcp-list"
    SUB_TITLE = "MCP servers"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="mcp-add", tooltip="Register a stdio or HTTP server"),
        Binding("e", "edit", "Edit", id="mcp-edit", tooltip="Change the highlighted server"),
        Binding("d,delete", "remove", "Remove", id="mcp-remove", tooltip="Remove it (asks first)"),
        Binding(
            "space", "toggle", "On/off", id="mcp-toggle", tooltip="Switch the server on or off"
        ),
        Binding("c", "check", "Check", id="mcp-check", tooltip="Check the highlighted server"),
        Binding(
            "C,shift+c",
            "check_all",
            "Check all",
            id="mcp-check-all",
            tooltip="Check every enabled server, several at once",
        ),
        Binding(
            "i",
            "import_prompt",
            "Import prompt",
            show=False,
            id="mcp-import-prompt",
            tooltip="Bring one of the server's prompts into the library",
        ),
        Binding("r,f5", "refresh", "Refresh", show=False, id="mcp-refresh"),
    ]

    # Help groups the check keys apart from the registry's.
    HELP_PANES: ClassVar[dict[str, str]] = {"check": "Checks", "check_all": "Checks"}

    def __init__(self) -> None:
        super().__init__()
        self.servers: list[McpServerInfo] = []
        self.checking: set[uuid.UUID] = set()
        self._select: uuid.UUID | None = None
        # The list is read in a thread, again after each write and check: an answer older
        # than the one shown is not shown over it (a cancelled thread still runs).
        self.reads = ReadOrder()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="mcp-body"):
            table = ServerTable(id="mcp-list", cursor_type="row", zebra_stripes=False)
            # Fixed widths: "not checked" and "checking…" must never be cut to "not ch".
            for label, width in COLUMNS:
                table.add_column(label, width=width)
            yield table
            with VerticalScroll(id="mcp-details-scroll"):
                yield Static("Loading…", id="mcp-details", markup=False)
        yield StatusLine()
        yield AreaFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(ServerTable).drawn_with(lambda _now: self._draw())

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="mcp-load")
    def _load(self) -> None:
        read = self.reads.start()
        self.post_message(ServersLoaded(self.services.mcp.list(), read))

    @on(ServersLoaded)
    def _loaded(self, message: ServersLoaded) -> None:
        if not self.reads.is_newest(message.read):
            return  # read before a write or a check whose own read is shown
        self.servers = message.servers
        self._draw()

    @on(ServersChanged)
    def _changed(self, message: ServersChanged) -> None:
        if message.said:
            self.notify(message.said)
        self._select = message.select
        self.reload()

    @on(CheckStarted)
    def _check_started(self, message: CheckStarted) -> None:
        self.checking.add(message.server_id)
        self._draw()

    @on(CheckDone)
    def _check_done(self, message: CheckDone) -> None:
        self.checking.discard(message.server.id)
        self.servers = [message.server if s.id == message.server.id else s for s in self.servers]
        self._draw()
        # A list read before the check may still answer: a read after it has the last word.
        self.reload()

    @property
    def highlighted(self) -> McpServerInfo | None:
        table = self.query_one(ServerTable)
        if not self.servers or table.cursor_row < 0 or table.cursor_row >= len(self.servers):
            return None
        return self.servers[table.cursor_row]

    def _draw(self) -> None:
        table = self.query_one(ServerTable)
        keep = self._select or (self.highlighted.id if self.highlighted else None)
        self._select = None
        table.clear()
        now = self.now()
        for server in self.servers:
            busy = server.id in self.checking
            table.add_row(
                server.name,
                rows.status_cell(server, busy),
                rows.checked_cell(server, now),
                rows.latency_cell(server),
                "-" if server.tool_count is None else str(server.tool_count),
                key=str(server.id),
            )
        index = next((n for n, s in enumerate(self.servers) if s.id == keep), 0)
        if self.servers:
            table.move_cursor(row=index)
        self._show_details()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#mcp-list")
    def _highlighted(self) -> None:
        self._show_details()
        # Edit, Remove and On/off are for one's own servers: the footer follows the cursor.
        self.refresh_bindings()

    def _show_details(self) -> None:
        pane = self.query_one("#mcp-details", Static)
        server = self.highlighted
        if server is None:
            pane.update(EMPTY)
            return
        pane.update(rows.details(server, self.now(), server.id in self.checking))
