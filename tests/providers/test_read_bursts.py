"""A streamed body read a burst at a time: one wait per burst of tokens, none while bytes
are already there, and every byte handed on in order, the first at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from promptterm.providers import http
from promptterm.providers.read_bursts import BurstWindow, read_in_bursts
from providers.harness import Target
from support.llm_server import Script


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


def read(wire: Wire, window: float | BurstWindow) -> list[bytes]:
    shut = window if isinstance(window, BurstWindow) else BurstWindow(window)

    async def go() -> list[bytes]:
        bursts = read_in_bursts(wire.body(), shut, clock=lambda: wire.now, sleep=wire.sleep)
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


def test_once_the_window_is_closed_the_end_of_the_stream_is_read_without_a_pause() -> None:
    wire = Wire([b"a", b"b", b"[DONE]"], quiet_before={0, 2})
    window = BurstWindow(0.05)
    got: list[bytes] = []

    async def go() -> None:
        bursts = read_in_bursts(wire.body(), window, clock=lambda: wire.now, sleep=wire.sleep)
        async for chunk in bursts:
            got.append(chunk)
            if chunk == b"[DONE]":
                window.close()  # what the provider's drain does once the answer is in

    asyncio.run(go())
    assert got == [b"a", b"b", b"[DONE]"]
    assert wire.slept == [(0.05, 1)]  # none after the last event, though its read waited


class WatchedWindow(BurstWindow):
    made: list[WatchedWindow] = []

    def __init__(self) -> None:
        super().__init__()
        self.closed = False
        WatchedWindow.made.append(self)

    def close(self) -> None:
        super().close()
        self.closed = True


@pytest.mark.parametrize("tools", [False, True], ids=["answer", "tool call"])
def test_a_finished_answer_closes_its_read_window_before_its_end_is_read(
    target: Target, tools: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The end of a body (read so that a tool round reuses the connection) must not wait a
    read window: over a real network it would delay every tool round and every answer's
    close by up to the window."""
    WatchedWindow.made = []
    monkeypatch.setattr(http, "BurstWindow", WatchedWindow)
    calls = [{"id": "call_1", "name": "lookup", "arguments": '{"q": "x"}'}] if tools else None
    target.server.push(Script(text="One two three.", tool_calls=calls))
    run = target.run()
    assert run.error is None and run.done is not None
    assert WatchedWindow.made and WatchedWindow.made[-1].closed
