"""Plan and budget changes made from a stale screen are refused (StaleEdit), not applied over
a change made meanwhile in another window or by the CLI: the user chose against what they saw."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session

from promptterm.config import Budget, ConfigError, parse_spend_cap, parse_token_cap
from promptterm.db.models import Subscription, SubscriptionPlan
from promptterm.services.billing.models import UsageSummary
from promptterm.services.billing.periods import current_subscription
from promptterm.services.errors import refuse_stale


def subscription_as_seen(
    session: Session, user_id: uuid.UUID, now: datetime, expected: UsageSummary | None
) -> tuple[Subscription, SubscriptionPlan]:
    """The subscription to change; when ``expected`` is given, locked until the commit and
    refused if its plan, interval or cancellation is no longer the one the screen showed."""
    sub, plan = current_subscription(session, user_id, now)
    if expected is None:
        return sub, plan
    session.refresh(sub, with_for_update=True)
    plan = session.get(SubscriptionPlan, sub.plan_id) or plan
    later = session.get(SubscriptionPlan, sub.pending_plan_id) if sub.pending_plan_id else None
    pending = later.name if later is not None else None
    refuse_stale(
        "Your plan",
        _plan_fields(
            expected.plan.name,
            expected.billing_interval,
            expected.cancel_at_period_end,
            expected.pending_plan,
        ),
        _plan_fields(plan.name, sub.billing_interval, sub.cancel_at_period_end, pending),
        "The billing screen now shows your plan as it is; choose again if you still want to "
        "change it.",
    )
    return sub, plan


def refuse_stale_budget(expected: Budget, raw: dict[str, Any]) -> None:
    """``raw``: the config file's [budget] table as it is now."""
    try:
        spend = parse_spend_cap(raw.get("monthly_spend_usd"))
        tokens = parse_token_cap(raw.get("monthly_tokens"))
    except ConfigError:
        return  # a broken cap in the file: what the user typed replaces it
    refuse_stale(
        "Your monthly budget",
        {"spend cap": expected.monthly_spend_usd, "token cap": expected.monthly_tokens},
        {"spend cap": spend, "token cap": tokens},
        "What you typed is still here: compare it with the caps now in the config file "
        "(`promptterm billing budget`), then save again.",
    )


def _plan_fields(
    name: str, interval: str, cancelling: bool, pending: str | None
) -> dict[str, object]:
    return {
        "plan": name,
        "billing": interval,
        "cancellation": "at the period's end" if cancelling else None,
        "change at the period's end": pending,
    }
