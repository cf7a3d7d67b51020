"""The activity log's list and filters over a million entries, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/activity_log.py                         # both backends
    .venv/bin/python benchmarks/activity_log.py --backend sqlite --explain
    .venv/bin/python benchmarks/activity_log.py --entries 100000 --iterations 20   # quick

Seeds (in one to three minutes, see ``seed``): the acting user with ``--entries`` log
entries (1,000,000 by default) over 30 days (the retention), 92% provider calls over 5
providers and 15 models (statuses: ok 90%, 429, 500, 401, stopped, error) and 8% errors; 4
other users with 50,000 each, so every query has to filter by user. Every figure is the wall
time (and the process's CPU time) of one call of ``ActivityService.list`` (a page of 200, as
the log view reads) through the real service layer, after warm-up calls: the newest page,
each filter of the view and the CLI, a page deep in the list (keyset), a day's window,
``last_error`` (ctrl+e) and the text filter (words anywhere in the message: trigram indexes
since migration 0030), with and without a time window. The target: p95 under 50 ms for
every one. Last, retention as the app runs it (by age, then by size; ``--retention``
measures only that): the whole trim, and its longest step, which is the longest the app's
writes wait for the lock.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from activity_seed import END, SEED, seed
from promptterm.db.engine import create_database
from promptterm.services.activity import ActivityFilter, ActivitySettings
from promptterm.services.facade import Services
from run import captured_sql, percentile


def _ops(services: Services) -> dict[str, Callable[[], object]]:
    log = services.activity
    deep = log.list(limit=200)
    for _ in range(49):  # 50 pages in: 10,000 entries down the list
        assert deep.next is not None
        deep = log.list(limit=200, after=deep.next)
    day = END - timedelta(days=12)
    return {
        "newest page": lambda: log.list(limit=200),
        "page 51 (keyset)": lambda: log.list(limit=200, after=deep.next),
        "kind=error": lambda: log.list(ActivityFilter(kind="error"), limit=200),
        "provider": lambda: log.list(ActivityFilter(provider="anthropic"), limit=200),
        "provider+model": lambda: log.list(
            ActivityFilter(provider="google", model="gemini-1.5-pro"), limit=200
        ),
        "status=401 (rare)": lambda: log.list(ActivityFilter(status="401"), limit=200),
        "one day": lambda: log.list(
            ActivityFilter(since=day, until=day + timedelta(days=1)), limit=200
        ),
        "kind=api since 2h": lambda: log.list(
            ActivityFilter(kind="api", since=END - timedelta(hours=2)), limit=200
        ),
        "last error (ctrl+e)": log.last_error,
        "text, one day": lambda: log.list(
            ActivityFilter(text="notes-42", since=day, until=day + timedelta(days=1)), limit=200
        ),
        "text, everything": lambda: log.list(ActivityFilter(text="notes-42"), limit=200),
        # In nearly every entry (the endpoint): a scan fills the page, not the index.
        "text, common": lambda: log.list(ActivityFilter(text="completions"), limit=200),
    }


def measure(
    call: Callable[[], object], warmup: int, iterations: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU (this process's: all of SQLite's work, only the client's share of
    PostgreSQL's) milliseconds of each call."""
    for _ in range(warmup):
        call()
    samples, cpu = [], []
    for _ in range(iterations):
        started, used = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return samples, cpu


def explain(services: Services, ops: dict[str, Callable[[], object]]) -> None:
    db = services.ctx.db
    for name, call in ops.items():
        with captured_sql(db.engine) as statements:
            call()
        sql, params = statements[-1]  # the list itself, after any look-ups it made
        prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
        with db.engine.connect() as conn:
            plan = conn.exec_driver_sql(prefix + sql, params).all()
        print(f"\n-- {name}")
        for row in plan:
            print("   ", row[-1])


def retention(services: Services) -> dict[str, tuple[float, float, float]]:
    """Retention as the app runs it, last (it deletes): first by age (15 of the 30 days), then
    by size (the default 100 MB cap; the rest is ~150 MB). Each figure: the whole trim (p50
    column) and its longest step, the longest the write lock was held (p95 column)."""
    log = services.activity
    figures = {}
    for label, settings in (
        ("age", ActivitySettings(retention_days=15, max_mb=100_000)),
        ("size", ActivitySettings()),
    ):
        log.settings = settings
        marks: list[float] = []

        def stop(marks: list[float] = marks) -> bool:  # asked between steps
            marks.append(time.perf_counter())
            return False

        started, used = time.perf_counter(), time.process_time()
        removed = log.purge(stop)
        took = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - used) * 1000
        ends = [*marks, started + took / 1000]
        steps = [(b - a) * 1000 for a, b in zip([started, *marks], ends, strict=True)]
        figures[f"retention {label} ({removed:,})"] = (took, max(steps), cpu)
    return figures


def run_backend(url: str, args: argparse.Namespace) -> dict[str, tuple[float, float, float]]:
    db = create_database(url)
    services = Services.for_database(db, clock=lambda: END)
    services.activity.settings = ActivitySettings()
    try:
        took = seed(services, args.entries, args.others, random.Random(args.seed))
        print(
            f"{url.split(':')[0]}: seeded {args.entries:,} + {args.others} x 50,000 in {took:.0f} s"
        )
        if args.retention:
            return retention(services)
        ops = _ops(services)
        if args.explain:
            explain(services, ops)
        figures = {}
        for name, call in ops.items():
            samples, cpu = measure(call, args.warmup, args.iterations)
            figures[name] = (percentile(samples, 50), percentile(samples, 95), percentile(cpu, 95))
        figures.update(retention(services))
        return figures
    finally:
        services.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--entries", type=int, default=1_000_000, help="the user's entries")
    parser.add_argument("--others", type=int, default=4, help="other users with 50,000 each")
    parser.add_argument("--iterations", type=int, default=50, help="timed calls per query")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--explain", action="store_true", help="print each query's plan")
    parser.add_argument(
        "--retention", action="store_true", help="only retention: by age, then by size"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    config = Path(tempfile.mkdtemp(prefix="promptterm-bench-config-"))
    import os

    os.environ["PROMPTTERM_CONFIG_DIR"] = str(config)
    table: dict[str, dict[str, tuple[float, float, float]]] = {}
    try:
        if args.backend in ("sqlite", "both"):
            folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-sqlite-"))
            try:
                table[f"SQLite {sqlite3.sqlite_version}"] = run_backend(
                    f"sqlite:///{folder / 'b.db'}", args
                )
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        if args.backend in ("postgres", "both"):
            bin_dir = find_bin_dir()
            if bin_dir is None:
                print("No PostgreSQL server binaries: skipping PostgreSQL.")
            else:
                try:
                    with BenchPostgres(bin_dir) as server:
                        server.create_database("bench")
                        version = "PostgreSQL " + server.version().split()[-1].split("-")[0]
                        table[version] = run_backend(server.url("bench"), args)
                except PostgresUnavailable as exc:
                    print(f"Cannot start PostgreSQL, skipping it: {exc}")
    finally:
        shutil.rmtree(config, ignore_errors=True)
    print()
    print(
        f"Activity log over {args.entries:,} entries of one user (+{args.others} x 50,000 of "
        f"others), pages of 200, {args.iterations} calls each after {args.warmup} warm-up calls"
    )
    header = (
        f"{'query':<26} {'backend':<18} {'p50 ms':>8} {'p95 ms':>8} {'cpu p95':>8}"
        "  verdict (< 50 ms p95)"
    )
    print(header)
    print("-" * len(header))
    for backend, figures in table.items():
        for name, (p50, p95, cpu) in figures.items():
            if name.startswith("retention"):
                verdict = f"whole trim {p50 / 1000:.1f} s, longest step {p95:.0f} ms"
                verdict += f", cpu {cpu / 1000:.1f} s"
                cpu_text = ""
            else:
                verdict = "ok" if p95 < 50 else "TOO SLOW"
                cpu_text = f"{cpu:8.2f}"
            print(f"{name:<26} {backend[:18]:<18} {p50:8.2f} {p95:8.2f} {cpu_text:>8}  {verdict}")
    return 0 if table else 1


if __name__ == "__main__":
    raise SystemExit(main())
