"""Issue 19: retention trims the activity log in short steps, on both databases: by age it
removes exactly the entries older than the retention, by size exactly the oldest until the
rest fit, never another user's; stopped between steps it keeps what it did, and the next run
goes on from there."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from promptterm.services.activity import ActivityFilter, ActivitySettings, ProviderCall
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock

DAYS = 30


def _fill(
    services: Services,
    clock: FixedClock,
    ages_minutes: list[int],
    sizes: list[int] | None = None,
) -> None:
    """One entry per age (minutes before now), oldest first; 1000 bytes each (200 + the
    message) unless ``sizes`` says otherwise."""
    now = clock()
    for n, minutes in enumerate(ages_minutes):
        clock.set(now - timedelta(minutes=minutes))
        size = 1000 if sizes is None else sizes[n]
        message = f"{n:03d}-" + "x" * (size - 204)
        services.activity.record_call(ProviderCall("openai", "gpt", None, "ok", 1, message=message))
    clock.set(now)


def _messages(services: Services) -> list[str]:
    entries = services.activity.list(ActivityFilter(kind="api"), limit=1000).entries
    return sorted((e.message or "")[:3] for e in entries)


def test_by_age_exactly_the_entries_older_than_the_retention_go(
    services: Services, clock: FixedClock
) -> None:
    log = services.activity
    log.settings = ActivitySettings(retention_days=DAYS, max_mb=100)
    # 13 too old (one a second past the limit), 7 within it (one exactly at the limit).
    limit = DAYS * 24 * 60
    _fill(services, clock, [limit + 500 - n for n in range(12)] + [limit + 1])
    _fill(services, clock, [limit, limit - 1, 48, 24, 2, 1, 0])
    other = _other_user(services, clock)
    removed = log.purge(step=4)  # four steps of 4, the last one short
    assert removed == 13
    assert _messages(services) == ["000", "001", "002", "003", "004", "005", "006"]
    assert _count(services, other) == 2  # another user's entries are theirs to trim
    assert log.purge(step=4) == 0


def test_by_size_exactly_the_oldest_go_until_the_rest_fit(
    services: Services, clock: FixedClock
) -> None:
    log = services.activity
    # 1,060,000 bytes: the oldest 31 entries of 1000 bytes, then 245 of 4200 (a message at
    # its cap, so that few entries fill 1 MB). Exactly 12 must go: the rest, 1,048,000 bytes,
    # fit with room for the retention's own note of ~300 bytes; keeping the 12th would not.
    log.settings = ActivitySettings(retention_days=DAYS, max_mb=1)
    _fill(services, clock, [1000 - n for n in range(276)], [1000] * 31 + [4200] * 245)
    removed = log.purge(step=5)
    assert removed == 12
    assert _count(services, services.ctx.user_id) == 276 - 12 + 1  # and the retention's note
    page = log.list(ActivityFilter(kind="api", until=clock() - timedelta(minutes=1000 - 13)))
    assert [(e.message or "")[:4] for e in page.entries] == ["012-"]  # the oldest one left
    assert _total_size(services) <= 1024 * 1024


def test_stopped_between_steps_it_keeps_what_it_did_and_the_next_run_finishes(
    services: Services, clock: FixedClock
) -> None:
    log = services.activity
    log.settings = ActivitySettings(retention_days=DAYS, max_mb=100)
    _fill(services, clock, [DAYS * 24 * 60 + 100 - n for n in range(10)] + [1, 0])
    asked: list[int] = []

    def stop_after_two_steps() -> bool:
        asked.append(1)
        return len(asked) > 2

    assert log.purge(stop_after_two_steps, step=3) == 6
    assert _messages(services) == ["006", "007", "008", "009", "010", "011"]
    assert log.purge(step=3) == 4
    assert _messages(services) == ["010", "011"]


def _other_user(services: Services, clock: FixedClock) -> object:
    from promptterm.db.models.activity import ActivityEntry
    from promptterm.services.activity.service import time_ordered_id

    user = create_user(services.ctx.db, "other", "other@example.com", clock(), uuid.uuid4())
    with services.ctx.db.session() as session:
        for days in (400, 1):
            at = clock() - timedelta(days=days)
            session.add(
                ActivityEntry(
                    id=time_ordered_id(at),
                    user_id=user.id,
                    at=at,
                    kind="api",
                    status="ok",
                    provider="openai",
                    context={},
                    size=300,
                )
            )
        session.commit()
    return user.id


def _count(services: Services, user_id: object) -> int:
    import sqlalchemy as sa

    from promptterm.db.models.activity import ActivityEntry

    t = ActivityEntry.__table__  # type: ignore[attr-defined]
    with services.ctx.db.engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(t).where(t.c.user_id == user_id)
        return int(conn.execute(query).scalar() or 0)


def _total_size(services: Services) -> int:
    import sqlalchemy as sa

    from promptterm.db.models.activity import ActivityEntry

    t = ActivityEntry.__table__  # type: ignore[attr-defined]
    with services.ctx.db.engine.connect() as conn:
        query = sa.select(sa.func.sum(t.c.size)).where(t.c.user_id == services.ctx.user_id)
        return int(conn.execute(query).scalar() or 0)


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PROMPTTERM_CONFIG_DIR", str(tmp_path / "config"))
