"""Opening a long chat thread as a user sees it: the real ``promptterm`` in tmux, enter on the
thread in the list until ``capture-pane`` shows its last message.

The database holds a ``--messages``-message thread (a few lines of Markdown each, bulk
inserted) and a short one. promptterm starts on the chat; each round opens the short thread
(not timed), then moves to the long one in the thread list and times enter until the
terminal shows "Message N." (its last message). Keys and looks go through one tmux
control-mode client (tmux_control.py), which looks when the pane has drawn: no tmux process
is started per look. ``--baseline-src DIR`` starts a second promptterm from another source
tree (with its styles/ beside it, e.g. an export of main) and times it in the same rounds,
interleaved. Bytecode is compiled first (a warning says when it cannot be).

Verdict: p50 < 200 ms (issue 20's target for a thread opened to its last message).

    .venv/bin/python benchmarks/thread_open.py [--messages 2000] [--rounds 20]
    .venv/bin/python benchmarks/thread_open.py --baseline-src /tmp/main/src
"""

from __future__ import annotations

import argparse
import compileall
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from palette import PYTHON, ROOT, environment, tmux, wait
from tmux_control import Pane

TARGET = 0.200
SIZE = ("80", "24")
SEED = """
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from promptterm.config import load_settings
from promptterm.db.models import Message
from promptterm.services.facade import Services

services = Services.open(load_settings().database_url)
thread = services.chat.create_thread(title="Long thread")
start = datetime(2026, 1, 1, tzinfo=UTC)
text = "A paragraph of an answer, with `code` and **bold**.\\n\\n- one\\n- two\\n"
rows = [
    dict(
        id=uuid.uuid4(), conversation_id=thread.id, seq=n, content=f"Message {{n}}. {{text}}",
        role="user" if n % 2 else "assistant", status="complete", tokens_estimated=False,
        meta={{}}, created_at=start + timedelta(seconds=n),
    )
    for n in range(1, {count} + 1)
]
with services.ctx.db.session() as session:
    for i in range(0, len(rows), 2000):
        session.execute(insert(Message), rows[i : i + 2000])
services.chat.create_thread(title="Short thread")  # the newer: first in the list
"""


class Subject:
    """One promptterm in its own tmux server, home and database."""

    def __init__(self, name: str, src: str | None, messages: int) -> None:
        self.name, self.messages = name, messages
        self.socket = f"thread-open-{os.getpid()}-{len(name)}"
        self.home = Path(tempfile.mkdtemp(prefix="promptterm-bench-thread-"))
        self.env = environment(self.home, src)
        self.times: list[float] = []
        self.pane: Pane | None = None

    def start(self) -> None:
        subprocess.run(
            [str(PYTHON), "-c", SEED.format(count=self.messages)], env=self.env, check=True
        )
        words = " ".join(shlex.quote(f"{k}={v}") for k, v in self.env.items())
        shell = f"exec env -i {words} {shlex.quote(str(PYTHON))} -m promptterm"
        tmux(self.socket, "new-session", "-d", "-s", "bench", "-x", SIZE[0], "-y", SIZE[1], shell)
        wait(self.socket, "Commands")
        # Keys and looks go through one control-mode client (tmux_control.py): no tmux
        # process started per key or per look, taking the CPU the opening needs.
        self.pane = Pane(self.socket)
        self.keys("3")
        self.wait("Ask anything")
        self.open_short()

    @property
    def _pane(self) -> Pane:
        assert self.pane is not None, "start() first"
        return self.pane

    def keys(self, *keys: str) -> None:
        self._pane.send(*keys)

    def wait(self, wanted: str, *, gone: bool = False, timeout: float = 60) -> float:
        return self._pane.wait(wanted, gone=gone, timeout=timeout)

    def to_list(self) -> None:
        """Tab until the thread list has the focus (its keys show in the footer, and still do
        once the screen has settled): from the message box the focus goes to the list's
        filter, then to the list."""
        for _ in range(6):
            self.keys("Tab")
            try:
                self.wait("a Archive", timeout=1)
            except SystemExit:
                continue
            self._pane.settle()
            if "a Archive" in self._pane.screen():
                return
        raise SystemExit(f"the thread list never took the focus:\n{self._pane.screen()}")

    def open_short(self) -> None:
        """Back to the short thread (not timed; tried again if the keys went astray)."""
        for attempt in range(3):
            self.to_list()
            self.keys("Home", "Enter")  # the short thread is the newer: first in the list
            try:
                self.wait("▕ Short thread", timeout=10)  # its title above the messages
                break
            except SystemExit:
                if attempt == 2:
                    raise
        self.wait(f"Message {self.messages}.", gone=True)
        self.wait("typing → message")

    def once(self) -> float:
        """Enter on the long thread (the list's last) until its last message shows."""
        self.to_list()
        self.keys("End")
        time.sleep(0.3)  # the highlight moves (not visible in text); not timed
        started = time.perf_counter()
        self.keys("Enter")
        self.wait(f"Message {self.messages}.")
        elapsed = time.perf_counter() - started
        self.open_short()
        return elapsed

    def stop(self) -> None:
        if self.pane is not None:
            self.pane.close()
        tmux(self.socket, "kill-server")
        shutil.rmtree(self.home, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--baseline-src", help="also promptterm from this src tree")
    args = parser.parse_args()
    for tree in filter(None, [str(ROOT / "src"), args.baseline_src]):
        if not compileall.compile_dir(tree, quiet=2):
            print(f"WARNING: bytecode of {tree} not all compiled; first imports compile it.")
    # This tree's src, not whichever the venv installed (an editable install of another
    # worktree would be measured against itself).
    subjects = [Subject("promptterm", str(ROOT / "src"), args.messages)]
    if args.baseline_src:
        base = str(Path(args.baseline_src).resolve())
        subjects.append(Subject("promptterm [baseline]", base, args.messages))
    load = os.getloadavg()
    try:
        for subject in subjects:
            subject.start()
            subject.once()  # warm: the first open loads the transcript's code
        for done in range(args.rounds):
            for subject in subjects:
                subject.times.append(subject.once())
            print(f"round {done + 1}/{args.rounds}", end="\r", flush=True, file=sys.stderr)
    finally:
        for subject in subjects:
            subject.stop()
    print(file=sys.stderr)
    print(
        f"enter on a {args.messages:,}-message thread until its last message shows, tmux "
        f"{SIZE[0]}x{SIZE[1]}, {args.rounds} interleaved rounds; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    for subject in subjects:
        times = sorted(subject.times)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        verdict = "MET" if p50 < TARGET else "NOT MET"
        print(
            f"  {subject.name:<22} p50 {p50 * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms  "
            f"min {times[0] * 1000:5.0f} ms  verdict (p50 < {TARGET * 1000:.0f} ms): {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
