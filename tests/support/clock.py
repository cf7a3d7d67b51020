"""A clock that stands still until a test moves it, so times in results repeat exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

DEFAULT_NOW = datetime(2026, 1, 15, 9, 30, 0, tzinfo=UTC)


class FixedClock:
    """Callable like ``system_clock``: returns the same timezone-aware UTC time every call."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self._now = DEFAULT_NOW
        self.set(now)

    def __call__(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        """Jump to ``now``, which must be timezone-aware (it is stored converted to UTC)."""
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError(f"FixedClock needs a timezone-aware datetime, not {now!r}")
        self._now = now.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)`` (e.g. ``days=31``) and return the new time."""
        self._now += timedelta(**delta)
        return self._now

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"
