"""One writer at a time on a project's board, so two people adding or moving cards at once
never give two cards the same place (order.py): each column still reads 0, 1, 2...

PostgreSQL: a transaction-scoped advisory lock keyed on the project (any role may take one,
and it ends with the commit). SQLite has one writer anyway, but a transaction that reads
first and writes later fails when another wrote meanwhile: a write as the transaction's
first statement takes the writer's lock before anything is read, so the second waits
(busy_timeout) and then reads what the first committed.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session


def lock_first(session: Session) -> None:
    """SQLite: take the writer's lock now, before the transaction reads anything."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.execute(text("UPDATE plan_items SET position = position WHERE 0"))


def lock_board(session: Session, project_id: uuid.UUID) -> None:
    """PostgreSQL: wait for, then hold until the commit, the project's board lock."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"promptterm-plan-board:{project_id}"},
        )
