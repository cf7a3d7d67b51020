"""Spend this period, by provider and by model, and day by day, from the usage records; and
the storage the user's file versions take.

A call whose model had no known price has ``cost_usd`` NULL: it is counted apart
(``unpriced_calls``) and a group of only such calls has no cost (None), never $0, so a bill
never looks smaller than it is.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from promptterm.db.models import File, FileVersion, Project, UsageRecord, Workspace
from promptterm.services.billing.spend_report import DayUsage as DayUsage
from promptterm.services.billing.spend_report import ModelSpend as ModelSpend
from promptterm.services.billing.spend_report import ProviderSpend as ProviderSpend
from promptterm.services.billing.spend_report import SpendReport as SpendReport
from promptterm.services.billing.spend_report import spend_report


def _in_window(user_id: uuid.UUID, start: datetime, end: datetime) -> tuple[Any, ...]:
    # The order of the (user_id, resource_type, recorded_at) index.
    return (
        UsageRecord.user_id == user_id,
        UsageRecord.resource_type == "ai_tokens",
        col(UsageRecord.recorded_at) >= start,
        col(UsageRecord.recorded_at) < end,
    )


def spend_in(session: Session, user_id: uuid.UUID, start: datetime, end: datetime) -> SpendReport:
    """What the calls of [start, end) cost, grouped by provider entry and model."""
    unpriced = func.count().filter(col(UsageRecord.cost_usd).is_(None))
    # Calls whose tokens the provider did not report (record_usage(estimated=True)).
    estimated = func.count().filter(UsageRecord.meta["estimated"].as_boolean().is_(True))
    stmt = (
        select(
            UsageRecord.provider,
            UsageRecord.model,
            func.count(),
            func.coalesce(func.sum(UsageRecord.tokens_in), 0),
            func.coalesce(func.sum(UsageRecord.tokens_out), 0),
            func.sum(UsageRecord.cost_usd),
            unpriced,
            estimated,
        )
        .where(*_in_window(user_id, start, end))
        .group_by(UsageRecord.provider, UsageRecord.model)
    )
    return spend_report(start, end, session.exec(stmt))


def _utc_day(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        # timestamptz -> the UTC wall clock, whatever the session's TimeZone is.
        return func.date(func.timezone("UTC", UsageRecord.recorded_at))
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" in UTC (see db/types.py).
    return func.substr(UsageRecord.recorded_at, 1, 10)


def days_in(
    session: Session, user_id: uuid.UUID, start: datetime, end: datetime
) -> tuple[DayUsage, ...]:
    """Tokens and cost per UTC day of [start, end), every day included (zero days too)."""
    day = _utc_day(session).label("day")
    stmt = (
        select(
            day,
            func.coalesce(func.sum(UsageRecord.amount), 0),
            func.coalesce(func.sum(UsageRecord.cost_usd), 0),
            func.count(),
            func.count().filter(col(UsageRecord.cost_usd).is_(None)),
        )
        .where(*_in_window(user_id, start, end))
        .group_by(day)
    )
    found: dict[date, tuple[int, Decimal, int, int]] = {}
    for value, tokens, cost, calls, unpriced in session.exec(stmt):
        when = value if isinstance(value, date) else date.fromisoformat(str(value))
        found[when] = (int(Decimal(tokens)), Decimal(cost), int(calls), int(unpriced))
    days = []
    last = (end - timedelta(microseconds=1)).date()
    current = start.date()
    while current <= last:
        tokens, cost, calls, unpriced = found.get(current, (0, Decimal(0), 0, 0))
        days.append(DayUsage(current, tokens, cost, calls, unpriced))
        current += timedelta(days=1)
    return tuple(days)


def files_size(session: Session, user_id: uuid.UUID) -> int:
    """Bytes of the user's files as they are now (their current text, trash left out): the
    size a person expects, next to ``storage_used``, which the plan counts."""
    query = (
        select(func.coalesce(func.sum(File.size_bytes), 0))
        .join(Project, col(Project.id) == col(File.project_id))
        .join(Workspace, col(Workspace.id) == col(Project.workspace_id))
        .where(Workspace.owner_id == user_id, File.type == "file", col(File.is_deleted).is_(False))
    )
    return int(session.exec(query).one())


def storage_used(session: Session, user_id: uuid.UUID) -> int:
    """Bytes of every stored file version (compressed, as kept) in the user's own workspaces."""
    query = (
        select(func.coalesce(func.sum(func.length(FileVersion.payload)), 0))
        .join(File, col(File.id) == col(FileVersion.file_id))
        .join(Project, col(Project.id) == col(File.project_id))
        .join(Workspace, col(Workspace.id) == col(Project.workspace_id))
        .where(Workspace.owner_id == user_id)
    )
    return int(session.exec(query).one())
