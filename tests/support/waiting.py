"""Waiting in tests: for the event itself, never for a guess at how long it takes.

A busy machine (two cores, two pytest workers, a CPU hog beside them) stretches every step,
and a wait that gives up after a few seconds fails a test that was right. So every wait in
the suite polls for what it waits for and goes on the moment it holds; it gives up only
after ``CEILING`` seconds, which only a hang reaches.
"""

from __future__ import annotations

import time
from collections.abc import Callable

CEILING = 60.0  # seconds; a wait that reaches it is a hang, not a slow machine
POLL = 0.02  # seconds between looks


def wait_until(condition: Callable[[], bool], what: str, *, ceiling: float = CEILING) -> None:
    """Return as soon as ``condition()`` holds; fail, naming ``what``, after ``ceiling``."""
    deadline = time.monotonic() + ceiling
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {ceiling:.0f} s")
        time.sleep(POLL)
