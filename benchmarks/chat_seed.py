"""Seed the chat benchmark (chat_scale.py): many threads of Zipf-distributed text, bulk-loaded
through the real search indexing, and one long thread.

Rows go in through the database's own bulk path (executemany on SQLite, so the FTS5 triggers
index each row; COPY on PostgreSQL, so the generated tsvector column is computed), in one
transaction; threads go in with SQLAlchemy Core. Everything random comes from one
``random.Random``.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from promptterm.db.models import Conversation
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user

THREAD_SIZE = 100  # messages per thread of the search corpus
FUNCTION_WORDS = (  # noqa: SIM905 (a sentence reads better than 42 quoted words)
    "the a to of and in is it you that for on with this be are as can use not or if your "
    "what how do does my we should will from at by an have but all when there which one"
).split()
TECH_WORDS = (  # noqa: SIM905
    "database query function python error thread model token server client request response "
    "config deploy test branch commit merge docker cluster index cache memory latency "
    "prompt preset component stream socket parser compiler runtime library package module "
    "schema migration table column value string integer float array object class method "
    "variable loop exception timeout retry backoff header payload session cookie tensor"
).split()
SYLLABLES = "ka lo mer tin dra vo sel pi quan rus ze no bel ti gar fen ul os mi ra".split()  # noqa: SIM905


class Vocabulary:
    """Zipf-distributed words: function words, tech words, then 40,000 made-up words."""

    def __init__(self, rng: random.Random) -> None:
        made_up: set[str] = set()
        while len(made_up) < 40_000:
            made_up.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
        invented = sorted(made_up)
        rng.shuffle(invented)
        self.words = FUNCTION_WORDS + TECH_WORDS + invented
        weights = [1 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        self.cumulative = list(_accumulate(weights))
        self.rng = rng
        self.rare = tuple(self.words[-k] for k in (1_000, 3_000, 5_000, 7_000, 9_000))

    def messages(self, count: int) -> Iterator[str]:
        for _ in range(count):
            words = self.rng.choices(self.words, cum_weights=self.cumulative, k=_length(self.rng))
            yield " ".join(words)


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def _length(rng: random.Random) -> int:
    # Most chat messages are short; some answers are long.
    return min(800, int(rng.lognormvariate(3.3, 0.9)) + 3)


# Seeding ---------------------------------------------------------------------------------------


def seed(services: Services, messages: int, thread_size: int, rng: random.Random) -> dict[str, Any]:
    """The acting user's search corpus (plus 5% of messages that belong to someone else) and
    one thread of ``thread_size`` messages; returns what the measurements need."""
    vocabulary = Vocabulary(rng)
    other = create_user(services.ctx.db, "Other", None, datetime.now(UTC), uuid.uuid4())
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / max(1, messages + thread_size)
    threads, rows_at = [], 0
    big_thread = uuid.uuid4()
    plan = [(big_thread, services.user.id, thread_size)]
    for n in range(math.ceil(messages / THREAD_SIZE)):
        owner = other.id if n % 20 == 19 else services.user.id
        plan.append((uuid.uuid4(), owner, min(THREAD_SIZE, messages - n * THREAD_SIZE)))
    started = time.perf_counter()
    db = services.ctx.db
    with db.engine.begin() as conn:
        for thread_id, owner, _ in plan:
            threads.append(_thread_row(thread_id, owner, start))
        conn.execute(Conversation.__table__.insert(), threads)
        raw = conn.connection.driver_connection
        if db.is_sqlite:
            # A big page cache for the load only (random UUID keys touch pages all over the
            # indexes); the app's own connections keep SQLite's default.
            raw.execute("PRAGMA cache_size = -262144")
        batch: list[tuple[Any, ...]] = []
        texts = vocabulary.messages(messages + thread_size)
        for thread_id, _, size in plan:
            for seq in range(1, size + 1):
                moment = start + step * rows_at
                rows_at += 1
                role = "user" if seq % 2 else "assistant"
                batch.append((uuid.uuid4(), thread_id, seq, role, next(texts), moment))
            if len(batch) >= 20_000:
                _load(raw, db.is_sqlite, batch)
                batch = []
        _load(raw, db.is_sqlite, batch)
        if db.is_sqlite:
            raw.execute("PRAGMA cache_size = -2000")
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows_at,
        "big_thread": big_thread,
        "rare": vocabulary.rare,
    }


def _thread_row(thread_id: uuid.UUID, owner: uuid.UUID, now: datetime) -> dict[str, Any]:
    return {
        "id": thread_id,
        "user_id": owner,
        "title": f"Thread {str(thread_id)[:8]}",
        "context": {},
        "is_archived": False,
        "preset_history": [],
        "total_tokens": 0,
        "created_at": now,
        "updated_at": now,
    }


COLUMNS = "id, conversation_id, seq, role, content, created_at, status, metadata, tokens_estimated"


def _load(raw: Any, is_sqlite: bool, batch: list[tuple[Any, ...]]) -> None:
    if not batch:
        return
    if is_sqlite:
        # Stored as SQLAlchemy stores them on SQLite: 32 hex digits, naive UTC text.
        rows = [
            (
                m.hex,
                t.hex,
                seq,
                role,
                body,
                at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                "complete",
                "{}",
                0,
            )
            for m, t, seq, role, body, at in batch
        ]
        raw.executemany(f"INSERT INTO messages ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", rows)
        return
    with raw.cursor() as cursor, cursor.copy(f"COPY messages ({COLUMNS}) FROM STDIN") as copy:
        for row in batch:
            copy.write_row((*row, "complete", "{}", False))
