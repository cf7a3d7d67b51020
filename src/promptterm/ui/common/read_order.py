"""Answers of reads made in threads, shown in the order the reads started.

A screen reads in a thread worker, and reads again after each write. Cancelling an exclusive
thread worker does not stop its thread: a read that started before a write can answer after
the read that followed it, and was shown over it (a plan change, a deleted card came back).
Each read takes a number as it starts; an answer older than the one shown is dropped.
"""

from __future__ import annotations

import itertools


class ReadOrder:
    def __init__(self) -> None:
        self._numbers = itertools.count(1)  # next() on a count is atomic: threads may call it
        self.shown = 0

    def start(self) -> int:
        """The number of a read starting now (called in its thread, before it reads)."""
        return next(self._numbers)

    def is_newest(self, number: int) -> bool:
        """Whether an answer numbered ``number`` is to be shown; if so it becomes the shown one
        (called on the UI thread, where answers arrive)."""
        if number < self.shown:
            return False
        self.shown = number
        return True

    def supersede(self) -> None:
        """What is shown now came from no read (chat's new, empty thread): an answer of a read
        that started before is older than it (called on the UI thread)."""
        self.shown = self.start()
