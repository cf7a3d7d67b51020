"""The card's edit form: every field, each with its limit, checked by the service, which
names the field it refuses so the form shows the reason there."""

from __future__ import annotations

from typing import Any

from promptterm.db.vocab import PLAN_PRIORITIES, PLAN_STATUSES
from promptterm.services.plan import LIMITS, PlanCard
from promptterm.ui.common.dialogs.fields import Field


def card_fields(card: PlanCard) -> list[Field]:
    fields = [
        Field("name", "Title", card.name, placeholder=f"up to {LIMITS['name']} characters"),
        Field("status", "Status", card.status, choices=PLAN_STATUSES),
        Field("priority", "Priority", card.priority, choices=PLAN_PRIORITIES),
        Field(
            "description",
            "Description",
            card.description or "",
            placeholder=f"up to {LIMITS['description']:,} characters",
        ),
    ]
    if card.kind == "bug":
        fields += [
            Field("bug_url", "Bug URL", card.bug_url or "", placeholder="https://…"),
            Field(
                "screenshot_url", "Screenshot", card.screenshot_url or "", placeholder="https://…"
            ),
        ]
    return fields


def seen_of(card: PlanCard) -> dict[str, Any]:
    """What the form showed, by field: the service refuses a save over a change to any."""
    return {f.name: getattr(card, f.name) for f in card_fields(card)}


def changes_from(card: PlanCard, values: dict[str, str]) -> dict[str, Any]:
    """Only what the user changed (a blank optional field clears it)."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        before = getattr(card, name) or ""
        if value != before:
            optional = name not in ("name", "status", "priority")
            changes[name] = (value or None) if optional else value
    return changes
