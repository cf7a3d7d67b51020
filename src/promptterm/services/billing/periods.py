"""Subscriptions and their billing periods, rolled forward lazily when a period ends."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, col, select

from promptterm.db.models import Subscription, SubscriptionPlan
from promptterm.services.billing.period_dates import add_months as add_months
from promptterm.services.billing.period_dates import is_one_month as is_one_month
from promptterm.services.billing.period_dates import month_window as month_window
from promptterm.services.billing.period_dates import period_months, trial_over
from promptterm.services.errors import NotFound


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
    """Close every ended period (its statement is written) and open the one ``now`` falls
    in, with its plan fee on it; a trial that has run out turns active. A no-op while the
    period runs."""
    from promptterm.services.billing.statements import add_charge, close_statement

    if sub.current_period_end <= now and session.get_bind().dialect.name == "postgresql":
        # Two processes closing the same period: the second waits here, then sees it closed.
        session.refresh(sub, with_for_update=True)
    moved = _end_trial(sub, now)
    while sub.current_period_end <= now:
        start, end = sub.current_period_start, sub.current_period_end
        _step(session, sub, now)
        session.add(sub)
        session.flush()  # the statement's writer checks that the period is over
        close_statement(session, sub.user_id, sub.id, start, end, now)
        plan = session.get(SubscriptionPlan, sub.plan_id)
        assert plan is not None
        fee = period_fee(plan, sub, sub.current_period_start, sub.current_period_end)
        if fee:
            add_charge(session, sub.user_id, "plan_fee", fee_text(plan, sub), fee, end)
        moved = True
    if moved:
        session.add(sub)
        session.flush()
    return sub


def plan_price(plan: SubscriptionPlan, interval: str) -> int:
    return plan.price_yearly if interval == "yearly" else plan.price_monthly


def fee_text(plan: SubscriptionPlan, sub: Subscription) -> str:
    return f"{plan.name} plan, {sub.billing_interval}"


def period_fee(plan: SubscriptionPlan, sub: Subscription, start: datetime, end: datetime) -> int:
    """The plan's fee for [start, end); a trial running into it takes its share off."""
    price = plan_price(plan, sub.billing_interval)
    if sub.trial_end is None or sub.trial_end <= start:
        return price
    return share(price, max(end - sub.trial_end, timedelta(0)), end - start)


def share(cents: int, part: timedelta, whole: timedelta) -> int:
    """``cents`` * part / whole, rounded half up to a cent."""
    if whole <= timedelta(0):
        return 0
    exact = Decimal(cents) * Decimal(part.total_seconds()) / Decimal(whole.total_seconds())
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _end_trial(sub: Subscription, now: datetime) -> bool:
    if trial_over(sub, now):
        sub.status = "active"
        sub.updated_at = now
        return True
    return False


def _step(session: Session, sub: Subscription, now: datetime) -> None:
    """Move ``sub`` (in memory) one period on, applying what waited for the period's end."""
    start = sub.current_period_end
    sub.current_period_start = start
    sub.current_period_end = add_months(start, period_months(sub.billing_interval))
    if sub.cancel_at_period_end:
        # A cancelled paid plan ends at its period's end and falls back to free.
        sub.plan_id = plan_by_slug(session, "free").id
        sub.cancel_at_period_end = False
        sub.canceled_at = now
    if sub.pending_plan_id is not None:
        sub.plan_id, sub.pending_plan_id = sub.pending_plan_id, None
    sub.updated_at = now


def _advance(session: Session, sub: Subscription, now: datetime) -> bool:
    """Move ``sub`` (in memory) to the period ``now`` falls in; whether it moved."""
    moved = _end_trial(sub, now)
    while sub.current_period_end <= now:
        _step(session, sub, now)
        moved = True
    return moved


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
