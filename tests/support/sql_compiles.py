"""Which SQL statements an engine compiles, as opposed to taking from its cache.

SQLAlchemy compiles a statement the first time its shape is run on an engine and keeps the
result in the engine's cache; each execution says which it was (``context.cache_hit``). A
statement compiled during a step the user waits for is a first-use cost that could have
been paid ahead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import CacheStats


@dataclass
class Executions:
    """Statements run meanwhile (their SQL, one line), and those of them compiled then."""

    run: list[str] = field(default_factory=list)
    compiled: list[str] = field(default_factory=list)


@contextmanager
def watched_executions(
    engine: Engine, counted: Callable[[], bool] = lambda: True
) -> Iterator[Executions]:
    """Every statement run on ``engine`` inside the block while ``counted()`` holds (it is
    asked on the thread that runs the statement)."""
    seen = Executions()
    lock = threading.Lock()

    def after(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if context is None or not counted():
            return
        line = " ".join(statement.split())
        with lock:
            seen.run.append(line)
            if context.cache_hit is not CacheStats.CACHE_HIT:
                seen.compiled.append(line)

    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", after)
