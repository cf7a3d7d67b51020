"""The billing screen's queries over a year of usage records, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/billing_queries.py                  # both backends
    .venv/bin/python benchmarks/billing_queries.py --backend sqlite --explain
    .venv/bin/python benchmarks/billing_queries.py --records 20000 --iterations 20   # quick

Seeds, with SQLAlchemy Core bulk inserts in one transaction: the acting user with a year of
usage records (100,000 by default: random times over 365 days, 12 models of 5 providers,
3% of calls on an unpriced model) and 12 invoices and payments; 19 other users with 1,000
records each, so every query has to filter by user. The clock then stands at the end of
that year (the current period holds about 8,300 of the records) with a budget set. Every
figure is the wall time of one call through the real service layer, after warm-up calls:
each query of the billing screen, the screen's whole load (``billing.overview()`` plus the
price sources), the status line's meter and the check before every chat send; with the
covering index of migration 0009 and with the index it replaced, in alternating rounds.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from promptterm.db.engine import create_database
from promptterm.db.models import Invoice, Payment
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from run import captured_sql, percentile, settle
from usage_seed import Clock, insert_usage, usage_records

SEED = 20_260_115
END = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)  # "now": a year of records lies before it
START = END - timedelta(days=365)
MODELS = (
    ("openai", "gpt-4o", "0.0025", "0.01"),
    ("openai", "gpt-4o-mini", "0.00015", "0.0006"),
    ("openai", "o3-mini", "0.0011", "0.0044"),
    ("anthropic", "claude-3-5-sonnet-latest", "0.003", "0.015"),
    ("anthropic", "claude-3-5-haiku-latest", "0.0008", "0.004"),
    ("anthropic", "claude-3-opus-latest", "0.015", "0.075"),
    ("groq", "llama-3.3-70b-versatile", "0.00059", "0.00079"),
    ("groq", "mixtral-8x7b", "0.00024", "0.00024"),
    ("ollama", "llama3.2", "0", "0"),
    ("ollama", "qwen2.5-coder", "0", "0"),
    ("work", "internal-7b", "0.0001", "0.0001"),
    ("lab", "mystery-model", None, None),  # unpriced
)


def seed(url: str, records: int, rng: random.Random) -> tuple[Services, float]:
    started = time.perf_counter()
    clock = Clock(START)  # the subscription starts a year ago; its periods roll forward
    services = Services.for_database(create_database(url), clock=clock)
    services.billing.summary()
    others = [
        create_user(services.ctx.db, f"User {n}", f"user{n}@example.com", START, uuid.uuid4()).id
        for n in range(19)
    ]
    with services.ctx.db.engine.begin() as conn:
        mine = usage_records(services.user.id, records, rng, START, END, MODELS)
        for user in others:
            mine += usage_records(user, 1_000, rng, START, END, MODELS)
        insert_usage(conn, mine)
        history_invoices, history_payments = [], []
        for month in range(12):
            when = START + timedelta(days=30 * month + 1)
            history_invoices.append(
                {
                    "id": uuid.uuid4(),
                    "user_id": services.user.id,
                    "amount_due": 2000,
                    "amount_paid": 2000,
                    "currency": "usd",
                    "status": "paid",
                    "created_at": when,
                    "paid_at": when,
                }
            )
            history_payments.append(
                {
                    "id": uuid.uuid4(),
                    "user_id": services.user.id,
                    "amount": 2000,
                    "currency": "usd",
                    "status": "succeeded",
                    "created_at": when,
                }
            )
        conn.execute(Invoice.__table__.insert(), history_invoices)  # type: ignore[attr-defined]
        conn.execute(Payment.__table__.insert(), history_payments)  # type: ignore[attr-defined]
    clock.now = END - timedelta(seconds=1)  # the last second of the current period
    services.billing.set_plan("business")
    services.billing.set_budget(spend="500", tokens=1_990_000)
    return services, time.perf_counter() - started


def operations(services: Services) -> dict[str, Callable[[], object]]:
    billing = services.billing

    def screen() -> object:
        return billing.overview(), services.pricing.sources()

    def before_send() -> None:
        billing.tokens_left(500)
        billing.check_budget(500)

    return {
        "summary (plan, every limit)": billing.summary,
        "spend by provider and model": billing.spend,
        "usage by day": billing.usage_by_day,
        "invoices": billing.invoices,
        "payments": billing.payments,
        "budget": billing.budget,
        "whole screen load": screen,
        "status line meter": billing.meter,
        "check before a send": before_send,
    }


def measure(call: Callable[[], object], warmup: int, iterations: int) -> list[float]:
    gc.collect()
    samples = []
    for i in range(warmup + iterations):
        started = time.perf_counter()
        call()
        if i >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def explain(services: Services) -> None:
    """The SQL of the whole screen load, with each statement's plan."""
    engine = services.ctx.db.engine
    prefix = "EXPLAIN QUERY PLAN " if services.ctx.db.is_sqlite else "EXPLAIN ANALYZE "
    with captured_sql(engine) as statements:
        services.billing.overview()
    with engine.connect() as conn:
        for statement, params in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print("  SQL: " + " ".join(statement.split())[:300])
            for row in conn.exec_driver_sql(prefix + statement, params).fetchall():
                print(f"       {row[-1]}")
        conn.rollback()


OLD_INDEX = "CREATE INDEX ix_old ON usage_records (user_id, resource_type, recorded_at)"
NEW_INDEX = (
    "CREATE INDEX ix_usage_records_billing ON usage_records (user_id, resource_type, "
    "recorded_at, provider, model, amount, tokens_in, tokens_out, cost_usd)"
)
VARIANTS = ("0009", "before 0009")
Figures = dict[str, dict[str, tuple[float, float]]]  # variant -> query -> (p50, p95)


def use_index(services: Services, variant: str) -> None:
    """The covering index of migration 0009, or the narrow one it replaced."""
    with services.ctx.db.engine.begin() as conn:
        names = {"0009": "ix_usage_records_billing", "before 0009": "ix_old"}
        other = names[VARIANTS[1 - VARIANTS.index(variant)]]
        conn.exec_driver_sql(NEW_INDEX if variant == "0009" else OLD_INDEX)
        conn.exec_driver_sql(f"DROP INDEX {other}")
    settle(services)


def run_backend(name: str, url: str, args: argparse.Namespace) -> Figures:
    """Both indexes in turn, in ``args.rounds`` alternating rounds (a busy machine's drift
    falls on both alike); each query's samples of all rounds make its p50 and p95."""
    rng = random.Random(args.seed)
    print(f"[{name}] seeding {args.records:,} records ...", flush=True)
    services, seconds = seed(url, args.records, rng)
    try:
        settle(services)
        in_period = services.billing.spend().calls
        print(f"[{name}] seeded in {seconds:.1f} s; {in_period:,} calls in the current period")
        samples: dict[str, dict[str, list[float]]] = {v: {} for v in VARIANTS}
        current = "0009"
        per_round = max(1, args.iterations // args.rounds)
        for round_ in range(args.rounds):
            for variant in VARIANTS if round_ % 2 == 0 else VARIANTS[::-1]:
                if variant != current:
                    use_index(services, variant)
                    current = variant
                for op, call in operations(services).items():
                    taken = measure(call, args.warmup, per_round)
                    samples[variant].setdefault(op, []).extend(taken)
            print(f"[{name}] round {round_ + 1} of {args.rounds} done", flush=True)
        if current != "0009":
            use_index(services, "0009")
        if args.explain:
            explain(services)
        return {
            variant: {
                op: (percentile(taken, 50), percentile(taken, 95)) for op, taken in ops.items()
            }
            for variant, ops in samples.items()
        }
    finally:
        services.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--records", type=int, default=100_000, help="the user's usage records")
    parser.add_argument("--iterations", type=int, default=100, help="timed calls per query")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--explain", action="store_true", help="print the screen's SQL and plans")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating rounds of the two indexes"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # The budget is written to the config file: keep it away from the user's own.
    config = Path(tempfile.mkdtemp(prefix="promptterm-bench-config-"))
    import os

    os.environ["PROMPTTERM_CONFIG_DIR"] = str(config)
    table: dict[str, Figures] = {}
    try:
        if args.backend in ("sqlite", "both"):
            folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-sqlite-"))
            try:
                name = f"SQLite {sqlite3.sqlite_version}"
                table[name] = run_backend("sqlite", f"sqlite:///{folder / 'b.db'}", args)
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
                        table[version] = run_backend("postgres", server.url("bench"), args)
                except PostgresUnavailable as exc:
                    print(f"Cannot start PostgreSQL, skipping it: {exc}")
    finally:
        shutil.rmtree(config, ignore_errors=True)
    print()
    print(
        f"Billing queries over {args.records:,} usage records (a year), {args.iterations} calls "
        f"each after warm-up calls, in {args.rounds} rounds alternating the two indexes"
    )
    header = (
        f"{'query':<28} {'backend':<17} {'p50 ms':>8} {'p95 ms':>8}   "
        f"{'before 0009: p50':>16} {'p95':>8}"
    )
    print(header)
    print("-" * len(header))
    for backend, figures in table.items():
        for op, (p50, p95) in figures["0009"].items():
            old50, old95 = figures["before 0009"][op]
            print(f"{op:<28} {backend[:17]:<17} {p50:8.2f} {p95:8.2f}   {old50:16.2f} {old95:8.2f}")
    return 0 if table else 1


if __name__ == "__main__":
    raise SystemExit(main())
