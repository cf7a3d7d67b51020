"""Workspaces and their members."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import Project, User, Workspace, WorkspaceMember
from promptterm.services.context import ServiceContext
from promptterm.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleEdit,
    ValidationError,
    refuse_stale,
)
from promptterm.services.validation import (
    check_slug,
    choice,
    clean_name,
    optional_text,
    slugify,
)
from promptterm.services.workspaces.authz import ROLE_RANK, require_role
from promptterm.services.workspaces.infos import MemberInfo as MemberInfo
from promptterm.services.workspaces.infos import WorkspaceInfo as WorkspaceInfo
from promptterm.services.workspaces.infos import by_recent_use
from promptterm.services.workspaces.team_mode import members_need_team_mode
from promptterm.services.workspaces.users import find_user

ASSIGNABLE_ROLES = ("admin", "member", "viewer")
_RELOAD_MEMBERS = (
    "The list now shows who has which role: look again, then retry if you still mean to."
)


class WorkspaceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self) -> list[WorkspaceInfo]:
        """The user's workspaces, most recently used first."""
        uid = self.ctx.user_id
        stats = (
            select(
                Project.workspace_id,
                func.count().label("n"),
                func.max(Project.last_accessed_at).label("last"),
            )
            .group_by(col(Project.workspace_id))
            .subquery()
        )
        query = (
            select(Workspace, WorkspaceMember.role, stats.c.n, stats.c.last)
            .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == col(Workspace.id))
            .outerjoin(stats, stats.c.workspace_id == col(Workspace.id))
            .where(WorkspaceMember.user_id == uid)
        )
        with self.ctx.db.session() as session:
            rows = session.exec(query).all()
        return by_recent_use([_info(ws, role, n or 0, last) for ws, role, n, last in rows])

    def get(self, workspace: uuid.UUID | str) -> WorkspaceInfo:
        with self.ctx.db.session() as session:
            ws = self._resolve(session, workspace)
            _, role = require_role(session, ws.id, self.ctx.user_id, "viewer", "see it")
            n, last = session.exec(
                select(func.count(), func.max(Project.last_accessed_at)).where(
                    Project.workspace_id == ws.id
                )
            ).one()
            return _info(ws, role, n, last)

    def create(
        self, name: str, slug: str | None = None, description: str | None = None
    ) -> WorkspaceInfo:
        name = clean_name(name, "name", label="Workspace name", min_len=1, max_len=100)
        slug = check_slug(slug or slugify(name) or "workspace")
        description = optional_text(description, "description", label="Description", max_len=500)
        now = self.ctx.now()
        ws = Workspace(
            id=self.ctx.new_id(),
            name=name,
            slug=slug,
            description=description,
            owner_id=self.ctx.user_id,
            created_at=now,
            updated_at=now,
        )
        member = WorkspaceMember(
            id=self.ctx.new_id(),
            workspace_id=ws.id,
            user_id=self.ctx.user_id,
            role="owner",
            joined_at=now,
        )
        with self.ctx.db.session() as session:
            if session.exec(select(Workspace.id).where(Workspace.slug == slug)).first():
                raise Conflict(
                    f"The workspace slug {slug!r} is taken; choose another name or slug."
                )
            session.add(ws)
            session.flush()
            session.add(member)
            try:
                session.flush()
            except IntegrityError as exc:
                raise Conflict(f"The workspace slug {slug!r} is taken; choose another.") from exc
            return _info(ws, "owner", 0, None)

    def update(
        self,
        workspace_id: uuid.UUID,
        *,
        name: str | None = None,
        description: str | None = None,
        expected: WorkspaceInfo | None = None,
    ) -> WorkspaceInfo:
        """``expected``: the workspace as the form showed it; renamed or redescribed since,
        the write is refused as a StaleEdit rather than replacing that change."""
        with self.ctx.db.session() as session:
            ws, _ = require_role(session, workspace_id, self.ctx.user_id, "admin", "rename it")
            if expected is not None:
                session.refresh(ws, with_for_update=True)  # held until the commit
                refuse_stale(
                    f"Workspace {ws.name!r}",
                    {"name": expected.name, "description": expected.description},
                    {"name": ws.name, "description": ws.description},
                    "Your text is still here: look at its new name, then try again.",
                )
            if name is not None:
                ws.name = clean_name(name, "name", label="Workspace name", min_len=1, max_len=100)
            if description is not None:
                ws.description = optional_text(
                    description, "description", label="Description", max_len=500
                )
            ws.updated_at = self.ctx.now()
            session.add(ws)
        return self.get(workspace_id)

    def rename(
        self, workspace_id: uuid.UUID, name: str, *, expected: WorkspaceInfo | None = None
    ) -> WorkspaceInfo:
        return self.update(workspace_id, name=name, expected=expected)

    def delete(self, workspace_id: uuid.UUID) -> str:
        """Delete a workspace with its projects, files and threads; returns its name."""
        with self.ctx.db.session() as session:
            ws, _ = require_role(session, workspace_id, self.ctx.user_id, "owner", "delete it")
            name = ws.name
            session.delete(ws)
        return name

    # Members ---------------------------------------------------------------------------

    def members(self, workspace_id: uuid.UUID) -> list[MemberInfo]:
        with self.ctx.db.session() as session:
            require_role(session, workspace_id, self.ctx.user_id, "viewer", "see its members")
            rows = session.exec(
                select(WorkspaceMember, User)
                .join(User, col(User.id) == col(WorkspaceMember.user_id))
                .where(WorkspaceMember.workspace_id == workspace_id)
            ).all()
        members = [
            MemberInfo(u.id, u.display_name, u.email, m.role, m.joined_at, u.db_role)
            for m, u in rows
        ]
        members.sort(key=lambda m: (-ROLE_RANK[m.role], m.display_name.lower()))
        return members

    def _member_to_add(self, session: Session, who: str) -> User:
        try:
            return find_user(session, who)
        except NotFound:
            if self.ctx.db.is_sqlite:
                # One person per SQLite file: "who" can only exist in team mode.
                raise NotFound(members_need_team_mode(who)) from None
            raise NotFound(
                f"No user is known as {who!r}. Give their email or database role; a teammate "
                "is known once they have opened promptterm with their own PostgreSQL role."
            ) from None

    def add_member(self, workspace_id: uuid.UUID, who: str, role: str = "member") -> MemberInfo:
        role = choice(role, "role", label="Role", options=ASSIGNABLE_ROLES)
        with self.ctx.db.session() as session:
            ws, my_role = require_role(
                session, workspace_id, self.ctx.user_id, "admin", "add members"
            )
            user = self._member_to_add(session, who)
            existing = session.exec(
                select(WorkspaceMember).where(
                    WorkspaceMember.workspace_id == workspace_id,
                    WorkspaceMember.user_id == user.id,
                )
            ).first()
            if existing:
                raise Conflict(
                    f"{user.display_name} is already a {existing.role} of {ws.name!r}; "
                    "change their role instead."
                )
            _check_can_grant(my_role, role)
            member = WorkspaceMember(
                id=self.ctx.new_id(),
                workspace_id=workspace_id,
                user_id=user.id,
                role=role,
                invited_by=self.ctx.user_id,
                joined_at=self.ctx.now(),
            )
            session.add(member)
            return MemberInfo(user.id, user.display_name, user.email, role, member.joined_at)

    def set_role(
        self,
        workspace_id: uuid.UUID,
        user_id: uuid.UUID,
        role: str,
        *,
        expected: MemberInfo | None = None,
    ) -> MemberInfo:
        """``expected``: the member as the list showed them; a role changed (or the member
        removed) since is refused as a StaleEdit rather than overwritten."""
        role = choice(role, "role", label="Role", options=ASSIGNABLE_ROLES)
        with self.ctx.db.session() as session:
            _, my_role = require_role(
                session, workspace_id, self.ctx.user_id, "admin", "change roles"
            )
            member, user = self._member(session, workspace_id, user_id, expected, lock=True)
            _check_can_change(my_role, member.role, user.display_name)
            _check_can_grant(my_role, role)
            member.role = role
            session.add(member)
            return MemberInfo(user.id, user.display_name, user.email, role, member.joined_at)

    def remove_member(
        self, workspace_id: uuid.UUID, user_id: uuid.UUID, *, expected: MemberInfo | None = None
    ) -> str:
        """``expected``: the member as the user confirmed removing them (name and role); a
        role changed since is refused: they would be removing someone they did not see."""
        with self.ctx.db.session() as session:
            _, my_role = require_role(
                session, workspace_id, self.ctx.user_id, "admin", "remove members"
            )
            member, user = self._member(session, workspace_id, user_id, expected, lock=True)
            _check_can_change(my_role, member.role, user.display_name)
            session.delete(member)
            return user.display_name

    # Helpers ---------------------------------------------------------------------------

    def _resolve(self, session: Session, workspace: uuid.UUID | str) -> Workspace:
        if isinstance(workspace, uuid.UUID):
            ws = session.get(Workspace, workspace)
        else:
            ws = session.exec(select(Workspace).where(Workspace.slug == workspace)).first()
            if ws is None:
                matches = session.exec(
                    select(Workspace)
                    .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == col(Workspace.id))
                    .where(Workspace.name == workspace, WorkspaceMember.user_id == self.ctx.user_id)
                ).all()
                ws = matches[0] if len(matches) == 1 else None
        if ws is None:
            raise NotFound(f"No workspace {workspace!s} that you are a member of.")
        return ws

    def _member(
        self,
        session: Session,
        workspace_id: uuid.UUID,
        user_id: uuid.UUID,
        expected: MemberInfo | None = None,
        *,
        lock: bool = False,
    ) -> tuple[WorkspaceMember, User]:
        stmt = (
            select(WorkspaceMember, User)
            .join(User, col(User.id) == col(WorkspaceMember.user_id))
            .where(WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user_id)
        )
        if lock:
            # PostgreSQL: a concurrent role change waits for this one, then sees its result.
            stmt = stmt.with_for_update(of=WorkspaceMember)  # type: ignore[arg-type]
        row = session.exec(stmt).first()
        if row is None:
            if expected is not None:
                raise StaleEdit(
                    f"{expected.display_name}'s membership",
                    ("they were removed from the workspace",),
                    _RELOAD_MEMBERS,
                )
            raise NotFound("That person is not a member of this workspace.")
        if expected is not None:
            refuse_stale(
                f"{row[1].display_name}'s membership",
                {"role": expected.role},
                {"role": row[0].role},
                _RELOAD_MEMBERS,
            )
        return row


def _check_can_change(my_role: str, their_role: str, their_name: str) -> None:
    if their_role == "owner":
        raise Forbidden(f"{their_name} owns this workspace; the owner's role cannot be changed.")
    if their_role == "admin" and my_role != "owner":
        raise Forbidden(f"Only the owner can change or remove an admin such as {their_name}.")


def _check_can_grant(my_role: str, role: str) -> None:
    if role == "admin" and my_role != "owner":
        raise Forbidden("Only the owner can make someone an admin.")
    if role not in ASSIGNABLE_ROLES:
        raise ValidationError(f"Role must be one of {', '.join(ASSIGNABLE_ROLES)}.", "role")


def _info(ws: Workspace, role: str, n: int, last: datetime | None) -> WorkspaceInfo:
    return WorkspaceInfo(
        id=ws.id,
        name=ws.name,
        slug=ws.slug,
        description=ws.description,
        owner_id=ws.owner_id,
        role=role,
        project_count=n,
        last_accessed_at=last,
        created_at=ws.created_at,
        updated_at=ws.updated_at,
    )
