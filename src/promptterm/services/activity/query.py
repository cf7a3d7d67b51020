"""Filters as people type them: ``--since 7d`` in the CLI, and the log view's one-line filter
``kind:api provider:openai status:429 since:2d until:2026-01-10 timeout``, where words
without a ``name:`` are text to find."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from promptterm.services.activity.model import ActivityFilter
from promptterm.services.errors import ValidationError

_AGE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
FIELDS = ("kind", "provider", "model", "status", "since", "until")


def parse_when(text: str, now: datetime, what: str = "since") -> datetime:
    """A date or time (UTC unless it says otherwise), or an age before ``now``: 30m, 12h, 7d."""
    age = _AGE.match(text)
    if age:
        return now - timedelta(**{_UNITS[age.group(2)]: int(age.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"{what} {text!r} is neither a date (2026-01-15), a time (2026-01-15T09:30) "
            "nor an age (30m, 12h, 7d, 2w).",
            what,
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_filter(text: str, now: datetime) -> ActivityFilter:
    """The log view's filter line as an ActivityFilter; unknown ``name:`` words are text."""
    values: dict[str, str] = {}
    words: list[str] = []
    for word in text.split():
        name, sep, value = word.partition(":")
        if sep and name.lower() in FIELDS and value:
            values[name.lower()] = value
        else:
            words.append(word)
    kind = values.get("kind")
    if kind is not None and kind not in ("api", "error"):
        raise ValidationError("kind: is api or error.", "kind")
    return ActivityFilter(
        kind=kind,
        provider=values.get("provider"),
        model=values.get("model"),
        status=values.get("status"),
        text=" ".join(words) or None,
        since=parse_when(values["since"], now, "since:") if "since" in values else None,
        until=parse_when(values["until"], now, "until:") if "until" in values else None,
    )
