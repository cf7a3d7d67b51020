"""What the workspace services hand out, apart from the code that reads it, so that the
lean reads (lean_reads.py) give the very same objects without loading the models."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class WorkspaceInfo:
    id: uuid.UUID
    name: str
    slug: str
    description: str | None
    owner_id: uuid.UUID
    role: str
    project_count: int
    last_accessed_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class MemberInfo:
    user_id: uuid.UUID
    display_name: str
    email: str | None
    role: str
    joined_at: datetime
    db_role: str | None = None  # team mode: the PostgreSQL role they log in as


def by_recent_use(infos: list[WorkspaceInfo]) -> list[WorkspaceInfo]:
    """Most recently used first (a project opened in it), then by name."""
    return sorted(infos, key=lambda w: (-_stamp(w.last_accessed_at), w.name.lower()))


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0
