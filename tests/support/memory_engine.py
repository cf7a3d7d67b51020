"""An in-memory SQLite engine holding a test's own tables, for column types read back raw."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import Engine


@contextmanager
def memory_engine(metadata: MetaData) -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
