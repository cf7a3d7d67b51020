"""The status line: where you are (workspace / project), who you are, and on the right the
token meter: tokens used this period against the plan's limit (or the tighter budget).

The meter is one service call in a thread worker, made once the services are open and again
whenever the app publishes ``usage_signal`` (after a chat send, a plan or budget change).
Until it has a figure it shows nothing, so the first frame never waits and never flickers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from promptterm.services.errors import ServiceError
from promptterm.ui.common.read_order import ReadOrder

if TYPE_CHECKING:
    from promptterm.services.billing.models import TokenMeter
    from promptterm.ui.common.host import AppHost


SEPARATOR = "\u203a"  # a single right-pointing angle quote, lighter than ">"
METER_CELLS = 8
METER_STYLES = {"ok": "$primary", "warning": "$warning", "full": "bold $error"}


def meter_content(meter: TokenMeter, cells: int = METER_CELLS) -> Content:
    """'12,345 / 50,000 tokens ━━━─────' in the state's colour (warning from 80%)."""
    if meter.limit is None:
        return Content.styled(f"{meter.used:,} tokens", "$text-muted")
    style = METER_STYLES[meter.state]
    text_style = "" if meter.state == "ok" else style
    fraction = min(meter.fraction or 0.0, 1.0)
    filled = min(cells, round(fraction * cells))
    if meter.used and not filled:
        filled = 1
    which = " (budget)" if meter.source == "budget" else ""
    return Content.assemble(
        (f"{meter.used:,} / {meter.limit:,} tokens{which} ", text_style),
        ("━" * filled, style),
        ("─" * (cells - filled), "$panel-lighten-3"),
    )


@dataclass
class MeterLoaded(Message):
    meter: TokenMeter | None  # None: could not be read (the meter stays blank)
    read: int = 0  # its number in StatusLine.reads (an older read is not shown)


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._where = Content("")
        self.meter: TokenMeter | None = None
        self.reads = ReadOrder()

    def on_mount(self) -> None:
        app = cast("AppHost", self.app)
        self.watch(self.app, "current_workspace", self._refresh_status, init=False)
        self.watch(self.app, "current_project", self._refresh_status, init=False)
        self.watch(self.app, "services_ready", self._services_ready, init=False)
        # Immediate: the worker starts within the publisher's handler (tests settle on it).
        app.usage_signal.subscribe(self, self._usage_changed, immediate=True)
        self._refresh_status()
        if app.services_ready:
            self._load_meter()

    def _services_ready(self, ready: bool) -> None:
        self._refresh_status()
        if ready:
            self._load_meter()

    def _usage_changed(self, _: object = None) -> None:
        if cast("AppHost", self.app).services_ready:
            self._load_meter()

    @work(thread=True, exclusive=True, exit_on_error=False, group="status-meter")
    def _load_meter(self) -> None:
        read = self.reads.start()
        try:
            meter: TokenMeter | None = cast("AppHost", self.app).services.billing.meter()
        except ServiceError:
            # A broken [budget] table: the billing screen and the next send say so in words.
            meter = None
        self.post_message(MeterLoaded(meter, read))

    @on(MeterLoaded)
    def _meter_loaded(self, message: MeterLoaded) -> None:
        message.stop()
        if not self.reads.is_newest(message.read):
            return  # read before a send or a plan change whose own read is shown
        self.meter = message.meter
        self.refresh()

    def _refresh_status(self, _value: Any = None) -> None:
        app = cast("AppHost", self.app)
        workspace = app.current_workspace
        project = app.current_project
        parts: list[Content | tuple[str, str] | str] = []
        if project is not None and workspace is not None and project.workspace_id != workspace.id:
            project = None  # the user moved to another workspace: show where they are now
        where = workspace.name if workspace else project.workspace_name if project else None
        if where is None:
            parts.append(("no workspace selected", "italic"))
        else:
            parts.append((where, "bold"))
            if project is not None:
                parts += [f" {SEPARATOR} ", (project.name, "bold $accent")]
        user = app.session.user_name() or "opening the database…"
        parts += ["  ·  ", (user, "")]
        self._where = Content.assemble(*parts)
        self.refresh()

    def render(self) -> Content:
        width = self.content_region.width
        meter = meter_content(self.meter) if self.meter is not None else None
        if meter is None or not width:
            return self._where
        if meter.cell_length + 2 > width:
            return self._where  # a very narrow terminal: where you are matters more
        room = width - meter.cell_length - 2
        where = self._where
        if where.cell_length > room:
            where = where.truncate(room, ellipsis=True)
        gap = width - where.cell_length - meter.cell_length
        return Content.assemble(where, " " * gap, meter)
