"""Spend this period, by provider and by model, and day by day, from the usage records; and
the storage the user's file versions take.

A call whose model had no known price has ``cost_usd`` NULL: it is counted apart
(``unpriced_calls``) and a group of only such calls has no cost (None), never $0, so a bill
never looks smaller than it is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from promptterm.db.models import File, FileVersion, Project, UsageRecord, Workspace

UNKNOWN = "(unknown)"  # a record without a provider or model (none are written today)


@dataclass(frozen=True)
class ModelSpend:
    provider: str
    model: str
    calls: int
    tokens_in: int
    tokens_out: int
    cost_usd: Decimal | None  # None: every call was unpriced
    unpriced_calls: int
    estimated_calls: int = 0  # tokens counted by us, the provider reported none

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out


@dataclass(frozen=True)
class ProviderSpend:
    provider: str
    models: int
    calls: int
    tokens_in: int
    tokens_out: int
    cost_usd: Decimal | None
    unpriced_calls: int
    estimated_calls: int = 0

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out


@dataclass(frozen=True)
class SpendReport:
    period_start: datetime
    period_end: datetime
    by_provider: tuple[ProviderSpend, ...]  # dearest first
    by_model: tuple[ModelSpend, ...]  # dearest first
    calls: int
    tokens_in: int
    tokens_out: int
    cost_usd: Decimal  # the priced calls
    unpriced_calls: int
    estimated_calls: int = 0


@dataclass(frozen=True)
class DayUsage:
    day: date  # a UTC day
    tokens: int
    cost_usd: Decimal
    calls: int
    unpriced_calls: int


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
    models = [
        ModelSpend(
            provider=provider or UNKNOWN,
            model=model or UNKNOWN,
            calls=int(calls),
            tokens_in=int(tokens_in),
            tokens_out=int(tokens_out),
            cost_usd=None if cost is None else Decimal(cost),
            unpriced_calls=int(n_unpriced),
            estimated_calls=int(n_estimated),
        )
        for provider, model, calls, tokens_in, tokens_out, cost, n_unpriced, n_estimated in (
            session.exec(stmt)
        )
    ]
    models.sort(key=_dearest)
    providers = _by_provider(models)
    return SpendReport(
        period_start=start,
        period_end=end,
        by_provider=tuple(providers),
        by_model=tuple(models),
        calls=sum(m.calls for m in models),
        tokens_in=sum(m.tokens_in for m in models),
        tokens_out=sum(m.tokens_out for m in models),
        cost_usd=sum((m.cost_usd for m in models if m.cost_usd is not None), Decimal(0)),
        unpriced_calls=sum(m.unpriced_calls for m in models),
        estimated_calls=sum(m.estimated_calls for m in models),
    )


def _dearest(row: ModelSpend | ProviderSpend) -> tuple[Decimal, int, str]:
    name = row.provider + "/" + getattr(row, "model", "")
    return (-(row.cost_usd or Decimal(0)), -row.tokens, name)


def _by_provider(models: list[ModelSpend]) -> list[ProviderSpend]:
    groups: dict[str, list[ModelSpend]] = {}
    for m in models:
        groups.setdefault(m.provider, []).append(m)
    rows = []
    for provider, group in groups.items():
        costs = [m.cost_usd for m in group if m.cost_usd is not None]
        rows.append(
            ProviderSpend(
                provider=provider,
                models=len(group),
                calls=sum(m.calls for m in group),
                tokens_in=sum(m.tokens_in for m in group),
                tokens_out=sum(m.tokens_out for m in group),
                cost_usd=sum(costs, Decimal(0)) if costs else None,
                unpriced_calls=sum(m.unpriced_calls for m in group),
                estimated_calls=sum(m.estimated_calls for m in group),
            )
        )
    rows.sort(key=_dearest)
    return rows


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
