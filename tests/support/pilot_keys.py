"""Pilot's ``press`` returns once the app has *taken* every key pressed.

The app hands keys to its screens one at a time (``ui/common/key_queue.py``): a key pressed
right behind another waits until the first has been handled and the screen in front is
ready. Pilot's own press only waits for the app to look idle, which it can do while a key
is still held, so a test would look at the screen before its key arrived. Waiting for the
queue to empty is waiting for the event itself; a key that never arrives is a hang and fails
at the ceiling with the keys named.
"""

from __future__ import annotations

import time

from textual.pilot import Pilot

from support.waiting import CEILING, POLL

_press = Pilot.press


async def press_and_wait_for_the_keys(self: Pilot[object], *keys: str) -> None:
    await _press(self, *keys)
    queue = getattr(self.app, "keys", None)
    if queue is None or not hasattr(queue, "idle"):
        return  # a bare Textual app in a widget test: nothing is held
    deadline = time.monotonic() + CEILING
    while not queue.idle:
        if time.monotonic() > deadline:
            raise AssertionError(f"the app never took the keys {keys!r} ({CEILING:.0f} s)")
        await self.pause(POLL)


def install() -> None:
    Pilot.press = press_and_wait_for_the_keys  # type: ignore[method-assign]
