"""Spend by provider and by model, shaped from the grouped sums of the usage records.

Pure and light (no SQLAlchemy, no tables): the services (spend.py) and the CLI's lean read
of `promptterm usage` (lean_reads.py) run the same grouped query their own way and shape its
rows here, so that the order, the totals and "unpriced is not $0" are written once.

A call whose model had no known price has ``cost_usd`` NULL: it is counted apart
(``unpriced_calls``) and a group of only such calls has no cost (None), never $0, so a bill
never looks smaller than it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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


def spend_report(start: datetime, end: datetime, rows: Iterable[Any]) -> SpendReport:
    """The report of [start, end) from its rows grouped by provider and model: (provider,
    model, calls, tokens in, tokens out, cost or None, unpriced calls, estimated calls)."""
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
        for provider, model, calls, tokens_in, tokens_out, cost, n_unpriced, n_estimated in rows
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
