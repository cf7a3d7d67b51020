"""`promptterm usage` and `billing status` on the lean path (db/lean.py): the same sums the
services read (the SQL SQLAlchemy compiles for SQLite, written out), shaped by the same
pure functions (figures.py, spend_report.py), for a command that must answer in a blink.

What the services would write before answering is left to them (``Declined``): a period
that has ended (closing it writes its statement and opens the next) or a trial that has run
out (the subscription turns active). So is anything that does not read as expected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from promptterm.db.lean import Declined, LeanRead, key, stored
from promptterm.db.lean_rows import columns, count, records
from promptterm.services.billing.figures import (
    UsageCounts,
    budget_of,
    usage_summary,
)
from promptterm.services.billing.models import BudgetStatus, UsageSummary
from promptterm.services.billing.period_dates import month_window, needs_rolling
from promptterm.services.billing.spend_report import SpendReport, spend_report

if TYPE_CHECKING:
    from promptterm.config import Budget

# The WHERE of spend.py's _in_window, in the order of the (user_id, resource_type,
# recorded_at) index.
_IN_WINDOW = (
    " FROM usage_records WHERE usage_records.user_id = ? AND usage_records.resource_type = ?"
    " AND usage_records.recorded_at >= ? AND usage_records.recorded_at < ?"
)
_UNPRICED = "count(*) FILTER (WHERE usage_records.cost_usd IS NULL)"
_ESTIMATED = "count(*) FILTER (WHERE CAST(JSON_EXTRACT(usage_records.meta, ?) AS BOOLEAN) IS 1)"
_OWN_PROJECTS = (
    " JOIN workspaces ON workspaces.id = projects.workspace_id WHERE workspaces.owner_id = ?"
)
_OWN_FILES = (
    " JOIN projects ON projects.id = files.project_id"
    " JOIN workspaces ON workspaces.id = projects.workspace_id WHERE workspaces.owner_id = ?"
)


def lean_status(
    read: LeanRead, now: datetime, budget: Budget
) -> tuple[UsageSummary, BudgetStatus, SpendReport]:
    """As ``BillingService.overview()``'s summary, budget and spend at ``now``, ``budget``
    being the config's caps (``BillingService.budget_settings()``)."""
    subs = records(read, "subscriptions", {"user_id": read.user_id})
    if len(subs) != 1:
        raise Declined("no single subscription")  # the services make or pick one
    sub = subs[0]
    if needs_rolling(sub, now):
        raise Declined("the period rolls forward first, a write")
    plan = _plan(read, sub.plan_id)
    pending = _plan(read, sub.pending_plan_id) if sub.pending_plan_id else None
    decimal = _decimals(read)
    period = (sub.current_period_start, sub.current_period_end)
    tokens, cost, unpriced = _window_usage(read, decimal, *period)
    month = month_window(sub, now)
    if month != period:
        # Billed yearly: the plan's tokens (and the budget) count this month of the period.
        month_usage = _window_usage(read, decimal, *month)
        tokens = month_usage[0]
    else:
        month_usage = (tokens, cost, unpriced)
    counts = UsageCounts(
        tokens=tokens,
        cost_usd=cost,
        unpriced_calls=unpriced,
        items={
            "max_components": count(read, "components", {"user_id": read.user_id}),
            "max_presets": count(read, "presets", {"user_id": read.user_id}),
            "max_projects": _number(read, "SELECT count(*) FROM projects" + _OWN_PROJECTS),
        },
        storage_bytes=_number(
            read,
            "SELECT coalesce(sum(length(file_versions.payload)), 0) FROM file_versions"
            " JOIN files ON files.id = file_versions.file_id" + _OWN_FILES,
        ),
        files_bytes=_number(
            read,
            "SELECT coalesce(sum(files.size_bytes), 0) FROM files"
            + _OWN_FILES
            + " AND files.type = 'file' AND files.is_deleted IS 0",
        ),
    )
    summary = usage_summary(sub, plan, pending, counts)
    return (
        summary,
        budget_of(budget, plan, month, month_usage),
        spend_report(*period, _spend_rows(read, decimal, *period)),
    )


def _plan(read: LeanRead, plan_id: Any) -> Any:
    found = records(read, "subscription_plans", {"id": plan_id})
    if not found:
        raise Declined("no such plan")
    return found[0]


def _decimals(read: LeanRead) -> dict[str, Callable[[Any], Any]]:
    """How SQLAlchemy hands back the NUMERIC sums (a Decimal of the column's scale)."""
    decode = columns(read, "usage_records")
    found = {name: decode.get(name) for name in ("amount", "cost_usd")}
    if any(how is None for how in found.values()):
        raise Declined("usage_records is not as the models declare it")
    return {name: how for name, how in found.items() if how is not None}


def _window(read: LeanRead, start: datetime, end: datetime) -> tuple[object, ...]:
    return (key(read.user_id), "ai_tokens", stored(start), stored(end))


def _window_usage(
    read: LeanRead, decimal: dict[str, Callable[[Any], Any]], start: datetime, end: datetime
) -> tuple[int, Decimal, int]:
    """As budget.window_usage: (tokens, USD of the priced calls, unpriced calls)."""
    row = read.one(
        "SELECT coalesce(sum(usage_records.amount), ?), coalesce(sum(usage_records.cost_usd), ?),"
        f" {_UNPRICED}" + _IN_WINDOW,
        0,
        0,
        *_window(read, start, end),
    )
    assert row is not None  # an aggregate always gives a row
    return int(decimal["amount"](row[0])), decimal["cost_usd"](row[1]), int(row[2])


def _spend_rows(
    read: LeanRead, decimal: dict[str, Callable[[Any], Any]], start: datetime, end: datetime
) -> list[tuple[Any, ...]]:
    """As spend.spend_in's grouped query."""
    rows = read.rows(
        "SELECT usage_records.provider, usage_records.model, count(*),"
        " coalesce(sum(usage_records.tokens_in), ?), coalesce(sum(usage_records.tokens_out), ?),"
        f" sum(usage_records.cost_usd), {_UNPRICED}, {_ESTIMATED}"
        + _IN_WINDOW
        + " GROUP BY usage_records.provider, usage_records.model",
        0,
        0,
        '$."estimated"',
        *_window(read, start, end),
    )
    cost = decimal["cost_usd"]
    return [(*r[:5], None if r[5] is None else cost(r[5]), *r[6:]) for r in rows]


def _number(read: LeanRead, sql: str) -> int:
    row = read.one(sql, key(read.user_id))
    return int(row[0]) if row is not None else 0
