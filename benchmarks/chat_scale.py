"""Chat at scale: opening a 10,000-message thread, and full-text search over a million messages.

    .venv/bin/python benchmarks/chat_scale.py                      # SQLite 1M, PostgreSQL 200k
    .venv/bin/python benchmarks/chat_scale.py --quick              # 50k / 20k messages
    .venv/bin/python benchmarks/chat_scale.py --backend sqlite --messages 300000

(a) Open a thread the way the chat screen does: ``message_count`` + the last 50 messages,
then page back 50 at a time to the first message. (b) ``chat_search.search`` (50 results,
snippets included) for common words, rare words, 3-letter prefixes and two words being
typed; plus sending-side costs the index adds (appending a message, a streaming save of a
4 KB answer). Everything goes through the real service layer, timed with perf_counter.
Messages are bulk-loaded through the real indexing (chat_seed.py); the load time and the
database size are reported. On
PostgreSQL the same search is then timed with the alternative design, an expression GIN index
instead of the stored generated column (``--no-compare`` skips it).
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from chat_seed import seed
from promptterm.services.chat.search import parse_query, tsquery_params, tsquery_sql
from promptterm.services.chat.versions import AnswerStore
from promptterm.services.facade import Services

SEED = 20_260_115
CATEGORIES = {
    "common word": ("function", "error", "database", "python", "model"),
    "rare word": (),  # filled from the generated vocabulary
    "3-letter prefix": ("dat", "que", "fun", "mer", "tin"),
    "two words, typing": ("python err", "database que", "model tok", "error ret", "query ind"),
}


def settle(services: Services) -> None:
    db = services.ctx.db
    if db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
        conn.exec_driver_sql("CHECKPOINT")


def sizes(services: Services, file: Path | None) -> dict[str, float]:
    mib = 2**20
    with services.ctx.db.engine.connect() as conn:
        if file is not None:
            fts = conn.exec_driver_sql(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'messages_fts%'"
            ).scalar()
            total = sum(p.stat().st_size for p in file.parent.glob(file.name + "*"))
            return {"database": total / mib, "search index": (fts or 0) / mib}
        row = conn.exec_driver_sql(
            "SELECT pg_database_size(current_database()),"
            " pg_relation_size('ix_messages_search_vector'),"
            " (SELECT sum(pg_column_size(search_vector)) FROM messages)"
        ).one()
        return {
            "database": row[0] / mib,
            "GIN index": row[1] / mib,
            "tsvector column": row[2] / mib,
        }


# Measuring -------------------------------------------------------------------------------------


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered), max(1, math.ceil(pct / 100 * len(ordered)))) - 1]


def line(name: str, samples: list[float], extra: str = "") -> None:
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    print(f"  {name:<34} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms   n={len(samples)}{extra}")


def open_thread(services: Services, thread_id: uuid.UUID, rounds: int) -> None:
    chat = services.chat
    opens, pages = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        chat.message_count(thread_id)
        page = chat.messages(thread_id, limit=50)
        opens.append((time.perf_counter() - started) * 1000)
        while page and page[0].seq > 1:
            before = page[0].seq
            started = time.perf_counter()
            page = chat.messages(thread_id, limit=50, before_seq=before)
            pages.append((time.perf_counter() - started) * 1000)
    line("open: count + last 50", opens)
    line("page back 50", pages)


def search(services: Services, rare: tuple[str, ...], repeats: int) -> dict[str, list[str]]:
    categories = {**CATEGORIES, "rare word": rare}
    for name, queries in categories.items():
        for q in queries:  # warm-up, and how many messages match
            services.chat_search.search(q)
        samples = [
            timed(lambda q=q: services.chat_search.search(q))
            for _ in range(repeats)
            for q in queries
        ]
        counts = [match_count(services, q) for q in queries]
        line(f"search: {name}", samples, f"   matches {min(counts):,}-{max(counts):,}")
    return categories


def match_count(services: Services, query: str) -> int:
    parsed = parse_query(query)
    with services.ctx.db.engine.connect() as conn:
        if services.ctx.db.is_sqlite:
            sql = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH :q"
            return int(conn.execute(text(sql), {"q": parsed.fts5()}).scalar_one())
        sql = f"SELECT count(*) FROM messages WHERE search_vector @@ ({tsquery_sql(parsed)})"
        return int(conn.execute(text(sql), tsquery_params(parsed)).scalar_one())


def writes(services: Services, thread_id: uuid.UUID, repeats: int, rng: random.Random) -> None:
    appended = [
        timed(lambda: services.chat.add_message(thread_id, "user", f"note {rng.random()} query"))
        for _ in range(repeats)
    ]
    line("append a message", appended)
    answer = services.chat.add_message(thread_id, "assistant", "", status="streaming")
    store, body = AnswerStore(services.ctx), ""
    saves = []
    for n in range(repeats):
        body += f" chunk{n} " + "streamed words of an answer " * 8
        saves.append(timed(lambda b=body[-4096:]: store.save_partial(answer.id, b)))
    line("streaming save (4 KB answer)", saves)


# PostgreSQL: the expression-index alternative ----------------------------------------------------

EXPRESSION = "to_tsvector('promptterm_search', lower(content COLLATE \"und-x-icu\"))"


def compare_expression_index(services: Services, categories: dict[str, Any], repeats: int) -> None:
    print("  -- the same searches, raw SQL: stored column (chosen) vs expression index --")
    column = _raw_search_sql("m.search_vector", "hits.search_vector")
    results = {name: _raw_times(services, column, qs, repeats) for name, qs in categories.items()}
    with services.ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        started = time.perf_counter()
        c.exec_driver_sql("DROP INDEX ix_messages_search_vector")
        c.exec_driver_sql("ALTER TABLE messages DROP COLUMN search_vector")
        c.exec_driver_sql("VACUUM FULL messages")
        c.exec_driver_sql(
            f"CREATE INDEX ix_messages_search_expr ON messages USING gin ({EXPRESSION})"
        )
        c.exec_driver_sql("VACUUM ANALYZE messages")
        rebuilt = time.perf_counter() - started
        size = c.exec_driver_sql(
            "SELECT pg_database_size(current_database()),"
            " pg_relation_size('ix_messages_search_expr')"
        ).one()
    print(
        f"  expression index: database {size[0] / 2**20:.0f} MiB, GIN index "
        f"{size[1] / 2**20:.0f} MiB (built in {rebuilt:.0f} s)"
    )
    expression = _raw_search_sql(
        EXPRESSION.replace("content", "m.content"), EXPRESSION.replace("content", "hits.content")
    )
    for name, queries in categories.items():
        line(f"column: {name}", results[name])
        line(f"expression: {name}", _raw_times(services, expression, queries, repeats))


def _raw_search_sql(match_vector: str, rank_vector: str) -> Callable[[str], str]:
    def build(query_sql: str) -> str:
        return (
            f"SELECT hits.id, ts_rank({rank_vector}, {query_sql}, 1) AS score FROM ("
            f" SELECT m.id, m.content, m.created_at, m.seq"
            + (", m.search_vector" if "search_vector" in rank_vector else "")
            + f" FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            f" WHERE {match_vector} @@ ({query_sql}) AND c.user_id = :uid"
            f" ORDER BY m.created_at DESC, m.seq DESC LIMIT 500) AS hits"
            f" ORDER BY score DESC, hits.created_at DESC LIMIT 50"
        )

    return build


def _raw_times(
    services: Services, build: Callable[[str], str], queries: tuple[str, ...], repeats: int
) -> list[float]:
    samples = []
    with services.ctx.db.engine.connect() as conn:
        for n in range(repeats + 1):
            for q in queries:
                parsed = parse_query(q)
                params = {**tsquery_params(parsed), "uid": services.user.id}
                sql = text(build(tsquery_sql(parsed)))
                ms = timed(lambda sql=sql, params=params: conn.execute(sql, params).all())
                if n:  # the first round warms up
                    samples.append(ms)
    return samples


# Backends ----------------------------------------------------------------------------------------


def run(
    services: Services, backend: str, size: int, args: argparse.Namespace, file: Path | None
) -> None:
    rng = random.Random(args.seed)
    print(
        f"[{backend}] loading {size:,} messages + a {args.thread_messages:,}-message thread ...",
        flush=True,
    )
    seeded = seed(services, size, args.thread_messages, rng)
    started = time.perf_counter()
    settle(services)
    print(
        f"[{backend}] loaded {seeded['rows']:,} messages in {seeded['seconds']:.1f} s "
        f"({seeded['rows'] / seeded['seconds']:,.0f}/s), settled in "
        f"{time.perf_counter() - started:.1f} s; "
        + ", ".join(f"{k} {v:,.0f} MiB" for k, v in sizes(services, file).items()),
        flush=True,
    )
    open_thread(services, seeded["big_thread"], args.rounds)
    categories = search(services, seeded["rare"], args.repeats)
    writes(services, seeded["big_thread"], args.repeats * 5, rng)
    if backend == "postgres" and not args.no_compare:
        compare_expression_index(services, categories, args.repeats)


def run_sqlite(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-chat-"))
    file = folder / "chat.db"
    try:
        services = Services.open(f"sqlite:///{file}")
        print(f"SQLite {sqlite3.sqlite_version}", flush=True)
        try:
            run(services, "sqlite", args.messages, args, file)
        finally:
            services.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_postgres(args: argparse.Namespace) -> None:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL server binaries not found (PROMPTTERM_PG_BIN): skipping PostgreSQL.")
        return
    try:
        with BenchPostgres(bin_dir) as server:
            server.create_database("chat")
            print(server.version(), flush=True)
            services = Services.open(server.url("chat"))
            try:
                run(services, "postgres", args.pg_messages, args, None)
            finally:
                services.close()
    except PostgresUnavailable as exc:
        print(f"Cannot start PostgreSQL, skipping it: {exc}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--messages", type=int, default=1_000_000, help="SQLite search corpus")
    parser.add_argument("--pg-messages", type=int, default=200_000, help="PostgreSQL corpus")
    parser.add_argument("--thread-messages", type=int, default=10_000, help="the long thread")
    parser.add_argument("--rounds", type=int, default=3, help="times the long thread is read")
    parser.add_argument("--repeats", type=int, default=6, help="timed runs of each query")
    parser.add_argument("--quick", action="store_true", help="50k / 20k messages")
    parser.add_argument("--no-compare", action="store_true", help="skip the PG alternative")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.quick:
        args.messages, args.pg_messages = 50_000, 20_000
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.backend in ("sqlite", "both"):
        run_sqlite(args)
    if args.backend in ("postgres", "both"):
        run_postgres(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
