"""Every read verb of the `promptterm` command against `promptterm --help`, in one run.

What a script or a person at a prompt waits for: from spawning the real console script to
its exit, wall and CPU time (the child's own, from ``wait4``) and peak RSS. The verbs run
interleaved, round after round, each round in a new random order with `--help` among them,
so that a load spike on a shared machine hits every verb alike; the ratio is a verb's
median wall time over `--help`'s. Bytecode is compiled first (the package and the venv):
timing a first import that compiles would measure the compiler.

Verdict: a verb is "ok" at <= 3x `--help` (the goal for every read; `workspace list --json`,
`preset show X --json`, `usage --json` and `billing status --json` are the issue's targets,
marked *).

    .venv/bin/python benchmarks/cli.py [--rounds 9] [--only workspace,preset]
    .venv/bin/python benchmarks/cli.py --baseline-src /tmp/main-src   # before/after
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
GOAL = 3.0
TARGETS = {
    "workspace list --json",
    "preset show X --json",
    "usage --json",
    "billing status --json",
}


@dataclass
class Verb:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)


def command() -> list[str]:
    """The console script beside this Python (what users run), else ``-m promptterm``."""
    script = PYTHON.parent / "promptterm"
    return [str(script)] if script.is_file() else [str(PYTHON), "-m", "promptterm"]


def compile_bytecode() -> None:
    """Compile src/ and the venv's packages; say so when it cannot (then figures include
    compiling, and are pessimistic)."""
    targets = [ROOT / "src", Path(sysconfig.get_paths()["purelib"])]
    ok = all(compileall.compile_dir(str(t), quiet=2, workers=1) for t in targets)
    if not ok:
        print("WARNING: some bytecode could not be compiled; first imports compile it.")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE is set: fine, the bytecode compiled above is read)")


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMPTTERM_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        NO_COLOR="1",
    )
    return env


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s, peak RSS MB, exit status, stdout) of one run of the command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command(), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=env["HOME"],
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, process.returncode, out.decode(errors="replace")


def prepare(env: dict[str, str]) -> dict[str, str]:
    """The demo workspace plus a prompt; the names and ids the verbs read."""
    for argv in (["demo"], ["prompt", "create", "Bench prompt"]):
        _, _, _, code, _ = run(argv, env)
        if code != 0:
            raise SystemExit(f"setup failed: promptterm {' '.join(argv)} exited {code}")
    presets = json.loads(run(["preset", "list", "--json"], env)[4])
    components = json.loads(run(["component", "list", "--json"], env)[4])
    threads = json.loads(run(["chat", "list", "--json"], env)[4])
    return {
        "preset": presets[0]["name"],
        "component": components[0]["name"],
        "thread": str(threads[0]["id"]),
    }


def verbs(names: dict[str, str]) -> list[Verb]:
    return [
        Verb("--help", ["--help"]),
        Verb("workspace list --json", ["workspace", "list", "--json"]),
        Verb("preset show X --json", ["preset", "show", names["preset"], "--json"]),
        Verb("workspace list", ["workspace", "list"]),
        Verb("preset show X", ["preset", "show", names["preset"]]),
        Verb("preset list --json", ["preset", "list", "--json"]),
        Verb("project list --json", ["project", "list", "--json"]),
        Verb("component list --json", ["component", "list", "--json"]),
        Verb("component show X --json", ["component", "show", names["component"], "--json"]),
        Verb("prompt list --json", ["prompt", "list", "--json"]),
        Verb("prompt show X --json", ["prompt", "show", "Bench prompt", "--json"]),
        Verb("usage --json", ["usage", "--json"]),
        Verb("billing status --json", ["billing", "status", "--json"]),
        Verb("chat list --json", ["chat", "list", "--json"]),
        Verb("chat show X --json", ["chat", "show", names["thread"], "--json"]),
        Verb("provider list --json", ["provider", "list", "--json"]),
        Verb("db info --json", ["db", "info", "--json"]),
        Verb("config path", ["config", "path"]),
        # What the completion scripts run on every tab.
        Verb("__complete presets (tab)", ["__complete", "presets"]),
        Verb("__complete threads (tab)", ["__complete", "threads"]),
    ]


def report(
    all_verbs: list[Verb], rounds: int, load_before: float, load_after: float, code: str
) -> None:
    help_verb = all_verbs[0]
    base = statistics.median(help_verb.wall)
    print()
    print(
        f"promptterm CLI ({code}): {rounds} interleaved rounds, load average "
        f"{load_before:.2f} before, {load_after:.2f} after; Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    header = (
        f"  {'verb':<26} {'wall ms':>8} {'p95':>7} {'CPU ms':>7} {'RSS MB':>7} "
        f"{'x help':>7} {'CPU x':>6}  verdict (<= {GOAL:g}x)"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    help_cpu = statistics.median(help_verb.cpu)
    for verb in all_verbs:
        wall = statistics.median(verb.wall)
        p95 = sorted(verb.wall)[min(len(verb.wall) - 1, round(0.95 * (len(verb.wall) - 1)))]
        cpu = statistics.median(verb.cpu)
        ratio = wall / base
        verdict = "-" if verb is help_verb else ("ok" if ratio <= GOAL else "OVER")
        mark = "*" if verb.label in TARGETS else " "
        print(
            f"{mark} {verb.label:<26} {wall * 1000:8.0f} {p95 * 1000:7.0f} {cpu * 1000:7.0f} "
            f"{max(verb.rss):7.1f} {ratio:7.2f} {cpu / help_cpu:6.2f}  {verdict}"
        )
    print()
    print("* the issue's targets. Wall and CPU are medians; RSS the peak of any round.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=9, help="runs of each verb (9)")
    parser.add_argument("--only", help="comma-separated first words to keep (and --help)")
    parser.add_argument(
        "--baseline-src",
        metavar="DIR",
        help="also time another checkout's src/ (e.g. main's, from git worktree or archive), "
        "interleaved with this one",
    )
    args = parser.parse_args(argv)
    compile_bytecode()
    home = Path(tempfile.mkdtemp(prefix="promptterm-bench-cli-"))
    try:
        env = environment(home)
        all_verbs = verbs(prepare(env))
        if args.only:
            keep = set(args.only.split(","))
            all_verbs = [v for v in all_verbs if v.argv[0] == "--help" or v.argv[0] in keep]
        for verb in all_verbs:
            verb.env = env
        groups = [all_verbs]
        if args.baseline_src:
            # The same verbs run by another checkout's code (PYTHONPATH wins over the venv's
            # editable install), interleaved with this one's: a before/after in one run.
            base_env = {**env, "PYTHONPATH": str(Path(args.baseline_src).resolve())}
            compileall.compile_dir(args.baseline_src, quiet=2, workers=1)
            groups.append([Verb(v.label, v.argv, base_env) for v in all_verbs])
        every = [v for group in groups for v in group]
        for verb in every:  # one untimed run each: the OS's caches, and a check
            code = run(verb.argv, verb.env)[3]
            if code != 0:
                raise SystemExit(f"promptterm {' '.join(verb.argv)} exited {code}")
        load_before = os.getloadavg()[0]
        rng = random.Random(20_261_206)
        for done in range(args.rounds):
            order = list(every)
            rng.shuffle(order)
            for verb in order:
                wall, cpu, rss, _, _ = run(verb.argv, verb.env)
                verb.wall.append(wall)
                verb.cpu.append(cpu)
                verb.rss.append(rss)
            print(f"round {done + 1}/{args.rounds}", end="\r", flush=True)
        load_after = os.getloadavg()[0]
        report(all_verbs, args.rounds, load_before, load_after, "this checkout")
        if args.baseline_src:
            report(groups[1], args.rounds, load_before, load_after, args.baseline_src)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
