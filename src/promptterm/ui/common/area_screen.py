"""What every area's screen shares: the services, the clock, and one error handler."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker

from promptterm.ui.common.errors import report_failed_worker

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.ui.common.host import AppHost


class AreaScreen(Screen[None]):
    AREA: ClassVar[str] = "app"  # the palette prefix: "explorer: New workspace"
    # What the footer calls each text box of the area ("typing → thread filter"), by id.
    TYPING_TARGETS: ClassVar[dict[str, str]] = {}

    @property
    def pt_app(self) -> AppHost:
        """The App, as the areas see it (typed by a protocol: nothing in ui/ imports the App)."""
        return cast("AppHost", self.app)

    @property
    def services(self) -> Services:
        return self.pt_app.services

    def now(self) -> datetime:
        """The services' clock (a fixed one in tests), for "3 days ago"."""
        return self.services.ctx.now()

    def typing_target(self, widget: Widget) -> str | None:
        """Where typing goes while ``widget`` (a text box) has the focus, for the footer."""
        return self.TYPING_TARGETS.get(widget.id or "")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers are started with exit_on_error=False; this is where their failures surface.
        report_failed_worker(self.app, event.worker)
