"""Waiting in tests: for the event itself, never for a guess at how long it takes.

A busy machine (two cores, two pytest workers, a CPU hog beside them) stretches every step,
and a wait that gives up after a few seconds fails a test that was right. So every wait in
the suite polls for what it waits for and goes on the moment it holds; it gives up only
after ``CEILING`` seconds, which only a hang reaches.
"""

from __future__ import annotations

import asyncio
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


async def stop_and_wait_for_its_final_write(work: asyncio.Future[object], what: str) -> None:
    """Cancel ``work`` (a send or an AI job, as a stop does) and return once it has started
    the final write it makes on a stop, a task of its own: a program that ends then leaves
    that write for asyncio.run to cancel."""
    tasks = len(asyncio.all_tasks())
    work.cancel()
    for _ in range(10_000):  # loop turns, not seconds: the write starts within a few
        if len(asyncio.all_tasks()) > tasks:
            return
        await asyncio.sleep(0)
    raise AssertionError(f"the stopped {what} never started its final write")
