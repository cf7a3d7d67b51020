"""The board's rules: which statuses, priorities and kinds exist, how long each field may be,
and the checks that refuse bad input with a message naming the field and its limit."""

from __future__ import annotations

from promptterm.db.vocab import PLAN_KINDS, PLAN_PRIORITIES, PLAN_STATUSES
from promptterm.services.errors import ValidationError
from promptterm.services.validation import clean_name, optional_text, plain

# Seed 004 gives the fields, not their lengths: these are ours, and the edit form shows
# each one at its field.
LIMITS = {"name": 200, "description": 5000, "bug_url": 2048, "screenshot_url": 2048}

STATUS_WORDS = {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}
LABELS = {
    "name": "Title",
    "description": "Description",
    "bug_url": "Bug URL",
    "screenshot_url": "Screenshot URL",
}


def check_kind(kind: str) -> str:
    return _one_of(kind, "kind", "Kind", PLAN_KINDS)


def check_status(status: str) -> str:
    return _one_of(status, "status", "Status", PLAN_STATUSES)


def check_priority(priority: str) -> str:
    return _one_of(priority, "priority", "Priority", PLAN_PRIORITIES)


def _one_of(value: str, field: str, label: str, options: tuple[str, ...]) -> str:
    text = (value or "").strip().lower()
    if text.replace("_", "-") == "not-prioritized":
        text = "not-prioritized"
    elif field == "status":
        text = text.replace("-", "_").replace(" ", "_")
    if text not in options:
        raise ValidationError(
            f"{label} {value!r} is not one of ours; use one of: {', '.join(options)}.", field
        )
    return text


def check_name(name: str | None) -> str:
    return clean_name(name, "name", label=LABELS["name"], max_len=LIMITS["name"])


def check_description(description: str | None) -> str | None:
    return optional_text(
        description, "description", label=LABELS["description"], max_len=LIMITS["description"]
    )


def check_url(value: str | None, field: str) -> str | None:
    url = optional_text(value, field, label=LABELS[field], max_len=LIMITS[field])
    if url is None:
        return None
    plain(url, field, LABELS[field])
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationError(
            f"{LABELS[field]} must start with http:// or https://; got {url[:40]!r}.", field
        )
    return url
