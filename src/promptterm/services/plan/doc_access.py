"""Who may read and write a project's plan documents, and the versions every save leaves.

Checks the same rules as the PostgreSQL policies of migration 0027: viewers read, members
and up write; a personal note is its author's alone.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from promptterm.db.models import PlanDocVersion, Project
from promptterm.services.errors import NotFound
from promptterm.services.plan.doc_models import DocVersion
from promptterm.services.workspaces import ROLE_RANK, require_role


def project_role(
    session: Session, user_id: uuid.UUID, project_id: uuid.UUID, minimum: str, action: str
) -> str:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("That project does not exist or you cannot see it.")
    _, role = require_role(session, project.workspace_id, user_id, minimum, action)
    return role


def can_edit(role: str) -> bool:
    return ROLE_RANK[role] >= ROLE_RANK["member"]


def record(
    session: Session,
    *,
    number: int,
    title: str,
    body: str,
    user_id: uuid.UUID,
    note_id: uuid.UUID | None = None,
    prd_id: uuid.UUID | None = None,
) -> None:
    session.add(
        PlanDocVersion(
            note_id=note_id,
            prd_id=prd_id,
            number=number,
            title=title,
            body=body,
            created_by=user_id,
        )
    )


def history(
    session: Session, *, note_id: uuid.UUID | None = None, prd_id: uuid.UUID | None = None
) -> list[DocVersion]:
    """Newest first."""
    where = (
        col(PlanDocVersion.note_id) == note_id
        if note_id is not None
        else col(PlanDocVersion.prd_id) == prd_id
    )
    rows = session.exec(
        select(PlanDocVersion).where(where).order_by(col(PlanDocVersion.number).desc())
    ).all()
    return [DocVersion(r.number, r.title, r.body, r.created_at) for r in rows]
