"""Streaming over real loopback HTTP, both protocols: the good path and the hard cases."""

from __future__ import annotations

import asyncio
import time

import pytest

from promptterm.providers import create_provider
from promptterm.providers.errors import (
    ProviderTimeout,
    StreamFailed,
    StreamInterrupted,
)
from providers.harness import SECRET, Target
from support.llm_server import Script
from support.waiting import CEILING, wait_until

UNICODE = "Caf\u00e9 \u2615 na\u00efve r\u00e9sum\u00e9 \U0001f680 done."


def test_streams_text_usage_and_finish(target: Target) -> None:
    target.server.push(Script(text="Hello there, how are you?"))
    run = target.run(system="Be brief.")
    assert run.error is None
    assert run.deltas == ["Hello", " there,", " how", " are", " you?"]
    assert run.usage.output_tokens == 5
    assert run.usage.input_tokens and run.usage.input_tokens > 0
    assert run.done is not None and run.done.finish_reason in ("stop", "end_turn")
    body = target.server.requests[-1].body
    headers = target.server.requests[-1].headers
    assert body["stream"] is True
    if target.kind == "anthropic":
        assert body["system"] == "Be brief." and body["max_tokens"] == 4096
        assert headers["x-api-key"] == SECRET and headers["anthropic-version"]
    else:
        assert body["messages"][0] == {"role": "system", "content": "Be brief."}
        assert body["stream_options"] == {"include_usage": True}
        assert headers["authorization"] == f"Bearer {SECRET}"


@pytest.mark.parametrize(
    ("size", "text", "pause"),
    [(1, "Caf\u00e9 \u2615!", 0.0), (3, UNICODE, 0.001), (7, UNICODE, 0.001)],
    ids=["1-byte", "3-byte-crlf", "7-byte-multiline"],
)
def test_events_split_across_tcp_writes_at_odd_bytes(
    target: Target, size: int, text: str, pause: float
) -> None:
    # One write per piece (paused, so they reach the client as separate reads); CRLF,
    # keep-alives and JSON spread over several data: lines on top. Multi-byte characters
    # and CRLF pairs get cut in half; the parser's own tests try every byte boundary.
    script = Script(
        text=text,
        chunk_bytes=size,
        write_pause=pause,
        crlf=size == 3,
        keepalive=True,
        multiline=size == 7,
    )
    target.server.push(script)
    run = target.run()
    assert run.error is None
    assert run.text == text
    assert run.usage.output_tokens == len(text.split())


def test_a_stream_without_the_final_marker_is_interrupted(target: Target) -> None:
    target.server.push(Script(text="one two", finish=False, done=False))
    run = target.run()
    assert isinstance(run.error, StreamInterrupted)
    assert run.text == "one two"


def test_openai_finish_without_done_is_complete(openai: Target) -> None:
    openai.server.push(Script(text="one two", done=False))
    run = openai.run()
    assert run.error is None and run.text == "one two"


def test_an_error_event_mid_stream_keeps_the_text_before_it(target: Target) -> None:
    target.server.push(Script(text="alpha beta gamma delta", error_after=2))
    run = target.run()
    assert isinstance(run.error, StreamFailed)
    assert run.text == "alpha beta"
    assert "mid-answer" in run.error.message
    assert len(target.server.requests) == 1  # never retried once tokens were shown


def test_a_dropped_connection_keeps_what_streamed(target: Target) -> None:
    target.server.push(Script(text="one two three four five", drop_after=3))
    run = target.run()
    assert isinstance(run.error, StreamInterrupted)
    assert run.text == "one two three"
    assert len(target.server.requests) == 1


def test_a_stall_mid_stream_past_the_read_timeout_is_interrupted(target: Target) -> None:
    target.server.push(Script(text="one two three", stall_after=1, stall_seconds=2 * CEILING))
    run = target.run(timeouts=_timeouts(read=0.3))
    assert isinstance(run.error, StreamInterrupted)
    assert run.text == "one"


def test_a_slow_first_byte_within_the_read_timeout_is_fine(target: Target) -> None:
    target.server.push(Script(text="late but fine", first_byte_delay=0.3))
    started = time.perf_counter()
    run = target.run(timeouts=_timeouts(read=CEILING))
    assert run.error is None and run.text == "late but fine"
    assert time.perf_counter() - started >= 0.3


def test_no_first_byte_within_the_read_timeout_is_a_timeout(target: Target) -> None:
    target.server.push(Script(first_byte_delay=2 * CEILING))  # longer than any wait
    run = target.run(timeouts=_timeouts(read=0.2))
    assert isinstance(run.error, ProviderTimeout)
    assert "did not start answering within 0.2 s" in run.error.message


def test_lists_models(target: Target) -> None:
    async def models() -> list[str]:
        async with create_provider(target.settings()) as client:
            return [m.id for m in await client.list_models()]

    expected = ["claude-test", "claude-test-large"] if target.kind == "anthropic" else None
    assert asyncio.run(models()) == (expected or ["test-model", "test-model-large"])


def test_cancelling_the_consumer_closes_the_stream(target: Target) -> None:
    # Minutes of tokens: the server is still writing when the consumer goes, and notices
    # the hang-up on its next write; a connection left open would fill up and block.
    target.server.push(Script(tokens=[f" t{n}" for n in range(20_000)], write_pause=0.005))
    seen: list[str] = []

    async def consume(client: object) -> None:
        task = asyncio.current_task()
        assert task is not None
        async for event in client.stream([], model=target.model):  # type: ignore[attr-defined]
            if getattr(event, "text", None):
                seen.append(event.text)  # type: ignore[attr-defined]
            if len(seen) == 5:
                task.cancel()

    async def main() -> None:
        async with create_provider(target.settings()) as client:
            with pytest.raises(asyncio.CancelledError):
                await asyncio.create_task(consume(client))
            # The client is still open: only closing the stream itself hangs up.
            await asyncio.to_thread(
                wait_until, lambda: target.server.cut_off == [0], "the server to see a hang-up"
            )

    asyncio.run(main())
    # The cancel lands at the consumer's next wait: events already read may come first.
    assert 5 <= len(seen) < 20_000


def _timeouts(read: float) -> object:
    from promptterm.providers.base import Timeouts

    return Timeouts(connect=CEILING, read=read)
