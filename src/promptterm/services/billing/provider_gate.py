"""Which providers a plan sends to (seed 003 ``providers``): Free only OpenAI-compatible ones
(local servers included), Pro and Business Anthropic too."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from promptterm.db.models import SubscriptionPlan
from promptterm.services.billing.periods import current_subscription
from promptterm.services.errors import LimitReached
from promptterm.services.hints import CLI_HINTS, Hints

# A provider entry's kind, as the plans name its family.
FAMILIES = {"openai-compatible": "openai", "anthropic": "anthropic"}
FAMILY_NAMES = {"openai": "OpenAI-compatible", "anthropic": "Anthropic"}


def check_provider(
    session: Session,
    user_id: uuid.UUID,
    now: datetime,
    kind: str,
    name: str,
    hints: Hints = CLI_HINTS,
) -> None:
    """LimitReached when the plan does not send to a provider of ``kind``; it names the
    cheapest plan that does."""
    _, plan = current_subscription(session, user_id, now, persist=False)
    allowed = plan.limits.get("providers")
    family = FAMILIES.get(kind, kind)
    if allowed is None or family in allowed:
        return
    plans = session.exec(
        select(SubscriptionPlan)
        .where(col(SubscriptionPlan.is_active).is_(True))
        .order_by(col(SubscriptionPlan.sort_order))
    ).all()
    better = next((p for p in plans if family in (p.limits.get("providers") or [family])), None)
    kinds = " and ".join(FAMILY_NAMES.get(f, f) for f in allowed)
    said = (
        f"The {plan.name} plan sends to {kinds} providers only (local servers included); "
        f"{name!r} is an {FAMILY_NAMES.get(family, family)} provider. "
    )
    if better is None:
        raise LimitReached(said + "Choose another provider.", "providers", plan.slug)
    way = hints.say("upgrade", plan=better.slug, name=better.name)
    raise LimitReached(
        said + f"The {better.name} plan allows it: upgrade {way}, or choose another provider.",
        "providers",
        plan.slug,
    )
