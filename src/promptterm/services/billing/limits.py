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
from promptterm.services.billing.figures import LIMIT_LABELS as LIMIT_LABELS
from promptterm.services.billing.format import size
from promptterm.services.billing.periods import current_subscription, month_window
from promptterm.services.billing.spend import storage_used
from promptterm.services.errors import LimitReached
from promptterm.services.hints import CLI_HINTS, Hints

# The plan one step up from each (the seeded plans, migration 0002); the top one has none.
NEXT_PLAN = {"free": "pro", "pro": "business"}
# Deleting a file keeps its history (the trash), so only deleting a project frees space.
FREE_SPACE = "delete a project you no longer need (a file in the trash keeps its history)"
MB = 1024 * 1024


def way_up(plan_slug: str, instead: str, hints: Hints = CLI_HINTS) -> str:
    """How to the next plan (in the caller's words), or else ``instead``; only ``instead``
    on the top plan."""
    step = NEXT_PLAN.get(plan_slug)
    if step is None:
        return f"{instead[0].upper()}{instead[1:]}."
    return f"Upgrade {hints.say('upgrade', plan=step, name=step.capitalize())}, or {instead}."


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


def check_room_for(
    session: Session, user_id: uuid.UUID, limit: str, now: datetime, hints: Hints = CLI_HINTS
) -> None:
    """Raise LimitReached if the user's plan allows no more of what ``limit`` counts.
    Only reads: ``user_id`` may be someone else (the owner of a member's workspace)."""
    _, plan = current_subscription(session, user_id, now, persist=False)
    allowed = plan.limits.get(limit)
    if allowed is None:
        return
    used = COUNTERS[limit](session, user_id)
    if used >= allowed:
        what = LIMIT_LABELS[limit]
        raise LimitReached(
            f"The {plan.name} plan allows {allowed} {what} and you have {used}. "
            + way_up(plan.slug, "delete some you no longer use", hints),
            limit=limit,
            plan=plan.slug,
        )


def check_tokens(
    session: Session, user_id: uuid.UUID, now: datetime, wanted: int = 0, hints: Hints = CLI_HINTS
) -> int:
    """Tokens left this month; LimitReached once the monthly allowance is used up.

    Counted in the month of the period (month_window): a yearly plan gives its allowance
    every month, so a year's use must not be held against one month's tokens."""
    sub, plan = current_subscription(session, user_id, now)
    allowed = plan.limits.get("tokens_per_month")
    if allowed is None:
        return 2**62
    start, renews = month_window(sub, now)
    used = tokens_used(session, user_id, start, renews)
    if used >= allowed or used + wanted > allowed:
        said = (
            f"You have used {used:,} of the {allowed:,} tokens the {plan.name} plan gives each "
            f"month; it renews on {renews:%Y-%m-%d}. "
        )
        if used < allowed:
            # Not used up: it is this message that does not fit, so say how big it is.
            said = (
                f"This message needs about {wanted:,} tokens and the {plan.name} plan has "
                f"{allowed - used:,} of its {allowed:,} tokens left this month; it renews on "
                f"{renews:%Y-%m-%d}. "
            )
        raise LimitReached(
            said + way_up(plan.slug, "wait for it to renew", hints),
            limit="tokens_per_month",
            plan=plan.slug,
        )
    return allowed - used


def workspace_owner(session: Session, project_id: uuid.UUID) -> uuid.UUID:
    """Whose plan a project's files count against: its workspace owner's, as for projects."""
    query = (
        select(Workspace.owner_id)
        .join(Project, col(Project.workspace_id) == col(Workspace.id))
        .where(Project.id == project_id)
    )
    return session.exec(query).one()


def check_storage(
    session: Session,
    user_id: uuid.UUID,
    now: datetime,
    adding_bytes: int,
    hints: Hints = CLI_HINTS,
) -> None:
    """LimitReached if ``adding_bytes`` more would take the user's stored file versions past
    the plan's ``storage_mb``.

    Run for what the user adds on purpose: a save, a new file with text, a restore, a folder
    import. Not for changes that arrive from disk (the watcher, a rescan: files/disk/sync.py
    and reconcile.py store them without asking): refusing those would lose track of the user's
    edits, so they are kept even past the limit and the next save here is refused instead.
    A downgrade deletes nothing; it only stops what is added after it. Only reads: the
    user may be someone else (the owner of a member's workspace).
    """
    _, plan = current_subscription(session, user_id, now, persist=False)
    allowed_mb = plan.limits.get("storage_mb")
    if allowed_mb is None:
        return
    used = storage_used(session, user_id)  # one aggregate over the owner's file versions
    if used + adding_bytes > int(allowed_mb) * MB:
        raise LimitReached(
            f"The {plan.name} plan allows {int(allowed_mb):,} MB of storage and your files take "
            f"{size(used)}; this needs {size(adding_bytes)} more. "
            + way_up(plan.slug, FREE_SPACE, hints),
            limit="storage_mb",
            plan=plan.slug,
        )


def check_project_storage(
    session: Session,
    project_id: uuid.UUID,
    now: datetime,
    adding_bytes: int,
    hints: Hints = CLI_HINTS,
) -> None:
    """check_storage against the plan of the project's workspace owner."""
    check_storage(session, workspace_owner(session, project_id), now, adding_bytes, hints)
