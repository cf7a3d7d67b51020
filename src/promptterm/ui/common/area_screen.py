"""What every area's screen shares: the services, the clock, and one error handler."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual._context import NoActiveAppError
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker

from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.key_queue import ReadyForKeys
from promptterm.ui.common.partial_frames import PartialFrames
from promptterm.ui.common.relative_times import keep_times_fresh

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.ui.common.host import AppHost


class AreaScreen(Screen[None]):
    AREA: ClassVar[str] = "app"  # the palette prefix: "explorer: New workspace"
    # True for a screen whose first load decides where typing goes (chat opens the last
    # thread, with its draft): keys typed meanwhile wait for keys_ready() (key_queue.py).
    WAITS_FOR_FIRST_LOAD: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self._compositor = PartialFrames()
        self.ready_for_keys = not self.WAITS_FOR_FIRST_LOAD
        # Textual counts a new screen as behind on every CSS change so far, and the first
        # switch to it restyles every widget of every screen, twice (about a third of an
        # area's first frame). Its widgets are styled as they mount, with the stylesheet as
        # it is then; only a change after this (a theme) must reach it, and still does.
        with suppress(NoActiveAppError):  # (a screen made outside a running app: no CSS yet)
            self._css_update_count = self.app._css_update_count
        # Set once the widgets composed are styled as the stylesheet stands; cleared when the
        # screen leaves the front (see _on_screen_resume).
        self._styled_as_composed = False

    async def _compose(self) -> None:
        sheet = self.app.stylesheet
        known = set(sheet.source)
        await super()._compose()
        # A widget type first mounted here brings its own CSS. Scoped to that type (as is
        # Textual's default), it matches only widgets that came after it; unscoped, it may
        # match widgets styled before it came: then the restyle on resume is needed.
        self._styled_as_composed = all(
            source.scope for where, source in sheet.source.items() if where not in known
        )

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen each time it comes to the front, and a
        # new area's screen comes to the front twice as it is first shown (its mode is made,
        # then switched to): two restyles of widgets styled a moment before as they mounted,
        # a fifth of the area's first frame. Only a CSS change since (a theme, whose own
        # refresh restyles it anyway) would make them needed. Textual's handler runs after.
        if self._styled_as_composed and self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False

    def _on_screen_suspend(self) -> None:
        self._styled_as_composed = False  # what changes while it is away shows on its return

    def keys_ready(self) -> None:
        """The first load is done: keys typed meanwhile may come in."""
        if not self.ready_for_keys:
            self.ready_for_keys = True
            self.post_message(ReadyForKeys())

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

    def on_mount(self) -> None:
        # "3 minutes ago" in this area's lists and panes moves on as the clock does.
        keep_times_fresh(self, self._clock_now)

    def _clock_now(self) -> datetime | None:
        # Only the screen in front redraws; one left behind catches up on its next tick.
        if not self.pt_app.services_ready or not self.is_current:
            return None
        return self.now()

    def typing_target(self, widget: Widget) -> str | None:
        """Where typing goes while ``widget`` (a text box) has the focus, for the footer."""
        return self.TYPING_TARGETS.get(widget.id or "")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers are started with exit_on_error=False; this is where their failures surface.
        if report_failed_worker(self.app, event.worker):
            self.keys_ready()  # a failed first load must not hold the keyboard
