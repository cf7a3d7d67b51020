"""Every file the user can see, across projects, in one query: what the palette jumps to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select

from promptterm.db.models import File, Project, Workspace, WorkspaceMember
from promptterm.services.context import ServiceContext


@dataclass(frozen=True)
class FileRef:
    id: uuid.UUID
    project_id: uuid.UUID
    workspace_id: uuid.UUID
    project: str  # "Workspace/Project"
    path: str
    head_version: int
    size_bytes: int


class FileIndexService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def files(self, limit: int = 20_000) -> list[FileRef]:
        """Live files (not folders, not in the trash) of every project the user can see,
        most recently opened project first; capped so a huge account stays quick to list."""
        stmt = (
            select(
                File.id,
                File.project_id,
                Project.workspace_id,
                Workspace.name,
                Project.name,
                File.path,
                File.head_version,
                File.size_bytes,
            )
            .join(Project, col(Project.id) == col(File.project_id))
            .join(Workspace, col(Workspace.id) == col(Project.workspace_id))
            .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == col(Workspace.id))
            .where(
                WorkspaceMember.user_id == self.ctx.user_id,
                col(File.is_deleted).is_(False),
                File.type == "file",
            )
            .order_by(
                col(Project.last_accessed_at).desc().nulls_last(),
                col(Workspace.name),
                col(Project.name),
                col(File.path),
            )
            .limit(limit)
        )
        with self.ctx.db.session() as session:
            rows = session.execute(stmt).all()
        return [
            FileRef(fid, pid, wid, f"{ws}/{project}", path, head, size)
            for fid, pid, wid, ws, project, path, head, size in rows
        ]
