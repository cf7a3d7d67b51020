"""Latency of the hot service calls on a database seeded at scale, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/run.py                 # both backends, full scale
    .venv/bin/python benchmarks/run.py --quick         # smaller data, fewer iterations
    .venv/bin/python benchmarks/run.py --backend sqlite --explain

Every figure is the wall time of one call through the real service layer (``Services``),
measured with ``time.perf_counter`` after warm-up calls, with inputs varied between calls.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

import db_scale
from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from promptterm.db.models.library import COMPONENT_TYPES
from promptterm.services.facade import Services

SEED = 20_260_115


@dataclass(frozen=True)
class Op:
    name: str
    target_ms: float | None  # seed 003's target; None: it sets none
    call: Callable[[Any], object]
    inputs: list[Any]


@dataclass
class Result:
    op: str
    backend: str
    samples_ms: list[float]
    target_ms: float | None
    # This process's CPU per call (user + system): the service layer's own work, without
    # the PostgreSQL server's; wall minus CPU is mostly waiting (the database, the disk).
    cpu_ms: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def cpu_p50(self) -> float:
        return percentile(self.cpu_ms, 50)

    @property
    def cpu_p95(self) -> float:
        return percentile(self.cpu_ms, 95)


@dataclass
class BackendRun:
    backend: str
    version: str
    seeded: db_scale.Seeded
    seconds_after_seed: float
    size_bytes: int
    results: list[Result] = field(default_factory=list)


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = min(max(1, math.ceil(pct / 100 * len(ordered))), len(ordered))
    return ordered[rank - 1]


# The operations ------------------------------------------------------------------------------


def build_ops(services: Services, seeded: db_scale.Seeded, count: int, seed: int) -> list[Op]:
    """The measured calls, each with ``count`` inputs, varied and fixed by the seed.

    Pass one more than the calls ``measure`` makes: ``explain`` uses the last input, so that
    its create does not reuse a name.
    """
    rng = random.Random(seed + 1)
    words = db_scale.TextSource(rng, words=20_000)
    all_components = [cid for ids in seeded.component_ids.values() for cid in ids]
    types = [COMPONENT_TYPES[i % len(COMPONENT_TYPES)] for i in range(count)]
    run_tag = uuid.UUID(int=rng.getrandbits(128)).hex[:6]

    def create(arg: tuple[str, str, str]) -> object:
        return services.components.create(arg[0], arg[1], arg[2], description="benchmark")

    def update(arg: tuple[uuid.UUID, str]) -> object:
        return services.components.update(arg[0], content=arg[1])

    return [
        # What the components screen shows: a page of 50, most used first, without content.
        Op(
            "list components of a type",
            10,
            lambda kind: services.components.summaries(type=kind, limit=50),
            types,
        ),
        # For comparison, every component of the type with its content (~2,500 rows here).
        Op(
            "all components of a type, full",
            None,
            lambda kind: services.components.list(type=kind),
            types[: max(1, count // 10)],
        ),
        Op(
            "get preset with components",
            20,
            services.presets.get,
            [rng.choice(seeded.preset_ids) for _ in range(count)],
        ),
        Op(
            "search components by name",
            50,
            services.components.search,
            [db_scale.SEARCH_TERMS[i % len(db_scale.SEARCH_TERMS)] for i in range(count)],
        ),
        Op(
            "create component",
            50,
            create,
            [(types[i], f"Bench {run_tag} {i:05d}", words.text(200, 2000)) for i in range(count)],
        ),
        Op(
            "update component",
            50,
            update,
            [(rng.choice(all_components), words.text(200, 2000)) for _ in range(count)],
        ),
        Op(
            "list threads (limit 50)",
            None,
            lambda _: services.chat.list_threads(limit=50),
            [None] * count,
        ),
        Op(
            "last 50 messages of a thread",
            None,
            lambda thread: services.chat.messages(thread, limit=50),
            [rng.choice(seeded.thread_ids) for _ in range(count)],
        ),
    ]


def measure(op: Op, warmup: int, iterations: int) -> tuple[list[float], list[float]]:
    """Milliseconds per call, wall and CPU. The garbage collector stays on (the app runs with
    it), but starts each operation clean, so that one operation's garbage is not charged to
    the next."""
    gc.collect()
    samples, cpu = [], []
    clock, cpu_clock = time.perf_counter, time.process_time
    for i in range(warmup + iterations):
        arg = op.inputs[i % len(op.inputs)]
        started, cpu_started = clock(), cpu_clock()
        op.call(arg)
        elapsed, cpu_used = clock() - started, cpu_clock() - cpu_started
        if i >= warmup:
            samples.append(elapsed * 1000)
            cpu.append(cpu_used * 1000)
    return samples, cpu


# Diagnosis (--explain) -----------------------------------------------------------------------


@contextmanager
def captured_sql(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def explain(services: Services, ops: list[Op], results: list[Result]) -> None:
    """Each operation's SQL, its plan and its raw (DBAPI, no ORM) time against the total."""
    engine = services.ctx.db.engine
    sqlite = services.ctx.db.is_sqlite
    p50s = {r.op: r.p50 for r in results}
    for op in ops:
        arg = op.inputs[-1]
        with captured_sql(engine) as statements:
            op.call(arg)
        print(f"\n--- {op.name}: service p50 {p50s[op.name]:.2f} ms, {len(statements)} statements")
        with engine.connect() as conn:
            for statement, params in statements:
                one_line = " ".join(statement.split())
                print(f"  SQL: {one_line[:400]}")
                if not one_line.upper().startswith("SELECT"):
                    print("       (write: not replayed)")
                    continue
                timings = []
                rows = 0
                for _ in range(15):
                    started = time.perf_counter()
                    rows = len(conn.exec_driver_sql(statement, params).fetchall())
                    timings.append((time.perf_counter() - started) * 1000)
                print(f"       raw DBAPI: {statistics.median(timings):.2f} ms for {rows} rows")
                prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
                for row in conn.exec_driver_sql(prefix + statement, params).fetchall():
                    print(f"       {row[-1]}")
            conn.rollback()


# Backends ------------------------------------------------------------------------------------


def settle(services: Services) -> None:
    """What the database would do on its own soon after a bulk load, done now."""
    db = services.ctx.db
    if db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        # Autovacuum would analyze and vacuum the freshly loaded tables within minutes.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
            conn.exec_driver_sql("CHECKPOINT")


def database_size(services: Services, sqlite_file: Path | None) -> int:
    if sqlite_file is not None:
        return sum(
            p.stat().st_size
            for p in (sqlite_file, Path(f"{sqlite_file}-wal"), Path(f"{sqlite_file}-shm"))
            if p.exists()
        )
    with services.ctx.db.engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def run_backend(
    backend: str,
    url: str,
    version: str,
    sqlite_file: Path | None,
    scale: db_scale.Scale,
    args: argparse.Namespace,
) -> BackendRun:
    services = Services.open(url)
    try:
        print(f"[{backend}] seeding {scale.name} scale ...", flush=True)
        seeded = db_scale.seed(services, scale, args.seed)
        started = time.perf_counter()
        settle(services)
        run = BackendRun(
            backend=backend,
            version=version,
            seeded=seeded,
            seconds_after_seed=time.perf_counter() - started,
            size_bytes=database_size(services, sqlite_file),
        )
        rows = ", ".join(f"{v:,} {k}" for k, v in seeded.rows.items())
        print(
            f"[{backend}] seeded in {seeded.seconds:.1f} s (+{run.seconds_after_seed:.1f} s "
            f"{'checkpoint' if sqlite_file else 'VACUUM ANALYZE + CHECKPOINT'}): {rows}; "
            f"database size {run.size_bytes / 2**20:.1f} MiB",
            flush=True,
        )
        ops = build_ops(services, seeded, args.warmup + args.iterations + 1, args.seed)
        for op in ops:
            samples, cpu = measure(op, args.warmup, args.iterations)
            run.results.append(Result(op.name, backend, samples, op.target_ms, cpu))
            print(
                f"[{backend}] {op.name}: p50 {run.results[-1].p50:.2f} ms "
                f"(CPU {run.results[-1].cpu_p50:.2f} ms)",
                flush=True,
            )
        if args.explain:
            explain(services, ops, run.results)
        return run
    finally:
        services.close()


def run_sqlite(scale: db_scale.Scale, args: argparse.Namespace) -> BackendRun:
    folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-sqlite-"))
    file = folder / "bench.db"
    try:
        version = f"SQLite {sqlite3.sqlite_version}"
        return run_backend("sqlite", f"sqlite:///{file}", version, file, scale, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_postgres(bin_dir: Path, scale: db_scale.Scale, args: argparse.Namespace) -> BackendRun:
    server = BenchPostgres(bin_dir)
    server.start()
    try:
        server.create_database("bench")
        return run_backend("postgres", server.url("bench"), server.version(), None, scale, args)
    finally:
        server.stop()


# Report --------------------------------------------------------------------------------------


def report(runs: list[BackendRun], scale: db_scale.Scale, args: argparse.Namespace) -> None:
    print()
    print(
        f"promptterm benchmark: {scale.name} scale, {args.iterations} timed calls per operation "
        f"after {args.warmup} warm-up calls, seed {args.seed}"
    )
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        + "; ".join(run.version for run in runs)
    )
    print()
    for run in runs:
        rows = ", ".join(f"{v:,} {k}" for k, v in run.seeded.rows.items())
        print(
            f"{run.backend:<9} seeding {run.seeded.seconds:6.1f} s (+{run.seconds_after_seed:.1f} "
            f"s settle)   size {run.size_bytes / 2**20:7.1f} MiB   {rows}"
        )
    print()
    header = (
        f"{'operation':<30} {'backend':<9} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} "
        f"{'CPU p95':>8} {'target':>7} {'met':>4} {'10x goal':>9} {'met':>4}"
    )
    print(header)
    print("-" * len(header))
    ops = list(dict.fromkeys(r.op for run in runs for r in run.results))
    for name in ops:
        for run in runs:
            for r in run.results:
                if r.op != name:
                    continue
                target = goal = met = goal_met = "-"
                if r.target_ms is not None:
                    target = f"<{r.target_ms:g}"
                    met = "yes" if r.p95 < r.target_ms else "NO"
                    if run.backend == "sqlite":
                        goal = f"<{r.target_ms / 10:g}"
                        goal_met = "yes" if r.p95 < r.target_ms / 10 else "NO"
                print(
                    f"{name:<30} {run.backend:<9} {r.p50:8.2f} {r.p95:8.2f} {r.cpu_p50:8.2f} "
                    f"{r.cpu_p95:8.2f} {target:>7} {met:>4} {goal:>9} {goal_met:>4}"
                )
    print()
    print("met = p95 below the target; the 10x goal applies to SQLite only.")
    print(
        "p50/p95: wall time per call; CPU: this process's CPU per call (the PostgreSQL "
        "server's own is not in it)."
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="smaller data, fewer iterations")
    parser.add_argument("--iterations", type=int, help="timed calls per operation (200)")
    parser.add_argument("--warmup", type=int, help="untimed calls first (20)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed of the data")
    parser.add_argument(
        "--explain", action="store_true", help="print each operation's SQL, plan and raw time"
    )
    args = parser.parse_args(argv)
    if args.iterations is None:
        args.iterations = 100 if args.quick else 200
    if args.warmup is None:
        args.warmup = 10 if args.quick else 20
    if args.iterations < 1 or args.warmup < 0:
        parser.error("--iterations must be at least 1 and --warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A plain `kill` must still stop the PostgreSQL server and remove the temporary files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scale = db_scale.QUICK if args.quick else db_scale.FULL
    started = time.perf_counter()
    runs: list[BackendRun] = []
    bin_dir = None
    if args.backend in ("postgres", "both"):
        bin_dir = find_bin_dir()
        if bin_dir is None:
            print(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: skipping "
                "PostgreSQL. Set PROMPTTERM_PG_BIN to the directory that holds them.",
                flush=True,
            )
    if args.backend in ("sqlite", "both"):
        runs.append(run_sqlite(scale, args))
    if bin_dir is not None:
        try:
            runs.append(run_postgres(bin_dir, scale, args))
        except PostgresUnavailable as exc:
            print(f"Cannot start PostgreSQL, skipping it: {exc}", flush=True)
    if not runs:
        return 1
    report(runs, scale, args)
    print(f"Total run time {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
