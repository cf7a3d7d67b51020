"""Time to the first screen with content: `promptterm` against a bare Textual app, in tmux.

What a user waits for is not the first frame (promptterm's is a frame whose tree says
"Loading…") but the first screen that shows their data: the explorer tree with their
workspaces, or, on a database with nothing in it yet, the welcome screen. Each run starts
the real console script in a fresh tmux session of 80x24 and looks with ``capture-pane``
(through one control-mode client, each time the pane draws) until the screen shows the
content, then reads the process's RSS; the bare app (Header, one Static, Footer: its first
frame is its content) runs the same way. The kinds run
interleaved, round after round, so that load on a shared machine hits them alike:

- bare Textual app: until its Static and Footer show;
- promptterm, demo database: until the tree lists the demo workspace;
- promptterm, empty database (migrated, nothing in it; the baseline): until the welcome
  screen shows;
- promptterm, fresh home (no database yet: it is created and migrated): until the welcome.

Bytecode is compiled first (the package and the venv), or the run warns that it could not.
Verdict: content ≤ 1.5x the bare app, RSS ≤ 70 MB once content shows.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--poll-ms 10]
    .venv/bin/python benchmarks/startup.py --baseline-src /tmp/main/src   # before/after
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tmux_control import Pane

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
TARGET_RATIO = 1.5
TARGET_RSS_MB = 70.0
TIMEOUT = 60.0
_RUNS = itertools.count()

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


@dataclass
class Kind:
    name: str
    # What the screen shows once the content is there (every one of these strings).
    shows: tuple[str, ...]
    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def compile_bytecode() -> None:
    targets = [ROOT / "src", Path(sysconfig.get_paths()["purelib"])]
    ok = all(compileall.compile_dir(str(t), quiet=2, workers=1) for t in targets)
    if not ok:
        print("WARNING: some bytecode could not be compiled; first imports compile it.")


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMPTTERM_", "TMUX"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        TERM="xterm-256color",
    )
    return env


def promptterm_command() -> str:
    script = PYTHON.parent / "promptterm"
    if script.is_file():
        return shlex.quote(str(script))
    return f"{shlex.quote(str(PYTHON))} -m promptterm"


def tmux(*args: str, socket: str) -> str:
    result = subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
    )
    return result.stdout


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_to_content(
    command: str, env: dict[str, str], shows: tuple[str, ...], socket: str, poll: float
) -> tuple[float, float, str]:
    """(seconds until the screen shows every string of ``shows``, RSS MB then, the screen)."""
    session = "bench"
    # A server of its own per run: the last one may still be shutting down.
    socket = f"{socket}-{next(_RUNS)}"
    shell = f"exec env -i {_env_words(env)} {command}"
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", shell],
        check=True,
        env=env,
    )
    # Looks go through one control-mode client, when the pane has drawn (tmux_control.py):
    # a capture-pane process every few ms took CPU from the start being timed.
    pane = Pane(socket, session)
    try:
        screen = pane.until(
            lambda text: all(s in text for s in shows),
            what=f"content within {TIMEOUT:.0f} s",
            timeout=TIMEOUT,
            look=poll,
        )
        elapsed = time.perf_counter() - started
        pid = int(tmux("display", "-p", "-t", session, "#{pane_pid}", socket=socket))
        return elapsed, rss_mb(pid), screen
    finally:
        pane.close()
        tmux("kill-server", socket=socket)


def _env_words(env: dict[str, str]) -> str:
    keep = ("PATH", "HOME", "TERM", "LANG", "LC_ALL", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    names = [k for k in env if k in keep or k.startswith("XDG_")]
    return " ".join(shlex.quote(f"{k}={env[k]}") for k in names)


def seed(env: dict[str, str], demo: bool) -> None:
    argv = ["demo"] if demo else ["db", "upgrade"]
    script = PYTHON.parent / "promptterm"
    cmd = [str(script)] if script.is_file() else [str(PYTHON), "-m", "promptterm"]
    subprocess.run([*cmd, *argv], env=env, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="rounds of every kind (7)")
    parser.add_argument(
        "--poll-ms", type=float, default=10.0, help="longest wait between looks without output"
    )
    parser.add_argument("--no-fresh", action="store_true", help="skip the fresh-home kind")
    parser.add_argument(
        "--baseline-src",
        metavar="DIR",
        help="also time another checkout's src/ (with its styles/ beside it), interleaved",
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed: it is the terminal the runs are timed in.")
        return 1
    compile_bytecode()
    poll = args.poll_ms / 1000
    socket = f"promptterm-bench-{os.getpid()}"
    top = Path(tempfile.mkdtemp(prefix="promptterm-bench-startup-"))
    try:
        demo_home, empty_home = top / "demo", top / "empty"
        demo_env, empty_env = environment(demo_home), environment(empty_home)
        seed(demo_env, demo=True)
        seed(empty_env, demo=False)
        bare_cmd = f"{shlex.quote(str(PYTHON))} -c {shlex.quote(BARE_APP)}"
        pt_cmd = promptterm_command()
        # (kind, command, environment maker): the fresh home is new for every run.
        kinds = [
            (Kind("bare Textual app", ("Hello from a bare app", "Quit")), bare_cmd, demo_env),
            (Kind("promptterm, demo database: tree", ("Demo", "Explorer")), pt_cmd, demo_env),
            (Kind("promptterm, empty database: welcome", ("Load the demo",)), pt_cmd, empty_env),
        ]
        if not args.no_fresh:
            kinds.append((Kind("promptterm, fresh home: welcome", ("Load the demo",)), pt_cmd, {}))
        if args.baseline_src:
            # The same promptterm kinds run by another checkout's code (PYTHONPATH wins over
            # the venv's editable install), interleaved: a before/after in one run.
            compileall.compile_dir(args.baseline_src, quiet=2, workers=1)
            base = str(Path(args.baseline_src).resolve())
            kinds += [
                (Kind(f"{k.name} [baseline]", k.shows), cmd, {**env, "PYTHONPATH": base})
                for k, cmd, env in kinds[1:3]
            ]
        # Warm the OS caches (and check every kind reaches its content) before timing.
        for kind, command, env in kinds:
            env = env or environment(Path(tempfile.mkdtemp(dir=top)))
            time_to_content(command, env, kind.shows, socket, poll)
        load_before = os.getloadavg()[0]
        for done in range(args.runs):
            for kind, command, env in kinds:
                env = env or environment(Path(tempfile.mkdtemp(dir=top)))
                seconds, rss, _ = time_to_content(command, env, kind.shows, socket, poll)
                kind.seconds.append(seconds)
                kind.rss_mb.append(rss)
            print(f"round {done + 1}/{args.runs}", end="\r", flush=True)
        report([k for k, _, _ in kinds], args, load_before)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    return 0


def report(kinds: list[Kind], args: argparse.Namespace, load_before: float) -> None:
    bare = kinds[0]
    print()
    print(
        f"First screen with content, tmux 80x24, {args.runs} interleaved rounds, looked at "
        f"on output or every {args.poll_ms:g} ms; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after"
    )
    print(
        f"  {'':<48} {'median ms':>9} {'p95 ms':>7} {'x bare':>7} {'RSS MB':>7}  verdict "
        f"(<= {TARGET_RATIO}x, <= {TARGET_RSS_MB:g} MB)"
    )
    for kind in kinds:
        ratio = kind.median / bare.median
        rss = statistics.median(kind.rss_mb)
        if kind is bare:
            verdict = "-"
        else:
            time_ok = "ok" if ratio <= TARGET_RATIO else "OVER"
            rss_ok = "ok" if rss <= TARGET_RSS_MB else "OVER"
            verdict = f"time {time_ok}, RSS {rss_ok}"
            if "fresh" in kind.name:
                verdict += " (creates and migrates the database: no target)"
        print(
            f"  {kind.name:<48} {kind.median * 1000:9.0f} {kind.p95() * 1000:7.0f} "
            f"{ratio:7.2f} {rss:7.1f}  {verdict}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
