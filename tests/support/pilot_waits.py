"""Pilot's wait for the screen's pending messages waits only on what has some.

Before each press and pause, Pilot waits until the app, the screen and every widget on it
have handled what was in their queues (``Pilot._wait_for_screen``). It does so by posting a
callback to each of them and counting them back: on a screen of 200 widgets, each of them
idle, that is 200 wake-ups, each a message and an idle pass dispatched and a callback's
signature read, some 1,000 round trips per Pilot test that wait for nothing.

A message pump whose loop is parked on its empty queue (the queue's only reader is that
loop) has handled everything posted to it, and has no deferred work (a refresh, a layout, a
callback after the next refresh) that such a round trip would set off: each of those posts to
its queue when asked for. Only the pumps with something pending get a callback, and the wait
lasts until each of them has handled what it had, as before; a test reads the same state
after a press or a pause, sooner.
"""

from __future__ import annotations

import asyncio

from textual.message_pump import MessagePump
from textual.pilot import Pilot, WaitForScreenTimeout
from textual.screen import Screen
from textual.widget import Widget


def _parked(pump: MessagePump) -> bool:
    """Whether ``pump``'s loop waits on its empty queue with no deferred work of its own."""
    queue = pump._message_queue
    if not pump._running or pump._pending_message is not None or pump._next_callbacks:
        return False
    # The loop reads its queue (textual._queue.Queue) by waiting on the queue's event: the
    # event keeps the future of that wait until a message sets it.
    waiting = queue.ready_event._waiters  # type: ignore[attr-defined]
    if not queue.empty() or not any(not future.done() for future in waiting):
        return False
    if isinstance(pump, Widget) and (
        pump._layout_required
        or pump._repaint_required
        or pump._scroll_required
        or pump._recompose_required
        or pump._refresh_styles_required
    ):
        return False
    return not (isinstance(pump, Screen) and (pump._callbacks or pump._dirty_widgets))


async def _wait_for_screen(self: Pilot[object], timeout: float = 30.0) -> bool:
    """Textual's ``Pilot._wait_for_screen``, skipping the pumps with nothing pending."""
    try:
        screen = self.app.screen
    except Exception:
        return False
    count = 0
    all_handled = asyncio.Event()

    def handled() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            all_handled.set()

    for pump in (self.app, *screen.walk_children(with_self=True)):
        if not _parked(pump) and pump.call_later(handled):
            count += 1
    if count:
        waits = [
            asyncio.create_task(all_handled.wait()),
            asyncio.create_task(self.app._exception_event.wait()),
        ]
        _, pending = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if len(pending) == len(waits):
            raise WaitForScreenTimeout(
                "Timed out while waiting for widgets to process pending messages."
            )
        if count > 0:
            return False
    return True


def install() -> None:
    Pilot._wait_for_screen = _wait_for_screen  # type: ignore[method-assign]
