"""The chat screen under load, headless (``App.run_test``), through the real services:

(a) open a 10,000-message thread: from the key (enter in the thread list) until its last
    message is mounted and drawn (a screenful is mounted, the rest of the page held), and the
    first step back (↑ at the top: held messages mounted above);
(b) stream a 5,000-token answer from the local LLM server (its own process, so its CPU is not
    counted): CPU time of this process per token (UI, send worker, saves) and wall time;
    ``--rate 100 --no-keys`` is a fast model as a user sees it (the screen redraws ten times
    a second whatever the rate, so the share of a core is the figure to watch);
(c) key latency while it streams: a key posted every 50 ms the way a terminal sends it,
    timed until the composer shows the typed character.

    .venv/bin/python benchmarks/chat_ui.py [--messages 10000] [--tokens 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


SERVER = """
import sys
sys.path.insert(0, {tests!r})
from support.llm_server import LLMServer, Script
words = [f" word{{n % 100}}" + (".\\n\\n" if n % 40 == 39 else "") for n in range({tokens})]
script = Script(tokens=words, write_pause={pause})
server = LLMServer(default=script, lifetime=300, max_requests=100).start()
print(server.url, flush=True)
server._thread.join()
"""


def start_server(tokens: int, rate: float = 0) -> tuple[subprocess.Popen[str], str]:
    """The test LLM server in its own process: ``tokens`` words in paragraphs of 40, at
    ``rate`` tokens a second (0: as fast as the socket takes them)."""
    pause = 1 / rate if rate else 0.0
    code = SERVER.format(tests=str(ROOT / "tests"), tokens=tokens, pause=pause)
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def seed_long_thread(services: object, count: int) -> uuid.UUID:
    """``count`` messages of a few lines each, bulk-inserted (seq 1..count)."""
    from sqlalchemy import insert

    from promptterm.db.models import Message

    chat = services.chat  # type: ignore[attr-defined]
    thread = chat.create_thread(title="Ten thousand messages", provider="local", model="test-model")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    text = "A paragraph of an answer, with `code` and **bold**.\n\n- one\n- two\n"
    rows = [
        {
            "id": uuid.uuid4(),
            "conversation_id": thread.id,
            "seq": n,
            "role": "user" if n % 2 else "assistant",
            "content": f"Message {n}. {text}",
            "status": "complete",
            "tokens_estimated": False,
            "meta": {},
            "created_at": start + timedelta(seconds=n),
        }
        for n in range(1, count + 1)
    ]
    with services.ctx.db.session() as session:  # type: ignore[attr-defined]
        for i in range(0, len(rows), 2000):
            session.execute(insert(Message), rows[i : i + 2000])
    return thread.id


def last_seq(screen: object) -> int | None:
    views = screen.transcript.views  # type: ignore[attr-defined]
    return views[-1].message.seq if views else None


async def run(args: argparse.Namespace) -> None:
    from textual import events

    from promptterm.app import PromptTermApp
    from promptterm.config import Settings
    from promptterm.services.facade import Services

    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/bench.db"
    services = Services.open(url)
    process, server = start_server(args.tokens, args.rate)
    try:
        services.providers.add(
            "local", "openai-compatible", base_url=server + "/v1", default_model="test-model"
        )
        services.chat.create_thread(title="Short thread")
        long_id = seed_long_thread(services, args.messages)
        services.chat.create_thread(title="Streaming here")
        app = PromptTermApp(services=services, settings=Settings(database_url=url))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("3")
            await pilot.pause(0.5)
            screen = app.screen
            views = screen.transcript.views  # type: ignore[attr-defined]

            # (a) open the long thread from the list
            opens = []
            for _ in range(args.runs):
                screen.open_thread(long_id)  # type: ignore[attr-defined]
                started = time.perf_counter()
                while not (
                    screen.thread is not None  # type: ignore[attr-defined]
                    and screen.thread.id == long_id  # type: ignore[attr-defined]
                    and last_seq(screen) == args.messages
                ):
                    await asyncio.sleep(0.001)
                await pilot.pause()  # the frame is drawn
                opens.append(time.perf_counter() - started)
                screen.action_new_thread()  # type: ignore[attr-defined]
                await pilot.pause(0.2)
            screen.open_thread(long_id)  # type: ignore[attr-defined]
            while last_seq(screen) != args.messages:
                await asyncio.sleep(0.01)
            await pilot.pause(0.2)
            transcript = screen.transcript  # type: ignore[attr-defined]
            transcript.focus()
            transcript.action_first()
            await pilot.pause(0.2)
            mounted = len(transcript.views)
            started = time.perf_counter()
            transcript.action_cursor(-1)
            while len(transcript.views) == mounted:
                await asyncio.sleep(0.001)
            await pilot.pause()
            page = time.perf_counter() - started

            # (b) + (c) stream into a fresh thread while typing
            screen.action_new_thread()  # type: ignore[attr-defined]
            await pilot.pause(0.2)
            composer = screen.composer  # type: ignore[attr-defined]
            composer.text = "go"
            cpu, wall = time.process_time(), time.perf_counter()
            screen.action_send()  # type: ignore[attr-defined]
            while screen.job is None or screen.job.message_id is None:  # type: ignore[attr-defined]
                await asyncio.sleep(0.001)
            composer.focus()
            latencies = []
            while screen.job is not None:  # type: ignore[attr-defined]
                if args.no_keys:
                    await asyncio.sleep(0.05)
                    continue
                before = composer.text
                sent = time.perf_counter()
                app.post_message(events.Key("x", "x"))
                while composer.text == before:
                    await asyncio.sleep(0.0005)
                latencies.append(time.perf_counter() - sent)
                await asyncio.sleep(0.05)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            views = screen.transcript.views  # type: ignore[attr-defined]
            answer = views[-1] if views else None
            shown = len(answer.content.split()) if answer else 0
    finally:
        process.terminate()
    print(
        f"(a) open a {args.messages:,}-message thread (last message drawn): "
        f"median {statistics.median(opens) * 1000:.0f} ms, max {max(opens) * 1000:.0f} ms "
        f"({args.runs} runs); one step back: {page * 1000:.0f} ms"
    )
    rate = f"at {args.rate:g} tokens/s" if args.rate else "flat out"
    print(
        f"(b) stream {args.tokens:,} tokens {rate} with the screen: {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU = {cpu / args.tokens * 1e6:.0f} µs CPU per token, "
        f"{cpu / wall:.0%} of a core ({shown:,} words on screen)"
    )
    if not latencies:
        return
    lat = sorted(latencies)
    print(
        f"(c) key latency while streaming ({len(lat)} keys): median "
        f"{statistics.median(lat) * 1000:.1f} ms, p95 {lat[int(len(lat) * 0.95)] * 1000:.1f} "
        f"ms, max {lat[-1] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--tokens", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rate", type=float, default=0, help="tokens/s (0: flat out)")
    parser.add_argument("--no-keys", action="store_true", help="(b) alone, no typing")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
