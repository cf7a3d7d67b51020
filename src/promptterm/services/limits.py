"""Plan limits (seed 003 PLAN_LIMITS): checked before anything counted by the plan is created."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from promptterm.db.models import (
    Component,
    Preset,
    Project,
    UsageRecord,
    Workspace,
)
from promptterm.services.billing_periods import current_subscription
from promptterm.services.errors import LimitReached

# limit key -> (what it counts, in words)
LIMIT_LABELS = {
    "max_components": "components",
    "max_presets": "presets",
    "max_projects": "projects",
    "tokens_per_month": "tokens this month",
}
UPGRADE_HINT = "Upgrade with `promptterm billing plan set pro`, or delete some you no longer use."


def count_components(session: Session, user_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(Component).where(Component.user_id == user_id)
    return session.exec(query).one()


def count_presets(session: Session, user_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(Preset).where(Preset.user_id == user_id)
    return session.exec(query).one()


def count_owned_projects(session: Session, user_id: uuid.UUID) -> int:
    query = (
        select(func.count())
        .select_from(Project)
        .join(Workspace, col(Workspace.id) == col(Project.workspace_id))
        .where(Workspace.owner_id == user_id)
    )
    return session.exec(query).one()


def tokens_used(session: Session, user_id: uuid.UUID, start: datetime, end: datetime) -> int:
    query = select(func.coalesce(func.sum(UsageRecord.amount), 0)).where(
        UsageRecord.user_id == user_id,
        UsageRecord.resource_type == "ai_tokens",
        col(UsageRecord.recorded_at) >= start,
        col(UsageRecord.recorded_at) < end,
    )
    return int(Decimal(session.exec(query).one()))


COUNTERS = {
    "max_components": count_components,
    "max_presets": count_presets,
    "max_projects": count_owned_projects,
}


def check_room_for(session: Session, user_id: uuid.UUID, limit: str, now: datetime) -> None:
    """Raise LimitReached if the user's plan allows no more of what ``limit`` counts."""
    _, plan = current_subscription(session, user_id, now)
    allowed = plan.limits.get(limit)
    if allowed is None:
        return
    used = COUNTERS[limit](session, user_id)
    if used >= allowed:
        what = LIMIT_LABELS[limit]
        raise LimitReached(
            f"The {plan.name} plan allows {allowed} {what} and you have {used}. {UPGRADE_HINT}",
            limit=limit,
            plan=plan.slug,
        )


def check_tokens(session: Session, user_id: uuid.UUID, now: datetime, wanted: int = 0) -> int:
    """Tokens left this period; LimitReached once the monthly allowance is used up."""
    sub, plan = current_subscription(session, user_id, now)
    allowed = plan.limits.get("tokens_per_month")
    if allowed is None:
        return 2**62
    used = tokens_used(session, user_id, sub.current_period_start, sub.current_period_end)
    if used >= allowed or used + wanted > allowed:
        raise LimitReached(
            f"You have used {used:,} of the {allowed:,} tokens the {plan.name} plan gives each "
            f"month; it renews on {sub.current_period_end:%Y-%m-%d}. Upgrade with "
            "`promptterm billing plan set pro` to keep chatting now.",
            limit="tokens_per_month",
            plan=plan.slug,
        )
    return allowed - used
