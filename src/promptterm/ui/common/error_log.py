"""Every error the app reports also goes to the activity log (issue 19, item 5): its type,
message, traceback and severity, and what the user was doing (the screen's area and the
action or worker that failed). Written in a thread worker; a log that cannot be written
is counted by the service and never turns into a second error."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.app import App

    from promptterm.ui.common.host import AppHost

# What the notification adds, so the details are one key away (a toast holds no buttons).
DETAILS_HINT = "Details: ctrl+e (Show last error)."


def log_error(
    app: App[object], error: BaseException, severity: str, action: str | None = None
) -> None:
    area = _area(app)
    action = action or _action(error)

    def write() -> None:
        host = cast("AppHost", app)
        try:
            if not host.services_ready:
                return  # the database itself failed to open: nothing to write to
            from promptterm.services.activity import caught

            record = caught(error, severity=severity, area=area, action=action)
            host.services.activity.record_error(record)
        except Exception:
            pass  # never a second error about the first (the service counts its own)

    with contextlib.suppress(Exception):  # the app is shutting down
        app.run_worker(write, thread=True, group="activity-log", exit_on_error=False)


def _area(app: App[object]) -> str:
    try:
        screen = app.screen
    except Exception:
        return "app"
    return str(getattr(screen, "AREA", None) or type(screen).__name__)


def _action(error: BaseException) -> str | None:
    """The function of ours that caught it, where the traceback starts (``action_save``)."""
    trace = error.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_name
        module = str(trace.tb_frame.f_globals.get("__name__", ""))
        if module.startswith("promptterm.ui") and not name.startswith("_run"):
            return name
        trace = trace.tb_next
    return None
