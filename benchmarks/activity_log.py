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
import json
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from promptterm.db.engine import create_database
from promptterm.db.models.activity import ActivityEntry
from promptterm.services.activity import ActivityFilter, ActivitySettings
from promptterm.services.activity.service import time_ordered_id
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from run import captured_sql, percentile, settle

SEED = 20_260_115
END = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
START = END - timedelta(days=30)
PROVIDERS = {
    "openai": ("gpt-4o", "gpt-4o-mini", "o3-mini"),
    "anthropic": ("claude-sonnet-4", "claude-haiku-3.5", "claude-opus-4"),
    "google": ("gemini-2.0-flash", "gemini-1.5-pro", "gemini-2.5-pro"),
    "mistral": ("mistral-large", "mistral-small", "codestral"),
    "local": ("llama3.2", "qwen2.5", "phi4"),
}
STATUSES = ("ok",) * 90 + ("429",) * 4 + ("500",) * 2 + ("401", "stopped", "stopped", "error")
ERRORS = ("OSError", "ValueError", "KeyError", "NotFound", "Conflict", "TimeoutError")
BATCH = 20_000
T = ActivityEntry.__table__  # type: ignore[attr-defined]


# Every column in every row: an executemany binds the same parameters for each.
_BLANK = {c.name: None for c in T.columns}


def _rows(user_id: uuid.UUID, count: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    span = (END - START).total_seconds()
    for _ in range(count):
        at = START + timedelta(seconds=rng.random() * span)
        if rng.random() < 0.92:
            provider = rng.choice(tuple(PROVIDERS))
            model = rng.choice(PROVIDERS[provider])
            status = rng.choice(STATUSES)
            message = None if status == "ok" else f"{status}: the provider said no ({rng.random()})"
            rows.append(
                _BLANK
                | {
                    "id": time_ordered_id(at),
                    "user_id": user_id,
                    "at": at,
                    "kind": "api",
                    "status": status,
                    "provider": provider,
                    "model": model,
                    "endpoint": f"https://{provider}.example/v1/chat/completions",
                    "duration_ms": rng.randint(80, 20_000),
                    "tokens_in": rng.randint(10, 8000),
                    "tokens_out": rng.randint(1, 2000),
                    "cost_usd": Decimal(rng.randint(1, 50_000)) / 1_000_000,
                    "message": message,
                    "context": {},
                    "size": 300,
                }
            )
        else:
            kind = rng.choice(ERRORS)
            rows.append(
                _BLANK
                | {
                    "id": time_ordered_id(at),
                    "user_id": user_id,
                    "at": at,
                    "kind": "error",
                    "status": rng.choice(("error", "warning", "warning", "info")),
                    "error_type": kind,
                    "message": f"{kind} while saving notes-{rng.randint(1, 500)}.md",
                    "traceback": "Traceback (most recent call last):\n  ...\n" * 3,
                    "context": {"area": rng.choice(("editor", "chat", "explorer"))},
                    "size": 500,
                }
            )
    return rows


def seed(services: Services, entries: int, others: int, rng: random.Random) -> float:
    """The acting user's ``entries`` and others' 50,000 each, generated by the database itself
    (a recursive CTE on SQLite, generate_series on PostgreSQL) in one statement, in the order
    the app writes them: oldest first, the users interleaved, ids time-ordered as
    ``time_ordered_id`` makes them. So each index (and SQLite's rowids, which the trigram index
    keys on) is appended to, as in use, instead of written at random places; that made the
    seed take a quarter of an hour and retention touch every page of the table. A few thousand
    rows of each user come from ``_rows`` through SQLAlchemy too, as the service writes them.
    The trigram index is then filled in one pass: on SQLite the insert trigger is set aside
    for the bulk insert and put back, then the index checked against the rows; on PostgreSQL
    the pg_trgm index is built again from its own definition."""
    started = time.perf_counter()
    users = [services.ctx.user_id]
    for n in range(others):
        user = create_user(services.ctx.db, f"other{n}", f"o{n}@example.com", END, uuid.uuid4())
        users.append(user.id)
    sqlite = services.ctx.db.is_sqlite
    theirs = others * (50_000 - 2_000)  # of the bulk rows
    with services.ctx.db.engine.begin() as conn:
        for user_id, count in [(users[0], entries)] + [(u, 50_000) for u in users[1:]]:
            conn.execute(T.insert(), _rows(user_id, min(2_000, count), rng))
        bulk = entries - 2_000 + theirs
        if sqlite:
            ids = json.dumps([u.hex for u in users])
            # A page cache the size of the indexes being built, for this load only.
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
            with _without_insert_trigger(conn):
                first = conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM activity_log")
                after = first.scalar()
                conn.exec_driver_sql(_SQLITE_SEED, (bulk, theirs, max(others, 1), ids))
                conn.exec_driver_sql(_SQLITE_FTS_FILL, (after,))
            conn.exec_driver_sql("PRAGMA cache_size = -2000")  # SQLite's default again
        else:
            params = {"users": [str(u) for u in users], "all": bulk, "theirs": theirs}
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
            with _without_trigram_index(conn):
                conn.exec_driver_sql(_POSTGRES_SEED, params | {"others": max(others, 1)})
    if sqlite:
        with services.ctx.db.engine.connect() as conn:
            # The index matches the rows it was filled from, or the figures mean nothing.
            conn.exec_driver_sql(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)")
    settle(services)
    return time.perf_counter() - started


FTS = "activity_log_fts"


@contextmanager
def _without_insert_trigger(conn: Any) -> Iterator[None]:
    """The FTS insert trigger dropped for the bulk insert and made again as it was."""
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (f"{FTS}_insert",)
    ).scalar_one()
    conn.exec_driver_sql(f"DROP TRIGGER {FTS}_insert")
    try:
        yield
    finally:
        conn.exec_driver_sql(sql)


@contextmanager
def _without_trigram_index(conn: Any) -> Iterator[None]:
    """PostgreSQL: the pg_trgm index dropped for the bulk insert and built again as it was,
    in one pass (entry by entry it made the seed take four minutes)."""
    made = conn.exec_driver_sql(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_activity_log_search_trgm'"
    ).scalar()
    if made is not None:
        conn.exec_driver_sql("DROP INDEX ix_activity_log_search_trgm")
    try:
        yield
    finally:
        if made is not None:
            conn.exec_driver_sql(made)


_PROVIDER_SQL = ", ".join(f"'{p}'" for p in PROVIDERS)
_MODEL_SQL = ", ".join(f"'{m}'" for models in PROVIDERS.values() for m in models)
_SPAN_US = int((END - START).total_seconds()) * 1_000_000
_START_MS = int(START.timestamp() * 1000)
# Row i (1..?1) of all: at START + i/?1 of the span; it is another user's when the running
# share of theirs (?2 of ?1 rows) steps up, in turn among the ?3 others, else the acting user's.
_SQLITE_SEED = f"""
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ?1),
r AS (
  SELECT i, abs(random()) % 1000 AS k, abs(random()) % 5 AS p, abs(random()) % 3 AS m,
         abs(random()) % 100 AS s, (i - 1) * {_SPAN_US} / ?1 AS us,
         CASE WHEN (i * ?2 / ?1) > ((i - 1) * ?2 / ?1) THEN 1 + (i * ?2 / ?1) % ?3 ELSE 0 END
           AS who
  FROM n
)
INSERT INTO activity_log (id, user_id, at, kind, status, provider, model, endpoint,
  duration_ms, tokens_in, tokens_out, cost_usd, error_type, message, traceback, context, size)
SELECT printf('%012x', {_START_MS} + us / 1000) || '7'
    || lower(substr(hex(randomblob(2)), 1, 3)) || substr('89ab', 1 + abs(random()) % 4, 1)
    || lower(substr(hex(randomblob(8)), 1, 15)),
  json_extract(?4, '$[' || who || ']'),
  strftime('%Y-%m-%d %H:%M:%S', '{START:%Y-%m-%d %H:%M:%S}', '+' || (us / 1000000) || ' seconds')
    || printf('.%06d', us % 1000000),
  CASE WHEN k < 920 THEN 'api' ELSE 'error' END,
  CASE WHEN k >= 920 THEN (CASE WHEN s < 50 THEN 'error' ELSE 'warning' END)
       WHEN s < 90 THEN 'ok' WHEN s < 94 THEN '429' WHEN s < 96 THEN '500'
       WHEN s < 97 THEN '401' WHEN s < 99 THEN 'stopped' ELSE 'error' END,
  CASE WHEN k < 920 THEN json_extract('[{_PROVIDER_SQL.replace("'", '"')}]', '$[' || p || ']') END,
  CASE WHEN k < 920 THEN json_extract('[{_MODEL_SQL.replace("'", '"')}]',
       '$[' || (p * 3 + m) || ']') END,
  CASE WHEN k < 920 THEN 'https://api.example/v1/chat/completions' END,
  CASE WHEN k < 920 THEN 80 + abs(random()) % 20000 END,
  CASE WHEN k < 920 THEN abs(random()) % 8000 END,
  CASE WHEN k < 920 THEN abs(random()) % 2000 END,
  CASE WHEN k < 920 THEN (abs(random()) % 50000) / 1000000.0 END,
  CASE WHEN k >= 920 THEN 'OSError' END,
  CASE WHEN k >= 920 THEN 'OSError while saving notes-' || (abs(random()) % 500) || '.md'
       WHEN s >= 90 THEN 'the provider said no' END,
  CASE WHEN k >= 920 THEN 'Traceback (most recent call last): ...' END,
  '{{}}', 300
FROM r
"""
# What the insert trigger would have written, for the rows after rowid ?, in one statement.
_SQLITE_FTS_FILL = f"""
INSERT INTO {FTS}(rowid, message, error_type)
SELECT rowid, message, error_type FROM activity_log WHERE rowid > ?
"""
_POSTGRES_SEED = f"""
INSERT INTO activity_log (id, user_id, at, kind, status, provider, model, endpoint,
  duration_ms, tokens_in, tokens_out, cost_usd, error_type, message, traceback, context, size)
SELECT (lpad(to_hex({_START_MS} + us / 1000), 12, '0') || '7'
    || substr(md5(random()::text), 1, 3) || substr('89ab', 1 + floor(random() * 4)::int, 1)
    || substr(md5(random()::text), 1, 15))::uuid,
  (%(users)s::uuid[])[who + 1],
  timestamptz '{START.isoformat()}' + make_interval(secs => us / 1000000.0),
  CASE WHEN k < 920 THEN 'api' ELSE 'error' END,
  CASE WHEN k >= 920 THEN (CASE WHEN s < 50 THEN 'error' ELSE 'warning' END)
       WHEN s < 90 THEN 'ok' WHEN s < 94 THEN '429' WHEN s < 96 THEN '500'
       WHEN s < 97 THEN '401' WHEN s < 99 THEN 'stopped' ELSE 'error' END,
  CASE WHEN k < 920 THEN (ARRAY[{_PROVIDER_SQL}])[p + 1] END,
  CASE WHEN k < 920 THEN (ARRAY[{_MODEL_SQL}])[p * 3 + m + 1] END,
  CASE WHEN k < 920 THEN 'https://api.example/v1/chat/completions' END,
  CASE WHEN k < 920 THEN 80 + (random() * 20000)::int END,
  CASE WHEN k < 920 THEN (random() * 8000)::int END,
  CASE WHEN k < 920 THEN (random() * 2000)::int END,
  CASE WHEN k < 920 THEN round((random() * 0.05)::numeric, 6) END,
  CASE WHEN k >= 920 THEN 'OSError' END,
  CASE WHEN k >= 920 THEN 'OSError while saving notes-' || (random() * 500)::int || '.md'
       WHEN s >= 90 THEN 'the provider said no' END,
  CASE WHEN k >= 920 THEN 'Traceback (most recent call last): ...' END,
  '{{}}'::jsonb, 300
FROM (
  SELECT (random() * 1000)::int AS k, (random() * 4.999)::int AS p, (random() * 2.999)::int AS m,
         (random() * 100)::int AS s, (i - 1) * {_SPAN_US}::bigint / %(all)s AS us,
         CASE WHEN (i * %(theirs)s::bigint / %(all)s) > ((i - 1) * %(theirs)s::bigint / %(all)s)
              THEN 1 + (i * %(theirs)s::bigint / %(all)s) %% %(others)s ELSE 0 END AS who
  FROM generate_series(1, %(all)s) i
) r
"""


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
