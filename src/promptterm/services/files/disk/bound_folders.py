"""Which folder a project is bound to: the project bound to a folder (or to one above it),
a project's folder, and forgetting it. Binding a folder imports it, so ``bind`` stays with
the sync (sync.py).

``DiskSyncService`` takes these methods from ``BoundFolders``; they use only its ``ctx``."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlmodel import Session, select

from promptterm.db.models import Project
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ServiceError
from promptterm.services.workspaces import require_role


class BoundFolders:
    ctx: ServiceContext

    def unbind(self, project_id: uuid.UUID) -> None:
        """Forget the directory; the files and their history stay in the project."""
        with self.ctx.db.session() as session:
            project = self._project(session, project_id, "unbind it")
            project.root_path = None
            project.updated_at = self.ctx.now()
            session.add(project)

    def find_bound(self, directory: str | Path) -> uuid.UUID | None:
        """The id of the user's project bound to ``directory``, if any."""
        root = str(Path(directory).expanduser().resolve())
        with self.ctx.db.session() as session:
            for project in session.exec(select(Project).where(Project.root_path == root)):
                try:
                    require_role(session, project.workspace_id, self.ctx.user_id, "viewer", "")
                except ServiceError:
                    continue
                return project.id
        return None

    def find_bound_above(self, directory: str | Path) -> uuid.UUID | None:
        """The project bound to ``directory`` or to the nearest folder above it (a shell
        inside a bound folder's ``src/`` is in that project)."""
        here = Path(directory).expanduser().resolve()
        for folder in (here, *here.parents):
            bound = self.find_bound(folder)
            if bound is not None:
                return bound
        return None

    def root_of(self, project_id: uuid.UUID) -> Path:
        """The bound directory; NotFound if the project is not bound."""
        with self.ctx.db.session() as session:
            project = self._project(session, project_id, "sync it with its folder")
            if not project.root_path:
                raise NotFound(f"The project {project.name!r} is not bound to a folder.")
            return Path(project.root_path)

    def _project(self, session: Session, project_id: uuid.UUID, action: str) -> Project:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        require_role(session, project.workspace_id, self.ctx.user_id, "member", action)
        return project
