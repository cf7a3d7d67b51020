"""Keys typed faster than the screens switch reach the screen that ends up in front.

Textual hands each key to the widget focused when the key *arrives*. Typed quickly, ``2 3``
in the explorer reaches the explorer's tree twice before the first one has switched to the
editor; the second then comes back to the App to be matched against the *editor's*
bindings, and when the new screen's focused widget takes text (chat's composer) the App
drops it: neither typed nor bound. The same happens to a key that follows one which opens
a dialog or switches a library view: it lands on the widget that is no longer in front.

So the App lets one key travel at a time: the next one waits until the previous key has
been handled (a marker posted right behind it to the same widget has bubbled back to the
App), and until the screen then in front has mounted and settled its focus. A key that is
held is not lost: it is handed over, in order, as soon as the screen is ready. A screen
whose first load decides where typing goes (chat opens the last thread, with its own draft)
says when it is ready (``AreaScreen.keys_ready``), and keys wait for that too.

A marker or callback that can no longer come back (its widget or screen was removed while
the key was on its way) is noticed by a look every ``LOOK`` seconds at whether what it waits
on is still there; never by a timeout, which a busy machine would reach while a screen is
merely slow to mount. Only a first load has a ceiling (``FIRST_LOAD``): after it, keys go
in as Textual would have sent them.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.timer import Timer

LOOK = 0.1  # seconds between looks at whether a key's marker can still come back
FIRST_LOAD = 10.0  # seconds at most that keys wait for a screen's first load


class KeyHandled(Message):
    """Posted right behind a key to the widget that received it; bubbles back to the App."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class ReadyForKeys(Message):
    """A screen that held keys until its first load is ready for them (bubbles to the App)."""


class KeyQueue:
    """Hands the App's keys to the screen one at a time (see the module's docstring)."""

    def __init__(self, app: App[object], deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        self._app = app
        self._deliver = deliver  # Textual's own handling of a key that has just arrived
        self._held: deque[events.Key] = deque()
        self._serial = 0  # the key on its way, if ``_busy``
        self._busy = False
        self._waiting_on: DOMNode | None = None  # what must stay for the key to come back
        self._deadline: float | None = None  # only while a first load is awaited
        self._looks: Timer | None = None
        self.finished = 0  # keys handed over and done with (tests wait on it)

    @property
    def idle(self) -> bool:
        """No key on its way and none held (tests settle on it)."""
        return not self._busy and not self._held

    @property
    def pending(self) -> bool:
        """A key is on its way, held, or has arrived and waits in the App's queue: work that
        can wait (drawing a streaming answer) lets it go first."""
        if not self.idle:
            return True
        # Textual has no public look into a pump's queue; its own Queue keeps a deque in
        # ``values`` (not asyncio.Queue's ``_queue``: that name found nothing, ever).
        inbox = getattr(self._app._message_queue, "values", ())
        return any(type(message) is events.Key for message in inbox)

    async def receive(self, key: events.Key) -> None:
        """A key from the terminal: hand it over now, or after the one on its way."""
        if self._busy:
            self._held.append(key)
        else:
            await self._hand_over(key)

    def handled(self, marker: KeyHandled) -> None:
        """The marker behind a key is back: the key is done once the screen has settled."""
        marker.stop()
        if self._busy and marker.serial == self._serial:
            self._after_screen_settles()

    def screen_ready(self, message: ReadyForKeys) -> None:
        """A screen's first load is done: the key on its way may finish."""
        message.stop()
        if self._busy:
            self._after_screen_settles()

    async def _hand_over(self, key: events.Key) -> None:
        app = self._app
        self._busy = True
        self._serial += 1
        target = app.focused or app.screen
        self._waiting_on, self._deadline = target, None
        self._keep_looking()
        await self._deliver(key)
        if key.is_forwarded:
            # The key sits in the target's queue; the marker follows it up the same path.
            target.post_message(KeyHandled(self._serial))
        else:
            # Taken by a priority binding (alt+3) or dropped: done here, but an action may
            # have switched screens.
            self._after_screen_settles()

    def _after_screen_settles(self) -> None:
        screen = self._app.screen
        self._waiting_on = screen
        if not getattr(screen, "ready_for_keys", True):
            self._deadline = time.monotonic() + FIRST_LOAD  # screen_ready() comes back here
            return
        self._deadline = None
        # A callback on the front screen's queue runs after its Compose, Mount and Resume
        # (auto-focus included), which a new screen has queued by now.
        screen.call_later(self._app.call_later, self._done, self._serial)

    async def _done(self, serial: int) -> None:
        if not self._busy or serial != self._serial:
            return
        self._busy = False
        self._waiting_on = self._deadline = None
        self.finished += 1
        if self._held:
            await self._hand_over(self._held.popleft())

    # Noticing a marker that cannot come back ---------------------------------------------------

    def _keep_looking(self) -> None:
        if self._looks is None:
            self._looks = self._app.set_interval(LOOK, self._look)

    async def _look(self) -> None:
        if not self._busy:
            if self._looks is not None:
                self._looks.stop()
                self._looks = None
            return
        node = self._waiting_on
        gone = node is None or not node.is_attached or node._closing or node._closed
        late = self._deadline is not None and time.monotonic() > self._deadline
        if gone or late:
            await self._done(self._serial)
