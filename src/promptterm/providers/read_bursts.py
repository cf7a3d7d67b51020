"""A streamed body read a burst at a time, not a token at a time.

A model streams an answer as one small event per token, written as it is made: at 100
tokens a second each token reached us alone, and each one woke the send's thread (and the
event loop's machinery around a read) for a few microseconds of work. The wake-ups, not the
parsing, were the cost: read token by token, an answer cost its thread ten times the CPU of
the same answer read flat out (420 against 37 us a token, benchmarks/streaming.py and a
paced stream). So after a read that had to wait for the network, the next one waits
``window`` seconds first: whatever came meanwhile is read in one go, and a stream costs a
wake-up per window instead of per token.

Nothing is held back: a read that waits hands its bytes on at once (the first words of an
answer show as soon as they come), and reads that find bytes already there go on without a
pause. Text reaches the screen at most ``window`` later. The window is the screen's own
redraw interval (ui/chat/sending.py draws a streaming answer ten times a second), so each
burst makes one draw: at 100 tokens a second, the send's thread took 0.82 s of CPU for a
20-second answer with a window of 0.05 s, 0.54 s with 0.1 s (1.78 s with none). Once the
answer's last event is in, the window is closed: reading the body's end (the provider's
drain, before a tool round or the answer's close) never pauses.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

READ_WINDOW = 0.1  # seconds a read waits after one that waited for the network
WAITED = 0.001  # a read longer than this waited for the network (a buffered one is ~µs)


class BurstWindow:
    """How long a read pauses after one that waited; ``close()`` once nothing more is
    awaited of the stream but its end."""

    def __init__(self, seconds: float = READ_WINDOW) -> None:
        self.seconds = seconds

    def close(self) -> None:
        self.seconds = 0.0


async def read_in_bursts(
    chunks: AsyncIterator[bytes],
    window: BurstWindow,
    *,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> AsyncIterator[bytes]:
    """``chunks`` as they are, read a burst at a time (a window of 0: as they come)."""
    now = clock or asyncio.get_running_loop().time
    while True:
        started = now()
        try:
            chunk = await anext(chunks)
        except StopAsyncIteration:
            return
        waited = now() - started > WAITED
        yield chunk
        if waited and window.seconds:
            await sleep(window.seconds)
