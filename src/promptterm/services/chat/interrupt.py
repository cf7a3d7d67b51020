"""``asyncio.run`` for the blocking sends, with a ctrl+c that wakes the loop whatever thread
of the process the kernel hands the signal to.

``asyncio.run`` catches ctrl+c with a plain Python handler, which runs only once the main
thread wakes. If SIGINT lands on one of the loop's worker threads while the main thread sleeps
in ``epoll_wait`` (a model that stalls mid-answer, and the next timer is a long read timeout),
nothing wakes it: ``promptterm ask`` then seemed to ignore ctrl+c (seen under load: the main
thread in ``select``, an idle executor thread beside it). The loop's own signal handling
writes every signal to its wake-up pipe instead, so the loop wakes at once, from any thread.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_interruptibly(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``: the first ctrl+c cancels ``coro`` (which keeps what it has and
    ends) and comes out as KeyboardInterrupt; a second one interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        return asyncio.run(coro)  # a worker thread of the TUI: signals never go here
    return asyncio.run(_interruptible(coro))


async def _interruptible(coro: Coroutine[Any, Any, T]) -> T:
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    interrupts = 0

    def on_sigint() -> None:
        nonlocal interrupts
        interrupts += 1
        if interrupts == 1 and not task.done():
            task.cancel()
            return
        raise KeyboardInterrupt

    loop.add_signal_handler(signal.SIGINT, on_sigint)
    try:
        return await coro
    except asyncio.CancelledError:
        if interrupts:
            raise KeyboardInterrupt from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGINT)
