"""What a plan change costs and when it takes effect (issue 18, item 8).

- An upgrade applies at once; the rest of the period at the new price, less what the rest of
  it at the old price already cost, goes onto the open statement as a proration line.
- A downgrade waits for the period's end (the pending plan), unless the user chooses now:
  then it applies at once and nothing is refunded.
- The first upgrade to a plan with ``trial_period_days`` starts its trial: no fee until it
  ends; a trial is given once.
- In team mode an owner or admin of a workspace someone belongs to may change their plan;
  nobody else may (migration 0021 says the same to raw SQL).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from promptterm.db.models import Subscription, SubscriptionPlan, User, WorkspaceMember
from promptterm.services.billing.periods import add_months, fee_text, plan_price, share
from promptterm.services.billing.statements import add_charge
from promptterm.services.errors import Forbidden

MANAGERS = ("owner", "admin")


@dataclass(frozen=True)
class ChangeOutcome:
    applied: bool  # False: waits for the period's end
    prorated_cents: int
    trial_end: datetime | None


def remaining_fee(
    plan: SubscriptionPlan, interval: str, sub: Subscription, end: datetime, now: datetime
) -> int:
    """What the part of the period from ``now`` to ``end`` costs on ``plan``: trial days free."""
    start = sub.current_period_start
    paid_from = max(now, sub.trial_end) if sub.trial_end is not None else now
    return share(plan_price(plan, interval), max(end - paid_from, timedelta(0)), end - start)


def change_plan(
    session: Session,
    sub: Subscription,
    current: SubscriptionPlan,
    target: SubscriptionPlan,
    interval: str,
    now: datetime,
    *,
    at_period_end: bool | None,
) -> ChangeOutcome:
    """Change ``sub`` (a row in ``session``) to ``target``; ``at_period_end`` None: a
    downgrade waits for the period's end, anything else applies now."""
    downgrade = target.sort_order < current.sort_order
    wait = downgrade if at_period_end is None else at_period_end
    if wait and target.id != current.id:
        sub.pending_plan_id = target.id
        sub.cancel_at_period_end = False
        sub.updated_at = now
        session.add(sub)
        return ChangeOutcome(False, 0, sub.trial_end)
    old_end = sub.current_period_end
    before = remaining_fee(current, sub.billing_interval, sub, old_end, now)
    first_paid = plan_price(current, sub.billing_interval) == 0 and sub.trial_start is None
    if first_paid and target.trial_period_days and plan_price(target, interval) > 0:
        sub.trial_start = now
        sub.trial_end = now + timedelta(days=target.trial_period_days)
        sub.status = "trialing"
    elif plan_price(target, interval) == 0 and sub.status == "trialing":
        sub.status, sub.trial_end = "active", now  # leaving a trial for free ends it
    sub.plan_id = target.id
    sub.billing_interval = interval
    sub.pending_plan_id = None
    sub.cancel_at_period_end = False
    if interval == "yearly" and sub.current_period_end < add_months(sub.current_period_start, 12):
        sub.current_period_end = add_months(sub.current_period_start, 12)
    sub.updated_at = now
    session.add(sub)
    session.flush()
    after = remaining_fee(target, interval, sub, sub.current_period_end, now)
    # Never a refund: a downgrade chosen now gives back nothing of what was paid.
    prorated = max(after - before, 0)
    if prorated:
        text = f"{fee_text(target, sub)} from {now:%Y-%m-%d} (prorated)"
        add_charge(session, sub.user_id, "proration", text, prorated, now)
    return ChangeOutcome(True, prorated, sub.trial_end)


def _manages(session: Session, actor: uuid.UUID, member: uuid.UUID) -> bool:
    mine, theirs = aliased(WorkspaceMember), aliased(WorkspaceMember)
    shared = session.exec(
        select(mine.id)
        .join(theirs, col(theirs.workspace_id) == col(mine.workspace_id))
        .where(
            col(mine.user_id) == actor,
            col(mine.role).in_(MANAGERS),
            col(theirs.user_id) == member,
        )
    ).first()
    return shared is not None


def check_billing_admin(session: Session, actor: uuid.UUID, member: uuid.UUID) -> None:
    """Forbidden unless ``actor`` owns or administers a workspace ``member`` belongs to (a
    payment made outside is recorded by them, as promptterm_record_payment checks)."""
    if not _manages(session, actor, member):
        raise Forbidden(
            "Only a workspace owner or admin records a payment made outside promptterm, and "
            "only for a member of their workspace."
        )


def check_manages(session: Session, actor: uuid.UUID, member: uuid.UUID) -> None:
    """Forbidden unless ``actor`` is ``member`` or an owner or admin of a workspace of theirs."""
    if actor != member and not _manages(session, actor, member):
        who = session.get(User, member)
        name = who.display_name if who is not None else "that person"
        raise Forbidden(
            f"Only an owner or admin of a workspace {name} belongs to can change their plan; "
            "ask one of them."
        )
