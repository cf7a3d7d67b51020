"""Timestamps on SQLite come back as the instant that was stored, aware and in UTC, however
the text in the file was written (by the app, by hand, by SQLite itself)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.engine import Engine

from promptterm.db.types import UTCDateTime
from support.memory_engine import memory_engine

metadata = MetaData()
stamps = Table(
    "stamps", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
)


@pytest.fixture
def engine() -> Iterator[Engine]:
    with memory_engine(metadata) as engine:
        yield engine


def read_all(engine: Engine) -> list[datetime | None]:
    with engine.connect() as conn:
        return [row.at for row in conn.execute(select(stamps.c.at).order_by(stamps.c.id))]


def test_what_the_app_writes_reads_back_as_the_same_instant_in_utc(engine: Engine) -> None:
    written = [
        datetime(2026, 12, 7, 14, 5, 9, 123456, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),  # no microseconds
        datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),  # stored as 10:00 UTC
        None,
    ]
    with engine.begin() as conn:
        conn.execute(stamps.insert(), [{"at": at} for at in written])
    back = read_all(engine)
    assert back == written
    assert all(at.tzinfo is UTC for at in back if at is not None)
    assert back[2] is not None and back[2].hour == 10


@pytest.mark.parametrize(
    ("stored", "instant"),
    [
        ("2026-12-07 14:05:09", datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC)),
        ("2026-12-07T14:05:09Z", datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC)),
        ("2026-12-07 16:05:09+02:00", datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC)),
        ("2026-12-07 14:05:09.5", datetime(2026, 12, 7, 14, 5, 9, 500000, tzinfo=UTC)),
    ],
)
def test_text_written_by_hand_reads_as_the_instant_it_names(
    engine: Engine, stored: str, instant: datetime
) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stamps (at) VALUES (:at)"), {"at": stored})
    (back,) = read_all(engine)
    assert back == instant and back is not None and back.tzinfo is UTC


def test_sqlites_own_clock_reads_as_the_utc_time_it_wrote(engine: Engine) -> None:
    # SQLite's CURRENT_TIMESTAMP is UTC text with no offset: it reads back as that instant,
    # compared with the text itself (not with this machine's clock).
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stamps (at) VALUES (CURRENT_TIMESTAMP)"))
        raw = conn.execute(text("SELECT CAST(at AS TEXT) FROM stamps")).scalar_one()
    (back,) = read_all(engine)
    assert back is not None and back.tzinfo is UTC
    assert back == datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
