"""Time to first frame: `promptterm` against a bare Textual app (Header, Footer, one Static).

Both run N times, alternating, each in a fresh interpreter on an 80x24 pty. promptterm runs
its real CLI entry point (settings, a quick check of the database, the App, which opens the
database after its first frame) on a SQLite database holding the demo workspace; and, to
show what the CLI itself adds, the App alone given an opener. Also timed: until the explorer
tree shows its data. Prints median and p95, the ratios, which heavy modules were loaded
(there should be none), and the slowest imports.

    .venv/bin/python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import atexit
import fcntl
import json
import os
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# Modules that must not load before the first frame (see docs/architecture.md, Start-up).
HEAVY = ("httpx", "pygments", "tree_sitter", "alembic", "keyring", "watchfiles")

# The promptterm children run the real CLI entry point, with the App class swapped for a
# subclass that exits at the measured moment and reports which heavy modules were loaded.
PROMPTTERM_CHILD = """
import json, os, sys, time
import promptterm.app as app_module

class Timed(app_module.PromptTermApp):
    def on_mount(self):
        # Queued before the App's own after-refresh work (opening the database), so the
        # measurement ends at the first frame, not after that work starts.
        if os.environ["BENCH_UNTIL"] == "frame":
            self.call_after_refresh(self._done)
        else:
            self.set_interval(0.002, self._check_tree)
        super().on_mount()

    def _check_tree(self):
        from promptterm.ui.explorer.widgets.tree import ExplorerTree
        try:
            tree = self.screen.query_one(ExplorerTree)
        except Exception:
            return
        if tree.root.children:
            self.call_after_refresh(self._done)

    def _done(self):
        heavy = [m for m in os.environ["BENCH_HEAVY"].split(",") if m in sys.modules]
        with open(os.environ["BENCH_REPORT"], "w") as report:
            json.dump({"heavy": heavy, "at": time.time()}, report)
        self.exit()

app_module.PromptTermApp = Timed
if os.environ.get("BENCH_DEFERRED"):
    # The App alone: settings, and an opener the App runs after its first frame.
    from promptterm.config import load_settings

    settings = load_settings()

    def open_services():
        from promptterm.services.facade import Services

        return Services.open(settings.database_url)

    Timed(services=open_services, settings=settings).run()
else:
    from promptterm.cli.main import main

    raise SystemExit(main([]))
"""

BARE_CHILD = """
import json, os, time
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self._done)

    def _done(self):
        with open(os.environ["BENCH_REPORT"], "w") as report:
            json.dump({"at": time.time()}, report)
        self.exit()

Bare().run()
"""


@dataclass
class Figures:
    name: str
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def line(self) -> str:
        return (
            f"{self.name:<34} median {self.median * 1000:7.1f} ms   "
            f"p95 {self.p95 * 1000:7.1f} ms   (n={len(self.seconds)})"
        )


def run_in_pty(
    code: str,
    env: dict[str, str],
    size: tuple[int, int] = (80, 24),
    python_args: Sequence[str] = (),
    stderr_path: Path | None = None,
) -> float:
    """Seconds from spawning ``python -c code`` in a pty until the measured moment (the
    child's report), or until it exits (with code 0) if it writes none."""
    master, slave = pty.openpty()
    cols, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    output = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    full_env = {**os.environ, "TERM": "xterm-256color", **env}
    report = Path(env["BENCH_REPORT"]) if "BENCH_REPORT" in env else None
    if report is not None:
        report.unlink(missing_ok=True)
    spawned = time.time()
    start = time.perf_counter()
    stderr = stderr_path.open("w") if stderr_path else None
    process = subprocess.Popen(
        [PYTHON, *python_args, "-c", code],
        stdin=slave,
        stdout=slave,
        stderr=stderr or slave,
        env=full_env,
        cwd=ROOT,
    )
    code_ = process.wait()
    if stderr:
        stderr.close()
    elapsed = time.perf_counter() - start
    os.close(slave)
    reader.join(timeout=2)
    os.close(master)
    if code_ != 0:
        tail = output[-2000:].decode(errors="replace")
        raise SystemExit(f"child failed with exit code {code_}:\n{tail}")
    if report is not None and report.exists():
        # The moment the child saw its frame painted, not its exit: leaving waits for a
        # worker thread that may still be importing the service layer.
        return float(json.loads(report.read_text())["at"]) - spawned
    return elapsed


def sandbox() -> dict[str, str]:
    """Config and data dirs of a throwaway user, so the benchmark never touches yours."""
    folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return {
        "PROMPTTERM_CONFIG_DIR": str(folder / "config"),
        "PROMPTTERM_DATA_DIR": str(folder / "data"),
        "BENCH_REPORT": str(folder / "report.json"),
        "BENCH_HEAVY": ",".join(HEAVY),
    }


def read_report(env: dict[str, str]) -> dict[str, object]:
    return json.loads(Path(env["BENCH_REPORT"]).read_text())


def import_profile(code: str, env: dict[str, str], top: int = 8) -> list[tuple[str, float]]:
    """The slowest top-level imports of a child (``python -X importtime``), in ms."""
    log = Path(env["BENCH_REPORT"]).with_name("importtime.txt")
    run_in_pty(
        code, {**env, "BENCH_UNTIL": "frame"}, python_args=["-X", "importtime"], stderr_path=log
    )
    rows: list[tuple[str, float]] = []
    for line in log.read_text().splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        _, cumulative, name = line[12:].split("|")
        # Nested imports are indented under their importer: keep the outermost ones.
        if cumulative.strip().isdigit() and not name.startswith("   "):
            rows.append((name.strip(), int(cumulative) / 1000))
    return sorted(rows, key=lambda row: -row[1])[:top]


def interleave(runs: int, jobs: Sequence[tuple[str, str, dict[str, str]]]) -> list[Figures]:
    """Run every job ``runs`` times, alternating, so drift hits them all alike."""
    figures = [Figures(name, []) for name, _, _ in jobs]
    for _ in range(runs):
        for fig, (_, code, env) in zip(figures, jobs, strict=True):
            fig.seconds.append(run_in_pty(code, env))
    return figures


# The measurement ----------------------------------------------------------------------

TARGET_RATIO = 1.3


def seed_demo(env: dict[str, str]) -> None:
    """A normal user's database: migrated, with the demo workspace in it."""
    code = (
        "from promptterm.config import load_settings\n"
        "from promptterm.services.facade import Services\n"
        "from promptterm.services.demo import load_demo\n"
        "load_demo(Services.open(load_settings().database_url))\n"
    )
    run_in_pty(code, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    env = sandbox()
    seed_demo(env)
    frame = {**env, "BENCH_UNTIL": "frame"}
    tree = {**env, "BENCH_UNTIL": "tree"}
    deferred = {**frame, "BENCH_DEFERRED": "1"}
    deferred_tree = {**tree, "BENCH_DEFERRED": "1"}
    run_in_pty(BARE_CHILD, env)  # warm the OS file cache and .pyc files first
    run_in_pty(PROMPTTERM_CHILD, frame)

    figures = interleave(
        args.runs,
        [
            ("bare Textual app: first frame", BARE_CHILD, env),
            ("promptterm command: first frame", PROMPTTERM_CHILD, frame),
            ("promptterm command: tree shown", PROMPTTERM_CHILD, tree),
            ("App only: first frame", PROMPTTERM_CHILD, deferred),
            ("App only: tree shown", PROMPTTERM_CHILD, deferred_tree),
        ],
    )
    bare, cli_frame, _, deferred_frame, _ = figures
    print(f"Start-up, {args.runs} runs each, 80x24 pty, TERM=xterm-256color")
    print("  (command: the real `promptterm` entry point, cli.main: parse, settings, precheck;")
    print("   App only: the App given an opener directly, to show what the CLI itself costs.")
    print("   Both open the database in a worker after the first frame.)")
    for fig in figures:
        print("  " + fig.line())
    for name, fig in (("command", cli_frame), ("App only", deferred_frame)):
        ratio = fig.median / bare.median
        verdict = "within" if ratio <= TARGET_RATIO else "OVER"
        extra = (fig.median - bare.median) * 1000
        print(
            f"  {name}: first frame {ratio:.2f}x the bare app ({verdict} the {TARGET_RATIO}x "
            f"target), +{extra:.0f} ms"
        )
    for label, report_env in (("command", tree), ("App only", deferred_tree)):
        run_in_pty(PROMPTTERM_CHILD, report_env)
        heavy = read_report(report_env)["heavy"]
        print(f"  heavy modules loaded when the tree shows ({label}): {heavy or 'none'}")
    print(f"  (watched: {', '.join(HEAVY)})")
    print("  slowest top-level imports before the first frame, command (cumulative ms):")
    for name, ms in import_profile(PROMPTTERM_CHILD, env):
        print(f"    {name:<40} {ms:7.1f}")
    print("  ... and App only:")
    for name, ms in import_profile(PROMPTTERM_CHILD, {**env, "BENCH_DEFERRED": "1"}):
        print(f"    {name:<40} {ms:7.1f}")


if __name__ == "__main__":
    main()
