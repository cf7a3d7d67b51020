"""What every service needs: the database, the acting user, a clock and an id source.

Tests inject a fixed clock and sequential ids so that snapshots and figures repeat exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from promptterm.db.engine import Database
from promptterm.services.hints import Hints


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    db: Database
    user_id: uuid.UUID
    clock: Callable[[], datetime] = system_clock
    new_id: Callable[[], uuid.UUID] = field(default=uuid.uuid4)
    # How messages name the next step: the CLI's commands, or the TUI's keys.
    hints: Hints = field(default_factory=Hints)

    def now(self) -> datetime:
        return self.clock()


class SequentialIds:
    """Deterministic UUIDs (00000000-0000-4000-8000-000000000001, ...) for tests and demos."""

    def __init__(self, start: int = 1) -> None:
        self._next = start

    def __call__(self) -> uuid.UUID:
        value = self._next
        self._next += 1
        return uuid.UUID(f"00000000-0000-4000-8000-{value:012d}")
