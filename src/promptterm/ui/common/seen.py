"""What a form showed when it opened, passed to the service as ``expected`` so that a write
over a change made meanwhile is refused (StaleEdit) instead of replacing it.

After such a refusal the form stays open with what the user typed and the reason; what it
"saw" becomes what is stored now, so submitting again is a deliberate choice that goes through.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Generic, TypeVar

from promptterm.services.errors import ServiceError, StaleEdit

T = TypeVar("T")
R = TypeVar("R")


class Seen(Generic[T]):
    def __init__(self, value: T, reload: Callable[[], T]) -> None:
        self.value = value
        self._reload = reload

    def write(self, action: Callable[[T], R], on_stale: Callable[[], object] | None = None) -> R:
        """``action(seen)``; on StaleEdit, re-read what is stored, call ``on_stale`` (e.g. to
        reload a list behind the form) and raise for the form to show. Call from a worker."""
        try:
            return action(self.value)
        except StaleEdit:
            with contextlib.suppress(ServiceError):
                self.value = self._reload()
            if on_stale is not None:
                on_stale()
            raise
