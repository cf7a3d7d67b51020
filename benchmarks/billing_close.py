"""Closing a billing period into its statement, with 100,000 usage records in the period.

    .venv/bin/python benchmarks/billing_close.py                    # both backends
    .venv/bin/python benchmarks/billing_close.py --backend sqlite --records 20000   # quick

Seeds, with SQLAlchemy Core bulk inserts, for each of ``--rounds`` monthly periods one
after the other: the acting user (on Pro) with ``--records`` usage records in it (12 models
of 5 providers, 3% unpriced) and 20 other people with 1,000 records each, so the sums must
filter by person. Then the clock moves past the period's end and the one call that closes
it is timed: ``statements.statements()``, which rolls the period, writes
the statement (plan fee, usage by provider and model summed in SQL: on PostgreSQL inside
promptterm_close_statement) and reads it back. Target (issue 18): under 1 s each.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from promptterm.db.engine import create_database
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from usage_seed import Clock, insert_usage, usage_records

SEED = 20_261_206
START = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
TARGET_S = 1.0
MODELS = (
    ("openai", "gpt-4o", "0.0025", "0.01"),
    ("openai", "gpt-4o-mini", "0.00015", "0.0006"),
    ("openai", "o3-mini", "0.0011", "0.0044"),
    ("anthropic", "claude-sonnet", "0.003", "0.015"),
    ("anthropic", "claude-haiku", "0.0008", "0.004"),
    ("anthropic", "claude-opus", "0.015", "0.075"),
    ("openrouter", "llama-70b", "0.0006", "0.0006"),
    ("openrouter", "mixtral", "0.0007", "0.0007"),
    ("google", "gemini-flash", "0.0001", "0.0004"),
    ("google", "gemini-pro", "0.00125", "0.005"),
    ("local", "llama3", "0", "0"),
    ("lab", "mystery-model", None, None),  # unpriced
)


def run_backend(url: str, args: argparse.Namespace) -> tuple[list[float], float]:
    """One person, ``rounds`` monthly periods one after the other, each closed and timed."""
    rng = random.Random(args.seed)
    clock = Clock(START)
    services = Services.for_database(create_database(url), clock=clock)
    services.billing.set_plan("pro")  # a trial, a proration and then a fee line each month
    others = [
        create_user(services.ctx.db, f"U{n}", f"u{n}@example.com", START, uuid.uuid4()).id
        for n in range(20)
    ]
    times, seeding = [], 0.0
    for _ in range(args.rounds):
        summary = services.billing.summary()
        start, end = summary.period_start, summary.period_end
        began = time.perf_counter()
        rows = usage_records(services.user.id, args.records, rng, start, end, MODELS)
        rows += [r for u in others for r in usage_records(u, 1_000, rng, start, end, MODELS)]
        with services.ctx.db.engine.begin() as conn:
            insert_usage(conn, rows)
        seeding += time.perf_counter() - began
        clock.now = end + timedelta(minutes=1)
        began = time.perf_counter()
        statement = services.statements.statements(1)[0]
        times.append(time.perf_counter() - began)
        usage = sum(line.calls or 0 for line in statement.lines if line.kind == "usage")
        assert statement.period_end == end and usage == args.records, (usage, args.records)
    return times, seeding


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--records", type=int, default=100_000, help="records in the period")
    parser.add_argument("--rounds", type=int, default=3, help="periods closed, one by one")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: dict[str, tuple[list[float], float]] = {}
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-close-"))
        try:
            results["SQLite"] = run_backend(f"sqlite:///{folder / 'b.db'}", args)
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
                    results["PostgreSQL"] = run_backend(server.url("bench"), args)
            except PostgresUnavailable as exc:
                print(f"Cannot start PostgreSQL, skipping it: {exc}")
    print()
    print(f"Closing a period with {args.records:,} usage records, {args.rounds} periods each")
    header = (
        f"{'backend':<12} {'min ms':>8} {'median ms':>10} {'max ms':>8}  {'seeded s':>8}  verdict"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for backend, (times, seeded) in results.items():
        ordered = sorted(times)
        worst = ordered[-1]
        verdict = "ok" if worst < TARGET_S else f"OVER {TARGET_S:.0f} s"
        ok = ok and worst < TARGET_S
        print(
            f"{backend:<12} {ordered[0] * 1000:8.1f} {ordered[len(ordered) // 2] * 1000:10.1f} "
            f"{worst * 1000:8.1f}  {seeded:8.1f}  {verdict}"
        )
    return 0 if results and ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
