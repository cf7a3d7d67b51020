"""One cache of compiled SQL for all the engines a test process makes, not one per engine.

SQLAlchemy compiles a statement the first time its shape runs on an engine and keeps the
result in that engine's cache (a flush's INSERT/UPDATE/DELETE: in its table's mapper, keyed
by the engine's dialect object). Every test makes a new database and so a new engine, so
each test compiled every statement it ran again: 25 ms of a services test's 60 ms set-up
(creating the user and their subscription), and about a sixth of a services file's CPU.

The SQL a dialect compiles depends on its class and on what it learned from the server on
connecting (its version and flags), never on the database's name or file, nor on who logs
in, and every engine of a test process talks to the same server build. So these caches key
on those instead of on the dialect object: an engine gets the statements earlier tests
compiled, as the one long-lived engine of the app gets those it compiled itself. What runs
is the same SQL, bound with the test's own parameters.

Tests that count what an engine compiles (support/sql_compiles.py) are marked
``own_sql_cache``: their engines keep caches of their own, as in the app.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.orm import Mapper
from sqlalchemy.util import LRUCache

# SQLAlchemy's own default for one engine is 500; every test's statements share this one.
SIZE = 5000

# The dialects of the engines that share; any other keeps keying by its own dialect.
_sharing: weakref.WeakSet[Dialect] = weakref.WeakSet()


def _dialect_key(dialect: Dialect) -> tuple[Any, ...]:
    """What the SQL a dialect compiles depends on: the same tuple, the same SQL."""
    return (
        type(dialect),
        dialect.paramstyle,
        dialect.server_version_info,
        dialect.default_schema_name,
        dialect.max_identifier_length,
        dialect.label_length,
        dialect.supports_native_boolean,
        dialect.insert_returning,
        dialect.update_returning,
        dialect.delete_returning,
        dialect.use_insertmanyvalues,
        dialect.supports_multivalues_insert,
        getattr(dialect, "_backslash_escapes", None),
    )


class SharedCompiledCache:
    """The mapping SQLAlchemy reads (``get``) and fills (``[key] = compiled``), keyed by
    ``(dialect, the statement's cache key, ...)``; a sharing dialect stands for its
    ``_dialect_key``."""

    def __init__(self, size: int = SIZE) -> None:
        self._entries: LRUCache[tuple[Any, ...], Any] = LRUCache(size)

    @staticmethod
    def _key(key: tuple[Any, ...]) -> tuple[Any, ...]:
        dialect, *rest = key
        return (_dialect_key(dialect) if dialect in _sharing else dialect, *rest)

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        return self._entries.get(self._key(key), default)

    def __setitem__(self, key: tuple[Any, ...], value: Any) -> None:
        self._entries[self._key(key)] = value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()


_SHARED = SharedCompiledCache()
_state = {"on": True}


def _share_the_mappers_caches() -> None:
    from sqlmodel import SQLModel

    for mapper in list(SQLModel._sa_registry.mappers):
        _share_mapper_cache(mapper)


def _share_mapper_cache(mapper: Mapper[Any]) -> None:
    # Mapper._compiled_cache is memoized into the instance's __dict__: set it there.
    if not isinstance(mapper.__dict__.get("_compiled_cache"), SharedCompiledCache):
        mapper.__dict__["_compiled_cache"] = SharedCompiledCache(mapper._compiled_cache_size)


def _on_connect(connection: Connection) -> None:
    engine = connection.engine
    if not _state["on"] or engine.dialect in _sharing:
        return
    _share_the_mappers_caches()
    _sharing.add(engine.dialect)
    engine._compiled_cache = _SHARED  # type: ignore[assignment]


def install() -> None:
    """Every engine of this process shares from its first connection (before it compiles
    anything), while ``sharing(False)`` is not in force."""
    event.listen(Engine, "engine_connect", _on_connect)


def sharing(on: bool) -> None:
    """Whether the engines made from now on share (those sharing already go on)."""
    _state["on"] = on
