"""The chat screen as a user meets it: opening long threads, and typing while an answer streams.

(a) open a thread of 1,000 / 10,000 / 100,000 messages (headless, ``App.run_test``, the real
    services on SQLite): from the call that opens it until its last message is mounted and
    a frame drawn; p50 / p95 over ``--runs`` rounds; and one scroll back (↑ on the first
    message). ``--baseline-src DIR`` times another source tree (e.g. the base branch's
    ``src``) in rounds interleaved with this one, each in its own process.
(b) the real ``promptterm`` in tmux at 80x24, an answer streaming from the local LLM server
    (its own process) at each ``--rates`` tokens/s: CPU of the app's process (share of a
    core, no keys typed), then key echo: a key sent with ``tmux send-keys`` until
    ``capture-pane`` shows it in the composer (a character, then its backspace, both timed),
    ``--keys`` keys per rate; p50 / p95 / max; RSS at the end. Rate 0 is the idle baseline
    (no answer streaming).

Each target prints a verdict: open < 200 ms and no slower at 100,000 than at 1,000; key echo
p95 ≤ 50 ms and max ≤ 100 ms at 100 tokens/s; CPU at 100 tokens/s ≤ 10 % of a core.

    .venv/bin/python benchmarks/chat_ui.py                      # everything (~3 min)
    .venv/bin/python benchmarks/chat_ui.py --part open --baseline-src /path/to/base/src
    .venv/bin/python benchmarks/chat_ui.py --part keys --rates 0,100,400 --keys 200
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
OPEN_TARGET = 0.200
ECHO_P95, ECHO_MAX, CPU_TARGET = 0.050, 0.100, 0.10
POLL = 0.002  # capture-pane interval while waiting for a key's echo
MARKS = ("§", "¶")  # typed keys: never in the streamed text, so their echo is unambiguous


SERVER = """
import sys
sys.path.insert(0, {tests!r})
from support.llm_server import LLMServer, Script
words = [f" word{{n % 100}}" + (".\\n\\n" if n % 40 == 39 else "") for n in range({tokens})]
script = Script(tokens=words, write_pause={pause})
server = LLMServer(default=script, lifetime=900, max_requests=100).start()
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


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def seed_long_thread(services: object, count: int) -> uuid.UUID:
    """``count`` messages of a few lines each, bulk-inserted (seq 1..count)."""
    from sqlalchemy import insert

    from promptterm.db.models import Message

    chat = services.chat  # type: ignore[attr-defined]
    thread = chat.create_thread(title=f"{count:,} messages", provider="local", model="test-model")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    text = "A paragraph of an answer, with `code` and **bold**.\n\n- one\n- two\n"
    with services.ctx.db.session() as session:  # type: ignore[attr-defined]
        for low in range(1, count + 1, 5000):
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
                for n in range(low, min(low + 5000, count + 1))
            ]
            session.execute(insert(Message), rows)
    return thread.id


# (a) opening long threads -------------------------------------------------------------------


async def time_opens(sizes: list[int], runs: int) -> dict[str, list[float]]:
    """Seconds per open for each size, and for the scroll back ("page")."""
    from promptterm.app import PromptTermApp
    from promptterm.config import Settings
    from promptterm.services.facade import Services

    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/bench.db"
    services = Services.open(url)
    services.providers.add(
        "local", "openai-compatible", base_url="http://127.0.0.1:9/v1", default_model="test-model"
    )
    threads = {size: seed_long_thread(services, size) for size in sizes}
    services.chat.create_thread(title="Short thread")
    app = PromptTermApp(services=services, settings=Settings(database_url=url))
    times: dict[str, list[float]] = {str(size): [] for size in sizes}
    times["page"] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        screen = app.screen
        while not getattr(screen, "_opened_once", False):
            await asyncio.sleep(0.01)
        await pilot.pause(0.3)

        async def open_once(size: int) -> float:
            thread_id = threads[size]
            # From a new thread's empty screen: the last open's messages cannot be mistaken
            # for this one's, nor a late empty screen replace them.
            screen.action_new_thread()  # type: ignore[attr-defined]
            while screen.thread is not None or screen.transcript.views:  # type: ignore[attr-defined]
                await asyncio.sleep(0.001)
            await pilot.pause(0.05)
            started = time.perf_counter()
            screen.open_thread(thread_id)  # type: ignore[attr-defined]
            while not (
                screen.thread is not None  # type: ignore[attr-defined]
                and screen.thread.id == thread_id  # type: ignore[attr-defined]
                and screen.transcript.views  # type: ignore[attr-defined]
                and screen.transcript.views[-1].message.seq == size  # type: ignore[attr-defined]
            ):
                await asyncio.sleep(0.0005)
            await pilot.pause()  # the frame is drawn
            return time.perf_counter() - started

        for size in sizes:  # warm: the chat's first open loads its code and styles
            await open_once(size)
        for _ in range(runs):
            for size in sizes:
                times[str(size)].append(await open_once(size))
        for _ in range(max(3, runs // 3)):
            await open_once(sizes[-1])
            transcript = screen.transcript  # type: ignore[attr-defined]
            transcript.focus()
            transcript.action_first()
            await pilot.pause(0.1)
            count = len(transcript.views)
            started = time.perf_counter()
            transcript.action_cursor(-1)
            while len(transcript.views) == count:
                await asyncio.sleep(0.0005)
            await pilot.pause()
            times["page"].append(time.perf_counter() - started)
    return times


def open_in_process(src: Path | None, sizes: list[int], runs: int) -> dict[str, list[float]]:
    """One round of opens in a fresh process importing promptterm from ``src``."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    argv = [str(PYTHON), __file__, "--part", "open-child", "--runs", str(runs)]
    argv += ["--sizes", ",".join(map(str, sizes))]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def part_open(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    trees: list[tuple[str, Path | None]] = [("this tree", None)]
    if args.baseline_src:
        trees.append(("baseline", Path(args.baseline_src).resolve()))
    got: dict[str, dict[str, list[float]]] = {name: {} for name, _ in trees}
    rounds = args.rounds if args.baseline_src else 1
    for _ in range(rounds):  # interleaved: the machine's load falls on both alike
        for name, src in trees:
            for key, values in open_in_process(src, sizes, args.runs).items():
                got[name].setdefault(key, []).extend(values)
    print(f"(a) open a thread until its last message is drawn, 80x24, headless ({load()})")
    for name, _ in trees:
        times = got[name]
        for key, values in times.items():
            what = "one scroll back" if key == "page" else f"{int(key):>7,} messages"
            print(
                f"    {name:<9} {what}: p50 {statistics.median(values) * 1000:6.0f} ms, "
                f"p95 {percentile(values, 0.95) * 1000:6.0f} ms ({len(values)} opens)"
            )
    ours = got["this tree"]
    worst = max(percentile(ours[str(s)], 0.95) for s in sizes)
    flat = percentile(ours[str(sizes[-1])], 0.5) <= 1.25 * percentile(ours[str(sizes[0])], 0.5)
    print(
        f"    verdict: open p95 {worst * 1000:.0f} ms < {OPEN_TARGET * 1000:.0f} ms: "
        f"{verdict(worst < OPEN_TARGET)}; {sizes[-1]:,} no slower than {sizes[0]:,} "
        f"(p50 within 25 %): {verdict(flat)}"
    )


# (b) streaming and key echo in tmux ---------------------------------------------------------


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
    ).stdout


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_screen(socket: str, wanted: str, timeout: float = 60.0, absent: bool = False) -> str:
    started = time.perf_counter()
    while True:
        screen = tmux(socket, "capture-pane", "-p", "-t", "bench")
        if (wanted in screen) != absent:
            return screen
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"waited {timeout:.0f} s for {wanted!r}; the screen:\n{screen}")
        time.sleep(POLL)


def screen_text(socket: str) -> str:
    return tmux(socket, "capture-pane", "-p", "-t", "bench")


def echo_times(socket: str, keys: int) -> list[float]:
    """Seconds from ``send-keys`` until the screen shows the key's effect: a mark typed,
    then erased, in turn."""
    samples: list[float] = []
    for i in range(keys):
        mark = MARKS[(i // 2) % len(MARKS)]
        typing = i % 2 == 0
        started = time.perf_counter()
        if typing:
            tmux(socket, "send-keys", "-t", "bench", "-l", mark)
        else:
            tmux(socket, "send-keys", "-t", "bench", "BSpace")
        while (mark in screen_text(socket)) != typing:
            if time.perf_counter() - started > 10:
                raise SystemExit("a key did not show within 10 s")
            time.sleep(POLL)
        samples.append(time.perf_counter() - started)
        time.sleep(0.03)  # a fast typist: ~20 keys a second at most
    return samples


def stream_run(
    rate: float, args: argparse.Namespace, src: Path | None = None
) -> dict[str, float | list[float]]:
    from promptterm.services.facade import Services

    home = Path(tempfile.mkdtemp())
    url = f"sqlite:///{home}/bench.db"
    # Enough tokens for the CPU window and the keys, at this rate.
    seconds = args.cpu_seconds + args.keys * 0.12 + 15
    tokens = int(rate * seconds) if rate else 10
    process, server = start_server(tokens, rate or 0)
    services = Services.open(url)
    services.providers.add(
        "local", "openai-compatible", base_url=server + "/v1", default_model="test-model"
    )
    services.chat.create_thread(title="Streaming here", provider="local", model="test-model")
    services.close()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "TERM": "xterm-256color",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "PROMPTTERM_DATABASE_URL": url,
    }
    if src is not None:
        env["PYTHONPATH"] = str(src)
    words = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
    command = f"exec env -i {words} {shlex.quote(str(PYTHON))} -m promptterm"
    socket = f"chat-ui-{os.getpid()}-{int(rate)}"
    tmux(socket, "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24", command)
    try:
        pid = int(tmux(socket, "display", "-p", "-t", "bench", "#{pane_pid}").strip())
        time.sleep(1.0)
        tmux(socket, "send-keys", "-t", "bench", "3")
        wait_screen(socket, "Streaming here")
        time.sleep(1.0)
        result: dict[str, float | list[float]] = {}
        if rate:
            tmux(socket, "send-keys", "-t", "bench", "-l", "go")
            wait_screen(socket, "go")
            tmux(socket, "send-keys", "-t", "bench", "C-j")
            wait_screen(socket, "word")
            time.sleep(1.0)
        cpu, wall = cpu_seconds(pid), time.perf_counter()
        time.sleep(args.cpu_seconds)
        result["cpu"] = (cpu_seconds(pid) - cpu) / (time.perf_counter() - wall)
        result["echo"] = echo_times(socket, args.keys)
        if rate:
            # The answer was still streaming all along (else the figures are an idle screen's).
            result["streaming"] = float("streaming" in screen_text(socket).lower())
        result["rss"] = rss_mb(pid)
        return result
    finally:
        tmux(socket, "kill-server")
        process.terminate()


def part_keys(args: argparse.Namespace) -> None:
    rates = [float(r) for r in args.rates.split(",")]
    print(
        f"(b) promptterm in tmux 80x24: {args.keys} keys per rate, CPU over "
        f"{args.cpu_seconds:g} s without keys ({load()})"
    )
    trees: list[tuple[str, Path | None]] = [("", None)]
    if args.baseline_src:
        trees.append(("baseline ", Path(args.baseline_src).resolve()))
    for rate, (name, src) in [(r, t) for r in rates for t in trees]:
        got = stream_run(rate, args, src)
        echo = got["echo"]
        assert isinstance(echo, list)
        cpu, rss = got["cpu"], got["rss"]
        assert isinstance(cpu, float) and isinstance(rss, float)
        what = name + (f"{rate:g} tok/s" if rate else "idle")
        still = "" if got.get("streaming", 1.0) else " (the answer ended before the keys did)"
        p95, top = percentile(echo, 0.95), max(echo)
        print(
            f"    {what:>19}: key echo p50 {statistics.median(echo) * 1000:5.1f} ms, "
            f"p95 {p95 * 1000:5.1f} ms, max {top * 1000:5.1f} ms; CPU {cpu:4.0%} of a core; "
            f"RSS {rss:.0f} MB{still}"
        )
        if rate == 100 and not name:
            print(
                f"    verdict at 100 tok/s: echo p95 ≤ 50 ms: {verdict(p95 <= ECHO_P95)}, "
                f"max ≤ 100 ms: {verdict(top <= ECHO_MAX)}; CPU ≤ 10 %: "
                f"{verdict(cpu <= CPU_TARGET)}"
            )


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--part", choices=("all", "open", "keys", "open-child"), default="all")
    parser.add_argument("--sizes", default="1000,10000,100000", help="thread lengths to open")
    parser.add_argument("--runs", type=int, default=20, help="opens of each size per round")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (baseline)")
    parser.add_argument("--baseline-src", help="another src tree, timed interleaved with this")
    parser.add_argument("--rates", default="0,100,400", help="tokens/s (0: no answer, idle)")
    parser.add_argument("--keys", type=int, default=100, help="keys timed per rate")
    parser.add_argument("--cpu-seconds", type=float, default=10.0, help="CPU window, no keys")
    args = parser.parse_args()
    if args.part == "open-child":
        sizes = [int(s) for s in args.sizes.split(",")]
        print(json.dumps(asyncio.run(time_opens(sizes, args.runs))))
        return
    ok = all(compileall.compile_dir(str(ROOT / "src"), quiet=2) for _ in [0])
    if args.baseline_src:
        ok = compileall.compile_dir(args.baseline_src, quiet=2) and ok
    if not ok:
        print("WARNING: some bytecode could not be compiled; first imports compile it.")
    if args.part in ("all", "open"):
        part_open(args)
    if args.part in ("all", "keys"):
        part_keys(args)


if __name__ == "__main__":
    main()
