"""The app checks enabled MCP servers in the background: once after the database opens,
then every ``[mcp] check_every_minutes`` (0: never on its own). The MCP area, if it is the
screen in front, shows the results when they are in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    from promptterm.services.facade import Services


def start_background_checks(app: App[None], services: Services, minutes: float) -> None:
    if minutes <= 0:
        return
    run = _runner(app, services)
    run()
    app.set_interval(minutes * 60, run, name="mcp-checks")


def _runner(app: App[None], services: Services):  # type: ignore[no-untyped-def]
    def run() -> None:
        app.run_worker(
            lambda: _check_all(app, services),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group="mcp-background",
        )

    return run


def _check_all(app: App[None], services: Services) -> None:
    from promptterm.services.mcp import run_checks

    if services.read_only is not None or not services.mcp.list(enabled_only=True):
        return
    run_checks(services.mcp)
    app.call_from_thread(_show_if_in_front, app)


def _show_if_in_front(app: App[None]) -> None:
    from promptterm.ui.mcp.screen import McpScreen

    if isinstance(app.screen, McpScreen):
        app.screen.reload()
