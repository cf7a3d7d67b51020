"""A streamed body read a burst at a time: one wait per burst of tokens, none while bytes
are already there, and every byte handed on in order, the first at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from promptterm.providers.read_bursts import read_in_bursts


class Wire:
    """Chunks whose reads wait for the network before those listed in ``quiet_before``
    (the clock moves on as if the read had waited); the rest are buffered already."""

    def __init__(self, chunks: list[bytes], quiet_before: set[int]) -> None:
        self.chunks = chunks
        self.quiet_before = quiet_before
        self.now = 0.0
        self.slept: list[tuple[float, int]] = []  # (seconds, chunks read before)
        self.read = 0

    async def body(self) -> AsyncIterator[bytes]:
        for n, chunk in enumerate(self.chunks):
            if n in self.quiet_before:
                self.now += 0.2
            self.read += 1
            yield chunk

    async def sleep(self, seconds: float) -> None:
        self.slept.append((seconds, self.read))
        self.now += seconds


def read(wire: Wire, window: float) -> list[bytes]:
    async def go() -> list[bytes]:
        bursts = read_in_bursts(wire.body(), window, clock=lambda: wire.now, sleep=wire.sleep)
        return [chunk async for chunk in bursts]

    return asyncio.run(go())


def test_a_stream_that_waits_between_bursts_pauses_once_a_burst() -> None:
    wire = Wire([b"a", b"b", b"c", b"d", b"e", b"f"], quiet_before={0, 3})
    assert read(wire, 0.05) == [b"a", b"b", b"c", b"d", b"e", b"f"]
    # After "a" (it waited) the read pauses; "b" and "c" were there meanwhile: no pause
    # until "d" had to be waited for again.
    assert wire.slept == [(0.05, 1), (0.05, 4)]


def test_a_stream_read_token_by_token_without_a_window() -> None:
    wire = Wire([b"a", b"b", b"c"], quiet_before={0, 1, 2})
    assert read(wire, 0) == [b"a", b"b", b"c"]
    assert wire.slept == []
