"""The one place that turns an exception into something a person reads (never a traceback)."""

from __future__ import annotations

from textual.app import App
from textual.worker import Worker, WorkerState

from promptterm.services.errors import ReadOnlyDatabase, ServiceError

# Long enough to read a two-line message; errors stay until dismissed by the next action.
ERROR_TIMEOUT = 8.0


def describe(error: BaseException) -> tuple[str, str]:
    """(title, message) for an error, in the user's words."""
    if isinstance(error, ServiceError):
        return error.kind.capitalize(), error.message
    if isinstance(error, ReadOnlyDatabase):
        return "Read-only", str(error)
    # A bug, or the database going away under us: say so plainly; details go to the log.
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return "Something went wrong", f"{text}. The action was not completed; please try again."


def report_error(app: App[object], error: BaseException, action: str | None = None) -> None:
    """Tell the user, and log it (with the traceback) in the activity log."""
    from promptterm.ui.common.error_log import DETAILS_HINT, log_error

    title, message = describe(error)
    expected = isinstance(error, ServiceError | ReadOnlyDatabase)
    if not expected:
        app.log.error(f"unexpected error: {error!r}")
    log_error(app, error, "warning" if expected else "error", action)
    message = f"{message}\n{DETAILS_HINT}"
    app.notify(message, title=title, severity="error", timeout=ERROR_TIMEOUT)


def report_failed_worker(app: App[object], worker: Worker[object]) -> bool:
    """Show a failed worker's error; True when it did (for ``on_worker_state_changed``)."""
    if worker.state is WorkerState.ERROR and worker.error is not None:
        report_error(app, worker.error, worker.name or None)
        return True
    return False
