"""Analyses kept per file and content hash, with an expiry: reopening an unchanged file shows
the last one at once, without asking the model again. A teammate who sees the project sees
them too (RLS: code_analyses_read)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from promptterm.db.models import CodeAnalysis, File, Project
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound
from promptterm.services.workspaces import require_role

DEFAULT_TTL = timedelta(days=7)


@dataclass(frozen=True)
class AnalysisInfo:
    id: uuid.UUID
    file_id: uuid.UUID
    kind: str  # explain | complexity | security | performance
    file_version: int
    output: str
    model: str | None
    created_at: datetime
    expires_at: datetime


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AnalysisStore:
    def __init__(self, ctx: ServiceContext, ttl: timedelta = DEFAULT_TTL) -> None:
        self.ctx = ctx
        self.ttl = ttl

    def keep(
        self,
        *,
        project_id: uuid.UUID,
        file_id: uuid.UUID,
        job_id: uuid.UUID | None,
        kind: str,
        text: str,
        version: int,
        output: str,
        model: str | None,
    ) -> AnalysisInfo:
        now = self.ctx.now()
        row = CodeAnalysis(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            project_id=project_id,
            file_id=file_id,
            job_id=job_id,
            kind=kind,
            content_sha256=content_hash(text),
            file_version=version,
            output=output,
            model=model,
            created_at=now,
            expires_at=now + self.ttl,
        )
        with self.ctx.db.session() as session:
            session.add(row)
            session.flush()
            return _info(row)

    def latest(self, file_id: uuid.UUID, text: str, kind: str | None = None) -> list[AnalysisInfo]:
        """The newest unexpired analysis of each kind made of exactly ``text`` (the file as
        the user sees it now); empty once the file changed or they expired."""
        with self.ctx.db.session() as session:
            _check_sees(session, self.ctx, file_id)
            stmt = select(CodeAnalysis).where(
                CodeAnalysis.file_id == file_id,
                CodeAnalysis.content_sha256 == content_hash(text),
                col(CodeAnalysis.expires_at) > self.ctx.now(),
            )
            if kind is not None:
                stmt = stmt.where(CodeAnalysis.kind == kind)
            rows = session.exec(
                stmt.order_by(col(CodeAnalysis.created_at).desc(), col(CodeAnalysis.id).desc())
            ).all()
        newest: dict[str, AnalysisInfo] = {}
        for row in rows:
            newest.setdefault(row.kind, _info(row))
        return list(newest.values())


def _check_sees(session: Session, ctx: ServiceContext, file_id: uuid.UUID) -> None:
    file = session.get(File, file_id)
    project = session.get(Project, file.project_id) if file is not None else None
    if file is None or project is None:
        raise NotFound("That file does not exist or you cannot see it.")
    require_role(session, project.workspace_id, ctx.user_id, "viewer", "see its analyses")


def _info(row: CodeAnalysis) -> AnalysisInfo:
    return AnalysisInfo(
        id=row.id,
        file_id=row.file_id,
        kind=row.kind,
        file_version=row.file_version,
        output=row.output,
        model=row.model,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )
