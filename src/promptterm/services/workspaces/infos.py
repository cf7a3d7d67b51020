"""What the workspace services hand out, apart from the code that reads it, so that the
lean reads (lean_reads.py) give the very same objects without loading the models; and the
project list's order, which both build their query from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from promptterm.db.lean_rows import Order


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


@dataclass(frozen=True)
class ProjectInfo:
    id: uuid.UUID
    workspace_id: uuid.UUID
    workspace_name: str
    name: str
    slug: str
    description: str | None
    language: str | None
    framework: str | None
    visibility: str
    repository_url: str | None
    root_path: str | None
    role: str
    last_accessed_at: datetime | None
    created_at: datetime
    updated_at: datetime


# Most recently opened first, never-opened last, then by name; the id last so that equal
# names give one order on every plan (the service's join and the lean read alike).
PROJECT_ORDER: Order = (
    ("last_accessed_at", "desc nulls last"),
    ("lower(name)", "asc"),
    ("id", "asc"),
)


def project_info(project: Any, ws_name: str, role: str) -> ProjectInfo:
    """A ``Project`` row (or a lean record with its columns) in its workspace."""
    return ProjectInfo(
        id=project.id,
        workspace_id=project.workspace_id,
        workspace_name=ws_name,
        name=project.name,
        slug=project.slug,
        description=project.description,
        language=project.language,
        framework=project.framework,
        visibility=project.visibility,
        repository_url=project.repository_url,
        root_path=project.root_path,
        role=role,
        last_accessed_at=project.last_accessed_at,
        created_at=project.created_at,
        updated_at=project.updated_at,
    )
