"""Usage records seeded for the billing benchmarks (billing_queries.py, billing_close.py):
a settable clock, random metered calls over a window, and their bulk insert.

Each benchmark keeps its own model table and window, so its data (and the figures it prints)
are what they were; only the way the rows are made is shared.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from promptterm.db.models import UsageRecord

# (provider, model, dollars per 1,000 tokens in, out); the last one unpriced (None, None).
Model = tuple[str, str, str | None, str | None]
BATCH = 5_000  # rows per INSERT


class Clock:
    """The services' clock, moved by hand: ``clock.now = …``."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def usage_records(
    user_id: uuid.UUID,
    count: int,
    rng: random.Random,
    start: datetime,
    end: datetime,
    models: Sequence[Model],
) -> list[dict[str, Any]]:
    """``count`` calls at random times in [start, end): 3% on the last (unpriced) model,
    the rest spread over the others; short calls, so a month stays within a plan's tokens."""
    rows = []
    span = (end - start).total_seconds()
    for _ in range(count):
        provider, model, per_in, per_out = (
            models[-1] if rng.random() < 0.03 else rng.choice(models[:-1])
        )
        tin, tout = rng.randint(10, 300), rng.randint(5, 120)
        cost = None
        if per_in is not None and per_out is not None:
            cost = ((Decimal(per_in) * tin + Decimal(per_out) * tout) / 1000).quantize(
                Decimal("0.000001")
            )
        moment = start + timedelta(seconds=rng.uniform(0, span - 1))
        rows.append(
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "resource_type": "ai_tokens",
                "amount": Decimal(tin + tout),
                "unit": "tokens",
                "provider": provider,
                "model": model,
                "tokens_in": tin,
                "tokens_out": tout,
                "cost_usd": cost,
                "meta": {},
                "recorded_at": moment,
                "created_at": moment,
            }
        )
    return rows


def insert_usage(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Bulk insert (SQLAlchemy Core), ``BATCH`` rows a statement."""
    table = UsageRecord.__table__  # type: ignore[attr-defined]
    for at in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[at : at + BATCH])
