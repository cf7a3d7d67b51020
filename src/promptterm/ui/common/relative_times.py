"""Relative times ("3 minutes ago") that stay true while the screen stays open.

A screen (or dialog) that shows them starts one tick: every ``TICK_SECONDS`` it reads the
services' clock (the injected one: a fixed clock in tests, which a test moves on), and when
the minute has changed since it last looked, every ``RelativeTimes`` widget in it, and the
screen itself if it is one, redraws with the new time. Nothing is redrawn between minutes,
so a tick costs one clock read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.dom import DOMNode
from textual.timer import Timer

TICK_SECONDS = 1.0


class RelativeTimes:
    """A widget whose text is relative to now. It remembers how it last drew itself
    (``drawn_with``); ``retime`` draws it again as of ``now``, keeping cursor and scroll."""

    _redraw: Callable[[datetime], None] | None = None

    def drawn_with(self, redraw: Callable[[datetime], None]) -> None:
        self._redraw = redraw

    def retime(self, now: datetime) -> None:
        if self._redraw is not None:
            self._redraw(now)


def retime_all(root: DOMNode, now: datetime) -> None:
    nodes = [root, *root.query("*")]
    for node in nodes:
        if isinstance(node, RelativeTimes):
            node.retime(now)


def keep_times_fresh(root: DOMNode, clock: Callable[[], datetime | None]) -> Timer:
    """Start ``root``'s tick; ``clock`` gives the time, or None while there is none yet (the
    services not open). The first tick redraws once whatever the minute: the clock may have
    moved between the first draw and the tick."""
    seen: list[datetime | None] = [None]

    def tick() -> None:
        now = clock()
        if now is None:
            return
        minute = now.replace(second=0, microsecond=0)
        if minute == seen[0]:
            return
        seen[0] = minute
        retime_all(root, now)

    return root.set_interval(TICK_SECONDS, tick, name="relative-times")
