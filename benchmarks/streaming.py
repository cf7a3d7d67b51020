"""CPU time per streamed token: a long answer from the local LLM server through the chat
service (``chat_send.send``: SSE parsing, events, the answer saved every ``flush_interval``,
the final write, usage and price) and, for comparison, through the bare provider client.

The server (tests/support/llm_server.py) runs in its own process, so its CPU is not
counted; it writes one SSE event per token as fast as the socket takes them. CPU is
``time.process_time()`` of this process: all its threads, the database saves included.
Prints the median of several runs.

    .venv/bin/python benchmarks/streaming.py [--tokens 5000] [--runs 5] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_server(tokens: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/support/llm_server.py"), "--tokens", str(tokens),
         "--lifetime", "300"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def measure(fn: object, runs: int) -> list[tuple[float, float]]:
    """(cpu seconds, wall seconds) of each run, after one untimed warm-up run."""
    results = []
    for n in range(runs + 1):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()  # type: ignore[operator]
        if n:
            results.append((time.process_time() - cpu, time.perf_counter() - wall))
    return results


def bare_client(url: str, tokens: int) -> None:
    from promptterm.providers import create_provider
    from promptterm.providers.base import ChatMessage, ProviderSettings, TextDelta

    async def go() -> None:
        settings = ProviderSettings(kind="openai-compatible", base_url=url + "/v1")
        seen = 0
        async with create_provider(settings) as client:
            async for event in client.stream([ChatMessage("user", "go")], model="test-model"):
                if type(event) is TextDelta:
                    seen += 1
        assert seen == tokens, seen

    asyncio.run(go())


def report(label: str, results: list[tuple[float, float]], tokens: int) -> None:
    cpu = statistics.median(c for c, _ in results)
    wall = statistics.median(w for _, w in results)
    print(
        f"{label:<34} {cpu * 1e6 / tokens:8.1f} us CPU/token  {cpu * 1e3:8.1f} ms CPU"
        f"  {wall * 1e3:8.1f} ms wall  {tokens / wall:10,.0f} tokens/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    from promptterm.services.chat.stream import SendDelta, SendEvent
    from promptterm.services.facade import Services

    server, url = start_server(args.tokens)
    workdir = tempfile.mkdtemp(prefix="promptterm-bench-")
    services = Services.open(args.database_url or f"sqlite:///{workdir}/bench.db")
    try:
        name = f"bench-{int(time.time())}"
        services.providers.add(
            name, "openai-compatible", base_url=url + "/v1", default_model="test-model"
        )
        services.billing.set_plan("business")  # 2M tokens a month: room for every run
        saves: list[float] = []  # thread CPU seconds of each save
        save = services.chat_send.store.save_partial

        def timed_save(message_id: object, content: str) -> None:
            started = time.thread_time()
            save(message_id, content)  # type: ignore[arg-type]
            saves.append(time.thread_time() - started)

        services.chat_send.store.save_partial = timed_save  # type: ignore[method-assign]
        received: list[str] = []

        def on_event(event: SendEvent) -> None:
            if type(event) is SendDelta:
                received.append(event.text)  # what a screen's handler would get

        def through_service() -> None:
            received.clear()
            thread = services.chat.create_thread()
            result = services.chat_send.send(thread.id, "go", provider=name, on_event=on_event)
            assert result.status == "complete" and len(received) == args.tokens, result.error

        tokens = args.tokens
        print(f"{tokens:,}-token answers, median of {args.runs} runs, {services.ctx.db.dialect}")
        report("bare provider client", measure(lambda: bare_client(url, tokens), args.runs), tokens)
        every = services.chat_send.flush_interval
        report(
            f"chat_send.send, saves every {every:g} s", measure(through_service, args.runs), tokens
        )
        # The save while streaming, alone: a half-streamed answer rewritten in place.
        thread = services.chat.create_thread()
        message = services.chat.add_message(thread.id, "assistant", "", status="streaming")
        half = "".join(received[: tokens // 2])
        saves.clear()
        for _ in range(50):
            services.chat_send.store.save_partial(message.id, half)
        per_save = statistics.median(saves)
        print(f"save of a {len(half) / 1024:.0f} KiB partial answer: {per_save * 1e3:.2f} ms CPU")
        # A real model streams ~50 tokens/s: this answer takes 100 s, saved every interval.
        per_second = per_save / services.chat_send.flush_interval
        print(
            f"  at a real model's 50 tokens/s: {per_second * 1e3:.1f} ms CPU per second of "
            f"streaming ({per_second / 50 * 1e6:.0f} us per token)"
        )
    finally:
        services.close()
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
