"""Writes to the activity log off the caller's path: a send or an error report hands over a
small function and goes on; one daemon thread runs them in order.

Logging must never break or slow what it logs, so a write that fails is counted
(``failures``) and dropped, never raised. ``flush`` waits for what was handed over (tests,
and closing the services, so a CLI command's entries are written before it exits).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable


class ActivityRecorder:
    def __init__(self, name: str = "activity-log") -> None:
        self._queue: queue.Queue[Callable[[], object]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._name = name
        self.failures = 0  # writes that failed and were dropped

    def submit(self, write: Callable[[], object]) -> None:
        """Run ``write`` soon, on the recorder's thread. Never raises."""
        try:
            self._queue.put(write)
            self._ensure_thread()
        except Exception:
            self.failures += 1

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until everything handed over so far is written (or dropped); False if the
        ``timeout`` ran out first."""
        if self._thread is None:
            return True  # nothing was ever handed over
        done = threading.Event()
        self.submit(done.set)
        return done.wait(timeout)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            write = self._queue.get()
            try:
                write()
            except Exception:
                self.failures += 1
