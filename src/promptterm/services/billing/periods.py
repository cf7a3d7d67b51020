"""Subscriptions and their billing periods, rolled forward lazily when a period ends."""

from __future__ import annotations

import calendar
import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from promptterm.db.models import Subscription, SubscriptionPlan
from promptterm.services.errors import NotFound


def add_months(moment: datetime, months: int) -> datetime:
    """Same day next month, clamped to the month's end (Jan 31 -> Feb 28)."""
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_months(interval: str) -> int:
    return 12 if interval == "yearly" else 1


def plan_by_slug(session: Session, slug: str) -> SubscriptionPlan:
    plan = session.exec(select(SubscriptionPlan).where(SubscriptionPlan.slug == slug)).first()
    if plan is None:
        slugs = select(SubscriptionPlan.slug).order_by(col(SubscriptionPlan.sort_order))
        names = ", ".join(session.exec(slugs).all()) or "none"
        raise NotFound(f"There is no plan called {slug!r}. Plans: {names}.")
    return plan


def ensure_subscription(session: Session, user_id: uuid.UUID, now: datetime) -> Subscription:
    """The user's subscription, created on the free plan if they have none."""
    sub = session.exec(select(Subscription).where(Subscription.user_id == user_id)).first()
    if sub is None:
        sub = _free_subscription(session, user_id, now)
        session.add(sub)
        session.flush()
    return sub


def _free_subscription(session: Session, user_id: uuid.UUID, now: datetime) -> Subscription:
    return Subscription(
        user_id=user_id,
        plan_id=plan_by_slug(session, "free").id,
        status="active",
        billing_interval="monthly",
        current_period_start=now,
        current_period_end=add_months(now, 1),
        created_at=now,
        updated_at=now,
    )


def roll_period(session: Session, sub: Subscription, now: datetime) -> Subscription:
    """Advance an ended period so that usage counts afresh; a no-op while it runs."""
    if _advance(session, sub, now):
        session.add(sub)
        session.flush()
    return sub


def _advance(session: Session, sub: Subscription, now: datetime) -> bool:
    """Move ``sub`` (in memory) to the period ``now`` falls in; whether it moved."""
    if now < sub.current_period_end:
        return False
    months = period_months(sub.billing_interval)
    start, end = sub.current_period_start, sub.current_period_end
    while end <= now:
        start, end = end, add_months(end, months)
    sub.current_period_start, sub.current_period_end = start, end
    if sub.cancel_at_period_end:
        # A cancelled paid plan ends at its period's end and falls back to free.
        sub.plan_id = plan_by_slug(session, "free").id
        sub.cancel_at_period_end = False
        sub.canceled_at = now
    sub.updated_at = now
    return True


def current_subscription(
    session: Session, user_id: uuid.UUID, now: datetime, *, persist: bool = True
) -> tuple[Subscription, SubscriptionPlan]:
    """The user's subscription in the period ``now`` falls in, and its plan.

    ``persist=False`` only reads: a missing subscription or an ended period is worked out in
    memory, never written. For someone else's plan (a workspace owner's, checked when a
    member adds a project or a file): in team mode only its owner may write that row, and
    their own next look at billing writes it. Also when the database is read-only."""
    if persist and not session.info.get("read_only"):
        sub = roll_period(session, ensure_subscription(session, user_id, now), now)
    else:
        stored = session.exec(select(Subscription).where(Subscription.user_id == user_id)).first()
        # A copy outside the session: advancing it must not be flushed as an UPDATE.
        sub = (
            Subscription(**stored.model_dump())
            if stored is not None
            else _free_subscription(session, user_id, now)
        )
        _advance(session, sub, now)
    plan = session.get(SubscriptionPlan, sub.plan_id)
    assert plan is not None  # plan_id is a RESTRICT foreign key
    return sub, plan


def month_window(sub: Subscription, now: datetime) -> tuple[datetime, datetime]:
    """The month of the current period that ``now`` falls in: the whole period when billed
    monthly, one of its twelve months when billed yearly. The plan's tokens and the budgets
    are monthly, so they count in this window, never in a longer period.

    Measured by the period's length, not by ``billing_interval``: a switch from yearly to
    monthly billing keeps the year already paid for, and its tokens still count by month."""
    start, end = sub.current_period_start, sub.current_period_end
    month_start, months = start, 0
    while month_start < end:
        months += 1
        month_end = min(add_months(start, months), end)  # from the start: no day drift
        if month_start <= now < month_end:
            return month_start, month_end
        month_start = month_end
    return start, end


def is_one_month(start: datetime, end: datetime) -> bool:
    """Whether [start, end) is a single month, so that month_window is the whole period."""
    return end <= add_months(start, 1)
