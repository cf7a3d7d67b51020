"""Billing figures shaped into what the services return, from rows and sums already read.

Pure and light (no SQLAlchemy, no tables): the services (service.py, budget.py) and the
CLI's lean read of `promptterm usage` (lean_reads.py) read the same sums their own way, then
both shape them here, so that the plan's limits, the budget's caps and their rounding are
written once. Rows are duck-typed: a model instance or a lean record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any

from promptterm.services.billing.models import BudgetStatus, PlanInfo, UsageLine, UsageSummary

if TYPE_CHECKING:
    from promptterm.config import Budget

MB = 1024 * 1024
CENT = Decimal("0.01")
# limit key -> (what it counts, in words)
LIMIT_LABELS = {
    "max_components": "components",
    "max_presets": "presets",
    "max_projects": "projects",
    "tokens_per_month": "tokens this month",
}
# The limits that count the user's items (limits.COUNTERS counts them), in the summary's order.
COUNTED = ("max_components", "max_presets", "max_projects")


@dataclass(frozen=True)
class UsageCounts:
    """What the summary measures against the plan, as read from the database."""

    tokens: int  # this month's (the plan's allowance is monthly)
    cost_usd: Decimal  # this period's priced calls
    unpriced_calls: int
    items: Mapping[str, int]  # by COUNTED key
    storage_bytes: int  # every stored file version, as the plan counts it
    files_bytes: int  # the files as they are now


def plan_info(plan: Any) -> PlanInfo:
    return PlanInfo(
        slug=plan.slug,
        name=plan.name,
        description=plan.description,
        price_monthly_cents=plan.price_monthly,
        price_yearly_cents=plan.price_yearly,
        limits=dict(plan.limits),
    )


def usage_summary(sub: Any, plan: Any, pending: Any | None, counts: UsageCounts) -> UsageSummary:
    """Plan, period and usage against every limit of the plan (``pending``: the plan a
    downgrade moves to at the period's end, or None)."""
    lines = [
        UsageLine(
            "tokens_per_month",
            LIMIT_LABELS["tokens_per_month"],
            counts.tokens,
            plan.limits.get("tokens_per_month"),
            "tokens",
        )
    ]
    for key in COUNTED:
        lines.append(UsageLine(key, LIMIT_LABELS[key], counts.items[key], plan.limits.get(key)))
    storage_mb = plan.limits.get("storage_mb")
    lines.append(
        UsageLine(
            "storage_mb",
            "storage",
            counts.storage_bytes,
            None if storage_mb is None else int(storage_mb) * MB,
            "bytes",
            counts.files_bytes,
        )
    )
    return UsageSummary(
        plan=plan_info(plan),
        status=sub.status,
        billing_interval=sub.billing_interval,
        period_start=sub.current_period_start,
        period_end=sub.current_period_end,
        cancel_at_period_end=sub.cancel_at_period_end,
        trial_end=sub.trial_end,
        lines=tuple(lines),
        pending_plan=pending.name if pending is not None else None,
        trial_start=sub.trial_start,
        cost_usd=counts.cost_usd,
        unpriced_calls=counts.unpriced_calls,
    )


def cents_up(amount: Decimal) -> int:
    """Whole cents, rounded up: what the screen shows is what the cap is checked against."""
    return int((amount / CENT).to_integral_value(ROUND_CEILING))


def budget_of(
    budget: Budget,
    plan: Any,
    window: tuple[datetime, datetime],
    usage: tuple[int, Decimal, int],
) -> BudgetStatus:
    """The caps and the use of them in ``window`` (the month): ``usage`` is its (tokens,
    USD of the priced calls, unpriced calls)."""
    tokens, spent, unpriced = usage
    lines = []
    if budget.monthly_tokens is not None:
        lines.append(
            UsageLine("monthly_tokens", "token budget", tokens, budget.monthly_tokens, "tokens")
        )
    if budget.monthly_spend_usd is not None:
        lines.append(
            UsageLine(
                "monthly_spend_usd",
                "spend budget",
                cents_up(spent),
                cents_up(budget.monthly_spend_usd),
                "cents",
            )
        )
    return BudgetStatus(
        budget=budget,
        window_start=window[0],
        window_end=window[1],
        tokens_used=tokens,
        spent_usd=spent,
        unpriced_calls=unpriced,
        plan_slug=plan.slug,
        plan_name=plan.name,
        plan_tokens=plan.limits.get("tokens_per_month"),
        lines=tuple(lines),
    )
