"""Ids read in bulk on SQLite come back as the UUIDs that were stored, equal in every way to
what ``uuid.UUID`` gives, however the text in the file was written."""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.engine import Engine

from promptterm.db.types import HexUuid
from support.memory_engine import memory_engine

metadata = MetaData()
things = Table("things", metadata, Column("n", Integer, primary_key=True), Column("id", HexUuid))


@pytest.fixture
def engine() -> Iterator[Engine]:
    with memory_engine(metadata) as engine:
        yield engine


def read_all(engine: Engine) -> list[uuid.UUID | None]:
    with engine.connect() as conn:
        return [row.id for row in conn.execute(select(things.c.id).order_by(things.c.n))]


def test_what_the_app_writes_reads_back_as_the_same_uuid(engine: Engine) -> None:
    written = [
        uuid.uuid4(),
        uuid.UUID(int=0),
        uuid.UUID(int=2**128 - 1),
        uuid.UUID("00000000-0000-0000-0000-0000000000ff"),  # leading zeros kept
        None,
    ]
    with engine.begin() as conn:
        conn.execute(things.insert(), [{"id": one} for one in written])
    back = read_all(engine)
    assert back == written
    for got, want in zip(back, written, strict=True):
        if want is None:
            continue
        assert isinstance(got, uuid.UUID)
        assert (str(got), repr(got), hash(got), got.hex) == (
            str(want),
            repr(want),
            hash(want),
            want.hex,
        )
        assert got.version == want.version and got.is_safe is uuid.SafeUUID.unknown
        assert {got: 1}[want] == 1  # usable as the same dict key
        assert pickle.loads(pickle.dumps(got)) == want


@pytest.mark.parametrize(
    "stored",
    [
        "12345678-1234-5678-1234-567812345678",  # with dashes
        "{12345678-1234-5678-1234-567812345678}",
        "urn:uuid:12345678-1234-5678-1234-567812345678",
        "12345678123456781234567812345678".upper(),
    ],
)
def test_text_written_by_hand_reads_as_the_uuid_it_names(engine: Engine, stored: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO things (id) VALUES (:id)"), {"id": stored})
    assert read_all(engine) == [uuid.UUID("12345678-1234-5678-1234-567812345678")]


@pytest.mark.parametrize("stored", ["-" + "f" * 31, "z" * 32, "1234"])
def test_text_that_is_no_uuid_is_refused_as_uuid_refuses_it(engine: Engine, stored: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO things (id) VALUES (:id)"), {"id": stored})
    with pytest.raises(ValueError):
        read_all(engine)
