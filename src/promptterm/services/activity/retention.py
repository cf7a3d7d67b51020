"""Retention in small steps: entries older than the retention go, then the oldest until the
log is under its size cap, a couple of thousand at a time, each step its own short transaction.

A step reads one range of the (user_id, at, id) index, oldest first, and deletes exactly
that range, so the write lock is held for milliseconds, not for the whole trim: on SQLite
the app's own writes (a send, an error report) wait at most one step. ``stop`` is asked
between steps (the app's worker is cancelled when it quits); what was removed stays removed
and the next run (on start, then daily) goes on from the oldest entry left, so nothing needs
remembering. The size pass reads the total once, then only the rows it deletes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from promptterm.db.models.activity import ActivityEntry
from promptterm.services.context import ServiceContext

T = ActivityEntry.__table__  # type: ignore[attr-defined]
# Entries a transaction deletes: ~50-100 ms of write lock on SQLite on an idle machine (each
# entry leaves 7 indexes and the trigram index; benchmarks/activity_log.py --retention).
STEP = 2000


@dataclass
class Trim:
    removed: int = 0
    stopped: bool = False  # ``stop`` said so before the log was within its limits


def trim(
    ctx: ServiceContext,
    cutoff: datetime,
    max_bytes: int,
    *,
    step: int = STEP,
    stop: Callable[[], bool] | None = None,
) -> Trim:
    """Remove the user's entries before ``cutoff``, then the oldest until the rest fit in
    ``max_bytes`` (by their ``size``)."""
    done = Trim()
    mine = T.c.user_id == ctx.user_id
    while True:
        if stop is not None and stop():
            done.stopped = True
            return done
        with ctx.db.engine.begin() as conn:
            edge = conn.execute(
                sa.select(T.c.at, T.c.id)
                .where(mine, T.c.at < cutoff)
                .order_by(T.c.at, T.c.id)
                .offset(step - 1)
                .limit(1)
            ).first()
            older = [T.c.at < cutoff] if edge is None else [_up_to(edge)]
            done.removed += conn.execute(sa.delete(T).where(mine, *older)).rowcount or 0
        if edge is None:
            break
        time.sleep(0)  # let a waiting writer in between steps
    with ctx.db.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.sum(T.c.size)).where(mine)).scalar() or 0
    over = int(total) - max_bytes
    while over > 0:
        if stop is not None and stop():
            done.stopped = True
            return done
        with ctx.db.engine.begin() as conn:
            rows = conn.execute(
                sa.select(T.c.at, T.c.id, T.c.size).where(mine).order_by(T.c.at, T.c.id).limit(step)
            ).all()
            if not rows:
                break
            freed = count = 0
            for row in rows:  # the oldest first, until what is left fits
                freed += row.size
                count += 1
                if freed >= over:
                    break
            edge = rows[count - 1]
            done.removed += conn.execute(sa.delete(T).where(mine, _up_to(edge))).rowcount or 0
        over -= freed
        time.sleep(0)
    return done


def _up_to(edge: Any) -> sa.ColumnElement[bool]:
    """Every entry up to and including ``edge`` in (at, id) order: one index range."""
    at, entry_id = edge[0], edge[1]
    if not isinstance(entry_id, uuid.UUID):
        entry_id = uuid.UUID(str(entry_id))
    bound = sa.tuple_(sa.literal(at, T.c.at.type), sa.literal(entry_id, T.c.id.type))
    return sa.tuple_(T.c.at, T.c.id) <= bound
