"""How the app opens the log: the palette's "Activity log", and ctrl+e ("Show last error"),
which an error's notification names."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.app import App

    from promptterm.ui.common.host import AppHost


def open_log(app: App[object]) -> None:
    from promptterm.ui.activity.screen import ActivityLogScreen

    if not isinstance(app.screen, ActivityLogScreen):
        app.push_screen(ActivityLogScreen())


def show_last_error(app: App[object]) -> None:
    """Open the newest error entry (read in a thread: the database may be slow)."""

    def read() -> None:
        host = cast("AppHost", app)
        try:
            entry = host.services.activity.last_error()
        except Exception as exc:
            app.call_from_thread(app.notify, f"The log cannot be read: {exc}", severity="warning")
            return
        app.call_from_thread(_show, app, entry)

    app.run_worker(read, thread=True, group="activity-last-error", exit_on_error=False)


def _show(app: App[object], entry: object) -> None:
    from promptterm.ui.activity.entry import EntryScreen

    if entry is None:
        app.notify("No error has been logged.", title="Activity log")
        return
    app.push_screen(EntryScreen(entry))  # type: ignore[arg-type]


class ActivityProvider(Provider):
    """``app: Activity log`` from anywhere."""

    TITLE = "app: Activity log"
    HELP = "Provider calls and errors, newest first; filter, open one whole"

    def _open(self) -> None:
        open_log(self.app)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(self.TITLE)
        if score > 0:
            yield Hit(score, matcher.highlight(self.TITLE), self._open, help=self.HELP)

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.TITLE, self._open, help=self.HELP)
