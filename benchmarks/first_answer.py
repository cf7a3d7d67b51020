"""A session's first answer against the next ones, as a user sees it: the real ``promptterm``
in tmux at 80x24, the answer from the local LLM server (its own process).

Each round starts promptterm on the chat, waits two seconds (a user reads the screen and
types), then sends a question in a new thread ``--answers`` times: each is timed from ctrl+j
until ``capture-pane`` shows the answer's first word (keys and looks through one tmux
control-mode client, tmux_control.py). The first answer of a process also pays
for what its first request loads (the HTTP client, the CA bundle), unless that was done
ahead. ``--baseline-src DIR`` runs promptterm from another source tree (with its styles/
beside it) in the same rounds, interleaved.

Verdict: the first answer's first word, median over the rounds, within 1.5x the next
answers' median (the loading done ahead leaves the first answer no slower than a network's
jitter). Bytecode is compiled first (a warning says when it cannot be).

    .venv/bin/python benchmarks/first_answer.py [--rounds 5] [--answers 4]
    .venv/bin/python benchmarks/first_answer.py --baseline-src /tmp/main/src
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from chat_ui import PLACEHOLDER, STREAMING, Subject, box, start_server
from palette import ROOT

TARGET = 1.5  # the first answer's first word, at most this many times the next answers'
FIRST_WORD = "word0"  # what the server's answer starts with (chat_ui.SERVER)
READING = 2.0  # seconds between the chat showing and the first question
CEILING = 60.0  # a first word later than this is a hang


def first_word(subject: Subject) -> float:
    """A question in a new thread: seconds from ctrl+j until the answer's first word shows."""
    assert subject.pane is not None, "open() first"
    pane = subject.pane  # keys and looks through its control-mode client (tmux_control.py)
    subject.send("C-n")
    subject.wait("▕ New thread")
    subject.send("g", "o")
    pane.until(lambda text: box(text).startswith("go"), what="the question")
    started = time.perf_counter()
    subject.send("C-j")
    pane.until(lambda text: FIRST_WORD in text, what="the answer", timeout=CEILING)
    elapsed = time.perf_counter() - started
    subject.wait(STREAMING, gone=True, timeout=CEILING)
    subject.wait(PLACEHOLDER)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="processes started per subject")
    parser.add_argument("--answers", type=int, default=4, help="answers per process")
    parser.add_argument("--baseline-src", help="also promptterm from this src tree")
    args = parser.parse_args()
    trees = [str(ROOT / "src")]
    if args.baseline_src:
        trees.append(str(Path(args.baseline_src).resolve()))
    for tree in trees:
        if not compileall.compile_dir(tree, quiet=2):
            print(f"WARNING: bytecode of {tree} not all compiled; first imports compile it.")
    names = ["promptterm", "promptterm [baseline]"][: len(trees)]
    subjects = [Subject(name, tree) for name, tree in zip(names, trees, strict=True)]
    firsts: dict[str, list[float]] = {name: [] for name in names}
    nexts: dict[str, list[float]] = {name: [] for name in names}
    load = os.getloadavg()
    server, url = start_server(40, 0)  # a short answer, as fast as the socket takes it
    try:
        for subject in subjects:
            subject.start()
        for _ in range(args.rounds):
            for subject in subjects:
                subject.open(url)
                try:
                    time.sleep(READING)
                    times = [first_word(subject) for _ in range(args.answers)]
                finally:
                    subject.close()
                firsts[subject.name].append(times[0])
                nexts[subject.name].extend(times[1:])
    finally:
        server.terminate()
        for subject in subjects:
            subject.close()
            shutil.rmtree(subject.home, ignore_errors=True)
    print(
        f"first word of an answer, ctrl+j until tmux shows it ({args.rounds} processes, "
        f"{args.answers} answers each, 80x24); load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    met = True
    for name in names:
        first, later = statistics.median(firsts[name]), statistics.median(nexts[name])
        ratio = first / later
        verdict = "MET" if ratio <= TARGET else "NOT MET"
        met = met and (ratio <= TARGET or name != names[0])
        each = ", ".join(f"{t * 1000:.0f}" for t in firsts[name])
        print(
            f"  {name:<22} first answer {first * 1000:6.0f} ms (each: {each}) | next answers "
            f"{later * 1000:6.0f} ms | {ratio:4.2f}x | {verdict}"
        )
    print(f"verdict: the first answer's first word within {TARGET}x the next answers'")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
