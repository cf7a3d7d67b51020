"""The service layer as the UI sees it: ready now, or opening in the background.

Importing the service layer (SQLAlchemy, SQLModel, pydantic and the models) costs several
times what Textual itself does. Given an opener instead of open services, the App paints
its first frame first and opens the database in a thread; workers that need the services
simply wait for them (they run in threads, so waiting blocks no one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo


class ServicesClosed(RuntimeError):
    """Raised to workers still waiting for the services when the app closes."""


class ServicesHandle:
    def __init__(self, source: Services | Callable[[], Services]) -> None:
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._services: Services | None = None
        self._opener: Callable[[], Services] | None = None
        if callable(source):
            self._opener = source
        else:
            self._services = _speaking_tui(source)
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._error is None

    @property
    def needs_opening(self) -> bool:
        return self._opener is not None and not self._ready.is_set()

    def open(self) -> Services:
        """Run the opener (in a worker thread); its error is kept for every waiter too."""
        assert self._opener is not None
        try:
            self._services = _speaking_tui(self._opener())
        except BaseException as exc:
            self._error = exc
            raise
        finally:
            self._ready.set()
        return self._services

    def close(self) -> None:
        """The app is closing: release every worker still waiting for the services (the
        process cannot end while a worker thread waits)."""
        if not self._ready.is_set():
            self._error = ServicesClosed("The app closed before the database was opened.")
            self._ready.set()

    def get(self) -> Services:
        """The services, waiting for them if they are still opening (call from a thread)."""
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._services is not None
        return self._services

    def user_name(self) -> str:
        """The user's name, or "" while the services are opening (safe on the UI thread)."""
        return self._services.user.display_name if self.ready and self._services else ""


def _speaking_tui(services: Services) -> Services:
    """Messages the services write name this app's keys, not the CLI's commands."""
    from promptterm.ui.common.hints import TUI_HINTS

    services.ctx.hints = TUI_HINTS
    return services


# Posted (never ``call_from_thread``, which would wait forever if the app is already
# closing) by the worker that opens the services.
class ServicesOpened(Message):
    pass


@dataclass
class ServicesFailed(Message):
    error: BaseException


@dataclass
class StartProjectFound(Message):
    """The folder promptterm was started in belongs to a bound project (opened, rescanned)."""

    project: ProjectInfo
