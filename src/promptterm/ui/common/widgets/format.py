"""Small formatting helpers shared by every area."""

from __future__ import annotations

from datetime import datetime


def when(moment: datetime | None, now: datetime) -> str:
    """ "2 hours ago (09:30 UTC)" within a day, "2026-01-12 (3 days ago)" before: short
    enough for a narrow pane, in UTC so that it reads the same on every machine (snapshots),
    relative to the services' clock (a fixed one in tests)."""
    if moment is None:
        return "never"
    if (now - moment).total_seconds() < 86400:
        return f"{ago(moment, now)} ({moment:%b %d %H:%M} UTC)"
    return f"{moment:%Y-%m-%d} ({ago(moment, now)})"


def ago(moment: datetime, now: datetime) -> str:
    seconds = int((now - moment).total_seconds())
    if seconds < 0:
        return "in the future"
    if seconds < 60:
        return "just now"
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day")):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    if seconds >= 3600:
        n = seconds // 3600
        return f"{n} hour{'s' if n != 1 else ''} ago"
    n = seconds // 60
    return f"{n} minute{'s' if n != 1 else ''} ago"


def size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
