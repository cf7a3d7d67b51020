"""Projects inside workspaces: slug unique per workspace, recent first, optional bound directory."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import Project, Workspace, WorkspaceMember
from promptterm.db.models.identity import PROJECT_VISIBILITIES
from promptterm.db.order import order_by
from promptterm.services.billing import check_room_for
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError, refuse_stale
from promptterm.services.validation import (
    check_slug,
    choice,
    clean_name,
    optional_text,
    slugify,
)
from promptterm.services.workspaces.authz import require_role
from promptterm.services.workspaces.infos import PROJECT_ORDER, project_info
from promptterm.services.workspaces.infos import ProjectInfo as ProjectInfo

_EDITABLE = ("name", "description", "language", "framework", "visibility", "repository_url")


class ProjectService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(
        self, workspace_id: uuid.UUID | None = None, *, limit: int | None = None
    ) -> list[ProjectInfo]:
        """Projects the user can see, most recently opened first (the first ``limit``: read
        along the index on ``last_accessed_at``, the palette's recent projects)."""
        # Plain columns, not ORM rows: building 10,000 Project objects took most of the time
        # of this call, which the explorer's filter and the palette make on every session.
        query = (
            select(*_COLUMNS, col(Workspace.name).label("workspace_name"), WorkspaceMember.role)
            .join(Workspace, col(Workspace.id) == col(Project.workspace_id))
            .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == col(Workspace.id))
            .where(WorkspaceMember.user_id == self.ctx.user_id)
            .order_by(*order_by(Project, PROJECT_ORDER))
        )
        if workspace_id is not None:
            query = query.where(Project.workspace_id == workspace_id)
        if limit is not None:
            query = query.limit(limit)
        with self.ctx.db.session() as session:
            if workspace_id is not None:
                require_role(session, workspace_id, self.ctx.user_id, "viewer", "see its projects")
            rows = session.execute(query).all()
        return [_row_info(*row) for row in rows]

    def get(self, project_id: uuid.UUID) -> ProjectInfo:
        with self.ctx.db.session() as session:
            project, ws, role = self._load(session, project_id, "viewer", "see it")
            return project_info(project, ws.name, role)

    def find(self, ref: str, workspace: str | None = None) -> ProjectInfo:
        """A project by id, slug or name, optionally within a workspace slug or name."""
        try:
            return self.get(uuid.UUID(ref))
        except ValueError:
            pass
        candidates = [
            p
            for p in self.list()
            if ref in (p.slug, p.name)
            and (workspace is None or workspace in (p.workspace_name, str(p.workspace_id)))
        ]
        # A slug is the exact handle: one project with that slug wins over names.
        by_slug = [p for p in candidates if p.slug == ref]
        matches = by_slug if len(by_slug) == 1 else candidates
        if not matches:
            raise NotFound(f"No project {ref!r} in your workspaces.")
        if len(matches) > 1:
            names = ", ".join(
                f"{p.name!r} (slug {p.slug!r} in {p.workspace_name!r})" for p in matches
            )
            hint = (
                "give --workspace"
                if len({p.workspace_id for p in matches}) == len(matches)
                else "give its slug"
            )
            raise Conflict(f"{ref!r} names several projects: {names}; {hint}.")
        return matches[0]

    def create(
        self,
        workspace_id: uuid.UUID,
        name: str,
        *,
        slug: str | None = None,
        description: str | None = None,
        language: str | None = None,
        framework: str | None = None,
        visibility: str = "private",
        repository_url: str | None = None,
        root_path: str | None = None,
    ) -> ProjectInfo:
        name = clean_name(name, "name", label="Project name", min_len=1, max_len=100)
        slug = check_slug(slug or slugify(name) or "project")
        now = self.ctx.now()
        project = Project(
            id=self.ctx.new_id(),
            workspace_id=workspace_id,
            name=name,
            slug=slug,
            description=optional_text(
                description, "description", label="Description", max_len=2000
            ),
            language=optional_text(language, "language", label="Language", max_len=50),
            framework=optional_text(framework, "framework", label="Framework", max_len=50),
            visibility=choice(
                visibility, "visibility", label="Visibility", options=PROJECT_VISIBILITIES
            ),
            repository_url=optional_text(
                repository_url, "repository_url", label="URL", max_len=500
            ),
            root_path=root_path,
            last_accessed_at=now,
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            ws, role = require_role(
                session, workspace_id, self.ctx.user_id, "member", "create projects in it"
            )
            check_room_for(session, ws.owner_id, "max_projects", now, self.ctx.hints)
            self._check_slug_free(session, workspace_id, slug, ws.name)
            self._check_name_free(session, workspace_id, name, ws.name)
            session.add(project)
            try:
                session.flush()
            except IntegrityError as exc:
                raise Conflict(f"{ws.name!r} already has a project {slug!r}.") from exc
            return project_info(project, ws.name, role)

    def update(
        self, project_id: uuid.UUID, *, expected: ProjectInfo | None = None, **changes: str | None
    ) -> ProjectInfo:
        """``expected``: the project as the form showed it; a field changed since is refused
        as a StaleEdit rather than replaced."""
        unknown = set(changes) - set(_EDITABLE)
        if unknown:
            raise TypeError(f"cannot change {', '.join(sorted(unknown))}")
        with self.ctx.db.session() as session:
            project, ws, role = self._load(session, project_id, "member", "change its projects")
            if expected is not None:
                session.refresh(project, with_for_update=True)  # held until the commit
                refuse_stale(
                    f"Project {project.name!r}",
                    {key: getattr(expected, key) for key in _EDITABLE},
                    {key: getattr(project, key) for key in _EDITABLE},
                    "Your text is still here: look at the project as it is now, then try again.",
                )
            for key, value in changes.items():
                if key == "name":
                    value = clean_name(value, "name", label="Project name", min_len=1, max_len=100)
                    self._check_name_free(session, ws.id, value, ws.name, project.id)
                elif key == "visibility":
                    value = choice(
                        value or "", "visibility", label="Visibility", options=PROJECT_VISIBILITIES
                    )
                else:
                    value = optional_text(
                        value, key, label=key.replace("_", " ").capitalize(), max_len=2000
                    )
                setattr(project, key, value)
            project.updated_at = self.ctx.now()
            session.add(project)
            return project_info(project, ws.name, role)

    def rename(
        self, project_id: uuid.UUID, name: str, *, expected: ProjectInfo | None = None
    ) -> ProjectInfo:
        return self.update(project_id, name=name, expected=expected)

    def delete(self, project_id: uuid.UUID) -> str:
        """Delete a project with its files, versions and threads; returns its name."""
        with self.ctx.db.session() as session:
            project, _, _ = self._load(session, project_id, "admin", "delete its projects")
            name = project.name
            session.delete(project)
        return name

    def open(self, project_id: uuid.UUID) -> ProjectInfo:
        """Record that the user opened the project now (recent projects come first)."""
        with self.ctx.db.session() as session:
            project, ws, role = self._load(session, project_id, "viewer", "open it")
            project.last_accessed_at = self.ctx.now()
            session.add(project)
            return project_info(project, ws.name, role)

    def _load(
        self, session: Session, project_id: uuid.UUID, minimum: str, action: str
    ) -> tuple[Project, Workspace, str]:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        ws, role = require_role(session, project.workspace_id, self.ctx.user_id, minimum, action)
        return project, ws, role

    def _check_name_free(
        self,
        session: Session,
        workspace_id: uuid.UUID,
        name: str,
        ws_name: str,
        project_id: uuid.UUID | None = None,
    ) -> None:
        """Names are unique in a workspace, as slugs are (ignoring case: 'Web' and 'web' would
        be the same project to anyone who types it)."""
        rows = session.exec(
            select(Project.id, Project.name).where(Project.workspace_id == workspace_id)
        ).all()
        if any(pid != project_id and other.casefold() == name.casefold() for pid, other in rows):
            raise ValidationError(
                f"{ws_name!r} already has a project named {name!r}; choose another name.", "name"
            )

    def _check_slug_free(
        self, session: Session, workspace_id: uuid.UUID, slug: str, ws_name: str
    ) -> None:
        taken = session.exec(
            select(Project.id).where(Project.workspace_id == workspace_id, Project.slug == slug)
        ).first()
        if taken:
            raise Conflict(
                f"{ws_name!r} already has a project with the slug {slug!r}; choose another name."
            )


_COLUMNS = tuple(
    getattr(Project, name)
    for name in (
        "id",
        "workspace_id",
        "name",
        "slug",
        "description",
        "language",
        "framework",
        "visibility",
        "repository_url",
        "root_path",
        "last_accessed_at",
        "created_at",
        "updated_at",
    )
)


def _row_info(*values: Any) -> ProjectInfo:
    # Positional: a Row's attribute lookups by name cost more than the query (10,000 rows).
    (
        id_,
        workspace_id,
        name,
        slug,
        description,
        language,
        framework,
        visibility,
        repository_url,
        root_path,
        last_accessed_at,
        created_at,
        updated_at,
        ws_name,
        role,
    ) = values
    return ProjectInfo(
        id=id_,
        workspace_id=workspace_id,
        workspace_name=ws_name,
        name=name,
        slug=slug,
        description=description,
        language=language,
        framework=framework,
        visibility=visibility,
        repository_url=repository_url,
        root_path=root_path,
        role=role,
        last_accessed_at=last_accessed_at,
        created_at=created_at,
        updated_at=updated_at,
    )
