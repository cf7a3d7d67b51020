"""Workspace roles: viewer reads; member edits; admin and owner manage members."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from promptterm.db.models import Workspace, WorkspaceMember
from promptterm.services.errors import Forbidden, NotFound

ROLE_RANK = {"viewer": 0, "member": 1, "admin": 2, "owner": 3}

_NEEDS = {
    "member": "a member, admin or owner",
    "admin": "an admin or owner",
    "owner": "the owner",
}


def role_in(session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    return session.exec(
        select(WorkspaceMember.role).where(
            WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user_id
        )
    ).first()


def require_role(
    session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID, minimum: str, action: str
) -> tuple[Workspace, str]:
    """The workspace and the user's role in it, or an error.

    Someone who is not a member is told the workspace does not exist: they must not learn
    which workspaces others have.
    """
    workspace = session.get(Workspace, workspace_id)
    role = role_in(session, workspace_id, user_id) if workspace else None
    if workspace is None or role is None:
        raise NotFound("That workspace does not exist or you are not a member of it.")
    if ROLE_RANK[role] < ROLE_RANK[minimum]:
        raise Forbidden(
            f"Only {_NEEDS[minimum]} of {workspace.name!r} can {action}; you are a {role}. "
            "Ask an owner or admin of the workspace."
        )
    return workspace, role
