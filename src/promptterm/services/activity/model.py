"""What goes into the activity log and what comes out of it, as plain values."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ProviderCall:
    """One call to a provider, as the domain that made it saw it."""

    provider: str
    model: str | None
    endpoint: str | None
    status: str  # the HTTP status of a failure ("401"), else "ok", "error" or "stopped"
    duration_ms: int
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: Decimal | None = None
    thread_id: uuid.UUID | None = None
    message_id: uuid.UUID | None = None
    error_type: str | None = None
    message: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    # Kept only when the user opts in ([activity] log_bodies), redacted either way.
    request: Any = None
    response: Any = None
    # Values hidden wherever they appear (the call's API key); never stored.
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaughtError:
    """An error the app or the CLI caught and reported, and what the user was doing."""

    error_type: str
    message: str
    traceback: str | None
    severity: str  # fatal, error, warning, info
    area: str | None = None  # screen or command: "chat", "log list"
    action: str | None = None  # what was being done: "send", "save"


@dataclass(frozen=True)
class ActivityFilter:
    kind: str | None = None  # "api" or "error"
    provider: str | None = None
    model: str | None = None
    status: str | None = None
    text: str | None = None  # in the message, error type, endpoint or model
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class EntryInfo:
    id: uuid.UUID
    at: datetime
    kind: str
    status: str
    provider: str | None
    model: str | None
    endpoint: str | None
    duration_ms: int | None
    tokens_in: int | None
    tokens_out: int | None
    cost_usd: Decimal | None
    thread_id: uuid.UUID | None
    message_id: uuid.UUID | None
    error_type: str | None
    message: str | None
    # Only filled in by ``get`` (a list leaves the long fields out).
    traceback: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    request_body: str | None = None
    response_body: str | None = None

    @property
    def summary(self) -> str:
        """One line: what was called, or what went wrong."""
        if self.kind == "api":
            what = " ".join(p for p in (self.provider, self.model) if p)
            return f"{what}: {self.message}" if self.message else what
        return f"{self.error_type}: {self.message}" if self.error_type else self.message or ""


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the next page starts after this (time, id)."""

    at: datetime
    id: uuid.UUID


@dataclass(frozen=True)
class ActivityPage:
    entries: list[EntryInfo]
    next: Cursor | None  # None: this was the last page
