"""A big modular prompt rendered and edited, through the real service layer (issue 15).

    .venv/bin/python benchmarks/prompt_editing.py                   # SQLite (the target's)
    .venv/bin/python benchmarks/prompt_editing.py --backend both    # and PostgreSQL
    .venv/bin/python benchmarks/prompt_editing.py --iterations 100  # a quicker run

The prompt: 50 modules of 5 options each (one to three short paragraphs, two or three
{{placeholders}} apiece) and 30 variables of every type. Targets, p95 on SQLite:

- render: < 5 ms. Two figures: ``render_info`` of the loaded prompt, and
  ``prompts.render(id, values)``, the service call the live preview makes on every
  keystroke: it reads the prompt's row (who may read it, which version it is at) and takes
  what that version says from the cache of prompts read (prompt_cache.py).
- save a version: < 10 ms. One edit (an option's text changed) through ``prompt_edits``:
  the lock, the precondition, the change, the prompt as the edit left it (what the caller
  gets back), and the state it replaced kept as a version: a delta against the new state,
  whole every 32nd version (prompt_version_deltas.py; those saves show in the p99), after
  the prompt was opened (read) as a screen or the previous edit leaves it.

Both again "cold", the cache emptied before each call: what a new process (one CLI command)
pays for its first call. They have no target of their own; they show what the cache saves.

Each figure is the wall time of one call with ``time.perf_counter`` after warm-up calls, with
the values, options and texts varied between calls.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from promptterm.services.facade import Services
from promptterm.services.library.prompt_cache import cache_for
from promptterm.services.library.prompts import render_info

MODULES, OPTIONS, VARIABLES = 50, 5, 30
WORDS = ("review", "the", "code", "carefully", "and", "explain", "each", "change", "with")
TARGETS_MS: dict[str, float | None] = {
    "render (loaded prompt)": 5.0,
    "render (service)": 5.0,
    "save a version": 10.0,
    "render (service, cold)": None,
    "save a version (cold)": None,
}


def variable_specs() -> list[tuple[str, str, dict[str, Any]]]:
    kinds: list[tuple[str, dict[str, Any]]] = [
        ("text", {"default": "a value", "max": 200}),
        ("multiline", {"default": "line one\nline two"}),
        ("number", {"default": 3, "min": 1, "max": 10}),
        ("boolean", {"default": "yes"}),
        ("choice", {"choices": ["short", "medium", "long"], "default": "medium"}),
    ]
    return [(f"v{n}", *kinds[n % len(kinds)]) for n in range(VARIABLES)]


def paragraph(rng: random.Random, names: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(20, 60))]
    for name in rng.sample(names, rng.randint(2, 3)):
        words.insert(rng.randrange(len(words)), "{{" + name + "}}")
    return " ".join(words) + "."


def build(services: Services, rng: random.Random) -> Any:
    edits = services.prompt_edits
    made = services.prompts.create("Benchmark prompt", description="50 x 5, 30 variables")
    specs = variable_specs()
    for name, kind, config in specs:
        edits.add_variable(made.id, name, kind, **config)
    names = [name for name, _, _ in specs]
    for m in range(MODULES):
        texts = [
            "\n\n".join(paragraph(rng, names) for _ in range(rng.randint(1, 3)))
            for _ in range(OPTIONS)
        ]
        edits.add_module(made.id, f"Module {m + 1}", texts)
    return services.prompts.get(made.id)


def values_for(rng: random.Random) -> dict[str, Any]:
    picks = {"text": "x" * rng.randint(1, 50), "multiline": "a\nb", "number": rng.randint(1, 10)}
    picks |= {"boolean": rng.choice(["yes", "no"]), "choice": rng.choice(["short", "long"])}
    return {name: picks[kind] for name, kind, _ in variable_specs()}


def timed(call: Callable[[int], object], iterations: int, warmup: int) -> Samples:
    """Wall time of each call, and the CPU time of this thread: on a busy machine the wall
    time also counts the waits for a core, the CPU time only the work."""
    for n in range(warmup):
        call(n)
    gc.collect()
    samples = Samples([], [])
    for n in range(iterations):
        cpu, start = time.thread_time(), time.perf_counter()
        call(warmup + n)
        samples.wall.append((time.perf_counter() - start) * 1000)
        samples.cpu.append((time.thread_time() - cpu) * 1000)
    return samples


@dataclass
class Samples:
    wall: list[float]
    cpu: list[float]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def run_backend(name: str, url: str, args: argparse.Namespace) -> list[tuple[str, Samples]]:
    rng = random.Random(args.seed)
    services = Services.open(url)
    try:
        started = time.perf_counter()
        info = build(services, rng)
        print(f"\n{name}: built the prompt in {time.perf_counter() - started:.1f} s", flush=True)
        values = [values_for(rng) for _ in range(64)]
        picks = [
            {m.id: rng.choice(m.options).id for m in info.modules if rng.random() < 0.5}
            for _ in range(64)
        ]
        text = render_info(info, values[0], picks[0])
        print(f"  rendered text: {len(text):,} characters", flush=True)
        results = [
            (
                "render (loaded prompt)",
                timed(
                    lambda n: render_info(info, values[n % 64], picks[n % 64]), args.iterations, 20
                ),
            ),
            (
                "render (service)",
                timed(
                    lambda n: services.prompts.render(info.id, values[n % 64], picks[n % 64]),
                    args.iterations,
                    10,
                ),
            ),
        ]
        cache = cache_for(services.ctx.db.engine)
        current = {"version": info.version}

        def save(n: int) -> None:
            module = info.modules[n % MODULES]
            after = services.prompt_edits.edit_option(
                info.id,
                module.options[0].id,
                content=f"{module.options[0].content} (edit {n})",
                expected_version=current["version"],
            )
            current["version"] = after.version

        results.append(("save a version", timed(save, args.iterations, 10)))

        def cold(call: Callable[[int], object]) -> Callable[[int], object]:
            def run(n: int) -> object:
                cache.clear()
                return call(n)

            return run

        def render(n: int) -> object:
            return services.prompts.render(info.id, values[n % 64], picks[n % 64])

        results.append(("render (service, cold)", timed(cold(render), args.iterations, 10)))
        results.append(("save a version (cold)", timed(cold(save), args.iterations, 10)))
        return results
    finally:
        services.close()


def report(name: str, results: list[tuple[str, Samples]], *, judged: bool) -> None:
    print(f"\n{name}")
    print(
        f"  {'operation':<28} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'cpu p50':>8}"
        f" {'cpu p95':>8} {'target':>8}  verdict (wall p95)"
    )
    for op, samples in results:
        target = TARGETS_MS[op]
        if target is None:
            verdict, shown = "(no target: a new process's first call)", "-"
        else:
            met = p95(samples.wall) < target
            verdict = ("met" if met else "MISSED") if judged else "(target is SQLite's)"
            shown = "< " + format(target, "g")
        print(
            f"  {op:<28} {statistics.median(samples.wall):>8.2f} {p95(samples.wall):>8.2f}"
            f" {p99(samples.wall):>8.2f}"
            f" {statistics.median(samples.cpu):>8.2f} {p95(samples.cpu):>8.2f}"
            f" {shown:>8}  {verdict}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
    print(f"A prompt of {MODULES} modules x {OPTIONS} options and {VARIABLES} variables")
    # The figures scale with how busy the machine is: say so next to them.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}")
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-prompts-"))
        try:
            results = run_backend("SQLite", f"sqlite:///{folder / 'bench.db'}", args)
            report("SQLite", results, judged=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.backend in ("postgres", "both"):
        bin_dir = find_bin_dir()
        if bin_dir is None:
            print("PostgreSQL server binaries not found: skipped (set PROMPTTERM_PG_BIN)")
            return 1
        server = BenchPostgres(bin_dir)
        try:
            server.start()
        except PostgresUnavailable as exc:
            print(f"PostgreSQL unavailable: {exc}")
            return 1
        try:
            server.create_database("bench")
            print(server.version())
            report("PostgreSQL", run_backend("PostgreSQL", server.url("bench"), args), judged=False)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
