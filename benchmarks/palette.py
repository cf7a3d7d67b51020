"""The command palette (ctrl+p) against a bare Textual app's, in tmux at 80x24, as a user sees it.

Each app is started once in its own tmux session (promptterm on the demo database, on its
explorer; the bare app: Header, Static, Footer). Then, round after round and interleaved,
ctrl+p is sent with ``tmux send-keys`` and ``capture-pane`` is polled until the palette
shows its first hits (promptterm: its first command and a help line; bare: Textual's
"Quit the application…"), then escape until it is gone. ``--busy N`` keeps N processes
spinning meanwhile (a busy machine). ``--baseline-src DIR`` adds promptterm run from
another source tree (with its styles/ beside it), interleaved too.

Beside the wall times: the CPU the app's process spent from ctrl+p until the hits show (mean
per open, from /proc at the clock tick's resolution; CPU does not depend on the load).

Verdict: the palette's p50 ≤ 1.2x the bare app's.

    .venv/bin/python benchmarks/palette.py [--rounds 30] [--busy 2] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import compileall
import multiprocessing
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
TARGET = 1.2
POLL = 0.002
TICKS = os.sysconf("SC_CLK_TCK")
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("Hello from a bare app")
        yield Footer()

Bare().run()
"""


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
    ).stdout


def screen(socket: str) -> str:
    return tmux(socket, "capture-pane", "-p", "-t", "bench")


def wait(socket: str, wanted: str, *, gone: bool = False, timeout: float = 60) -> float:
    started = time.perf_counter()
    while (wanted in screen(socket)) == gone:
        if time.perf_counter() - started > timeout:
            raise SystemExit(
                f"waited for {wanted!r} ({'gone' if gone else 'shown'}):\n{screen(socket)}"
            )
        time.sleep(POLL)
    return time.perf_counter() - started


def environment(home: Path, src: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "TERM": "xterm-256color",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    if src:
        env["PYTHONPATH"] = src
    return env


class Subject:
    def __init__(self, name: str, command: str, ready: str, hit: str) -> None:
        self.name, self.command, self.ready, self.hit = name, command, ready, hit
        self.socket = f"palette-{os.getpid()}-{len(name)}-{abs(hash(name)) % 10_000}"
        self.times: list[float] = []
        self.cpu: list[float] = []  # CPU seconds the app's process spent until the hits show
        self.pid = 0

    def start(self, env: dict[str, str]) -> None:
        words = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
        shell = f"exec env -i {words} {self.command}"
        tmux(self.socket, "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24", shell)
        wait(self.socket, self.ready)
        self.pid = int(tmux(self.socket, "display-message", "-p", "-t", "bench", "#{pane_pid}"))
        time.sleep(2.0)  # promptterm opens its services after the first content

    def cpu_seconds(self) -> float:
        """User + system CPU of the app's process (``exec`` keeps the pane's pid)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def once(self) -> float:
        cpu = self.cpu_seconds()
        started = time.perf_counter()
        tmux(self.socket, "send-keys", "-t", "bench", "C-p")
        wait(self.socket, self.hit)
        elapsed = time.perf_counter() - started
        self.cpu.append(self.cpu_seconds() - cpu)
        tmux(self.socket, "send-keys", "-t", "bench", "Escape")
        wait(self.socket, "Search for commands", gone=True)
        time.sleep(0.2)
        return elapsed

    def stop(self) -> None:
        tmux(self.socket, "kill-server")


def spin(_: int) -> None:
    end = time.monotonic() + 3600
    while time.monotonic() < end:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--busy", type=int, default=0, help="spinning processes meanwhile")
    parser.add_argument("--baseline-src", help="also promptterm from this src tree")
    args = parser.parse_args()
    for tree in filter(None, [str(ROOT / "src"), args.baseline_src]):
        if not compileall.compile_dir(tree, quiet=2):
            print(f"WARNING: bytecode of {tree} not all compiled; first imports compile it.")
    home = Path(tempfile.mkdtemp(prefix="promptterm-bench-palette-"))
    env = environment(home, None)
    subprocess.run(
        [str(PYTHON), "-m", "promptterm", "demo"], env=env, check=True, capture_output=True
    )
    py = shlex.quote(str(PYTHON))
    pt = f"{py} -m promptterm"
    subjects = [
        (
            Subject(
                "bare Textual app",
                f"{py} -c {shlex.quote(BARE_APP)}",
                "Hello from",
                "Quit the application",
            ),
            env,
        ),
        (
            Subject("promptterm", pt, "Demo", "explorer: New project"),
            environment(home, str(ROOT / "src")),  # this tree, whichever one the venv installed
        ),
    ]
    if args.baseline_src:
        base = str(Path(args.baseline_src).resolve())
        subjects.append(
            (
                Subject("promptterm [baseline]", pt, "Demo", "explorer: New project"),
                environment(home, base),
            )
        )
    pool = multiprocessing.Pool(args.busy) if args.busy else None
    if pool is not None:
        pool.map_async(spin, range(args.busy))
    try:
        for subject, subject_env in subjects:
            subject.start(subject_env)
            subject.once()  # warm: the palette's first open loads its code
        load = os.getloadavg()[0]
        for done in range(args.rounds):
            for subject, _ in subjects:
                subject.times.append(subject.once())
            print(f"round {done + 1}/{args.rounds}", end="\r", flush=True)
    finally:
        for subject, _ in subjects:
            subject.stop()
        if pool is not None:
            pool.terminate()
    bare = statistics.median(subjects[0][0].times)
    print(
        f"\nctrl+p until the palette shows its first hits, tmux 80x24, {args.rounds} interleaved "
        f"rounds, {args.busy} busy processes; load average {load:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after"
    )
    for subject, _ in subjects:
        times = sorted(subject.times)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        ratio = p50 / bare
        verdict = "-" if subject is subjects[0][0] else ("MET" if ratio <= TARGET else "NOT MET")
        cpu = statistics.mean(subject.cpu)
        print(
            f"  {subject.name:<24} p50 {p50 * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms  "
            f"CPU {cpu * 1000:4.0f} ms  {ratio:5.2f}x bare  verdict (<= {TARGET}x): {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
