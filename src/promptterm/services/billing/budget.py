"""The user's monthly budget: a spend cap and a token cap below the plan's, kept in the config
file (``[budget] monthly_spend_usd``, ``monthly_tokens``), counted per month of the period.

A send is stopped once a cap is used up (BudgetReached names the cap and how to raise it); a
finished send past 80% of a cap, or of the plan's tokens, carries a notice for the chat to
show. The spend cap counts priced calls only and does not stop a model that costs nothing
(a local server, a zero override): it caps money, not work.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from promptterm.config import Budget
from promptterm.db.models import Subscription, SubscriptionPlan, UsageRecord
from promptterm.services.billing.figures import budget_of, cents_up
from promptterm.services.billing.limits import tokens_used, way_up
from promptterm.services.billing.models import WARNING_AT, BudgetStatus, TokenMeter, UsageLine
from promptterm.services.billing.periods import current_subscription, is_one_month, month_window
from promptterm.services.billing.spend import _in_window
from promptterm.services.errors import BudgetReached
from promptterm.services.hints import CLI_HINTS, Hints


def window_usage(
    session: Session, user_id: uuid.UUID, start: datetime, end: datetime
) -> tuple[int, Decimal, int]:
    """(tokens, USD of the priced calls, unpriced calls) in [start, end), in one query."""
    tokens, cost, unpriced = session.exec(
        select(
            func.coalesce(func.sum(UsageRecord.amount), 0),
            func.coalesce(func.sum(UsageRecord.cost_usd), 0),
            func.count().filter(col(UsageRecord.cost_usd).is_(None)),
        ).where(*_in_window(user_id, start, end))
    ).one()
    return int(Decimal(tokens)), Decimal(cost), int(unpriced)


def usd_up(amount: Decimal) -> str:
    """ "$12.35" for 12.3401: the figure the cap is checked against."""
    return f"${Decimal(cents_up(amount)) / 100:,.2f}"


def budget_status(
    session: Session,
    user_id: uuid.UUID,
    now: datetime,
    budget: Budget,
    usage: tuple[int, Decimal, int] | None = None,
) -> BudgetStatus:
    """The caps and this month's use of them; ``usage``: the month's sums, if known."""
    sub, plan = current_subscription(session, user_id, now)
    start, end = month_window(sub, now)
    return budget_of(
        budget, plan, (start, end), usage or window_usage(session, user_id, start, end)
    )


def check_budget(
    status: BudgetStatus,
    wanted: int,
    costs_nothing: Callable[[], bool] | None = None,
    hints: Hints = CLI_HINTS,
) -> None:
    """BudgetReached when a cap is used up, or when ``wanted`` tokens would pass the token cap."""
    budget, until = status.budget, f"{status.window_end:%Y-%m-%d}"
    cap = budget.monthly_tokens
    if cap is not None:
        used = status.tokens_used
        if used >= cap:
            raise BudgetReached(
                f"You have used {used:,} of the {cap:,} tokens your monthly budget allows "
                f"(the month ends {until}). "
                f"{hints.say('raise_budget', flag='--tokens', value=_more(cap))}.",
                limit="monthly_tokens",
                plan=status.plan_slug,
            )
        if used + wanted > cap:
            raise BudgetReached(
                f"This message needs about {wanted:,} tokens and your monthly token budget has "
                f"{cap - used:,} of {cap:,} left (the month ends {until}). "
                f"{hints.say('raise_budget', flag='--tokens', value=_more(cap))}.",
                limit="monthly_tokens",
                plan=status.plan_slug,
            )
    spend = budget.monthly_spend_usd
    if spend is not None and cents_up(status.spent_usd) >= cents_up(spend):
        if costs_nothing is not None and costs_nothing():
            return
        raise BudgetReached(
            f"You have spent {usd_up(status.spent_usd)} of your {usd_up(spend)} monthly budget "
            f"(the month ends {until}). "
            f"{hints.say('raise_budget', flag='--spend', value=_more(math.ceil(spend)))}; "
            "a model that costs nothing "
            "(a local server) still works.",
            limit="monthly_spend_usd",
            plan=status.plan_slug,
        )


def _more(cap: int) -> int:
    """A suggestion for a raised cap: double, in round figures."""
    doubled = cap * 2
    step = 10 ** max(0, len(str(doubled)) - 2)
    return int(math.ceil(doubled / step) * step)


def budget_notice(
    status: BudgetStatus,
    plan_line: UsageLine,
    extra_tokens: int,
    extra_cost: Decimal | None,
    hints: Hints = CLI_HINTS,
) -> dict[str, Any] | None:
    """A warning for the chat once this call takes a cap (or the plan's tokens) past 80%:
    {"state": "warning" | "full", "limit": key, "message": words}, or None."""
    tokens = status.tokens_used + extra_tokens
    spent = status.spent_usd + (extra_cost or Decimal(0))
    budget = status.budget
    candidates: list[tuple[float, str, str]] = []
    if budget.monthly_tokens:
        share = tokens / budget.monthly_tokens
        candidates.append(
            (
                share,
                "monthly_tokens",
                f"{tokens:,} of the {budget.monthly_tokens:,} tokens of your monthly budget",
            )
        )
    if budget.monthly_spend_usd:
        share = float(cents_up(spent)) / cents_up(budget.monthly_spend_usd)
        candidates.append(
            (
                share,
                "monthly_spend_usd",
                f"{usd_up(spent)} of your {usd_up(budget.monthly_spend_usd)} monthly budget",
            )
        )
    if plan_line.limit:
        used = plan_line.used + extra_tokens
        candidates.append(
            (
                used / plan_line.limit,
                "tokens_per_month",
                f"{used:,} of the {plan_line.limit:,} tokens the {status.plan_name} plan gives "
                "each month",
            )
        )
    if not candidates:
        return None
    share, key, what = max(candidates)
    if share < WARNING_AT:
        return None
    state = "full" if share >= 1 else "warning"
    if key == "tokens_per_month":
        how = way_up(status.plan_slug, "wait for your tokens to renew", hints)
    else:
        flag = "--tokens" if key == "monthly_tokens" else "--spend"
        how = f"{hints.say('raise_budget', flag=flag, value='N')}."
    lead = "You have now used" if state == "full" else f"{math.floor(share * 100)}% used:"
    message = (
        f"{lead} {what}. " + ("The next message will be refused. " if state == "full" else "") + how
    )
    return {"state": state, "limit": key, "message": message}


def token_meter(session: Session, user_id: uuid.UUID, now: datetime, budget: Budget) -> TokenMeter:
    """The status line's meter: tokens this month against the plan's or the budget's limit.

    One statement while a monthly period runs (the common case): the subscription, its plan
    and the period's token sum together. That sum is the month's only when the period is
    one month long; a yearly period takes the longer way, counting its current month."""
    used_in_period = (
        select(func.coalesce(func.sum(UsageRecord.amount), 0))
        .where(
            UsageRecord.user_id == Subscription.user_id,
            UsageRecord.resource_type == "ai_tokens",
            col(UsageRecord.recorded_at) >= Subscription.current_period_start,
            col(UsageRecord.recorded_at) < Subscription.current_period_end,
        )
        .scalar_subquery()
    )
    row = session.exec(
        select(
            Subscription.current_period_start,
            Subscription.current_period_end,
            SubscriptionPlan.name,
            SubscriptionPlan.limits,
            used_in_period,
        )
        .join(SubscriptionPlan, col(SubscriptionPlan.id) == col(Subscription.plan_id))
        .where(Subscription.user_id == user_id)
    ).first()
    if row is not None and row[0] <= now < row[1] and is_one_month(row[0], row[1]):
        _, _, plan_name, limits, used = row
        used = int(Decimal(used))
    else:
        # A new user, a period to roll forward, or a yearly period: count its month.
        sub, plan = current_subscription(session, user_id, now)
        plan_name, limits = plan.name, plan.limits
        used = tokens_used(session, user_id, *month_window(sub, now))
    plan_limit = limits.get("tokens_per_month")
    cap = budget.monthly_tokens
    if cap is not None and (plan_limit is None or cap < plan_limit):
        return TokenMeter(used, cap, "budget", plan_name)
    return TokenMeter(used, plan_limit, "plan", plan_name)
