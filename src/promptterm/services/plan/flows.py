"""A project's user flows: pages and the connections (arrows) between them.

Anyone in the project's workspace reads them; owners, admins and members edit. A connection
joins two pages of one project, never a page to itself, at most once; each refusal says so in
words. Deleting a page takes its connections with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session, col, or_, select

from promptterm.db.models import FlowConnection, FlowPage, Project
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError, refuse_stale
from promptterm.services.plan import flow_rules as rules
from promptterm.services.plan.flow_models import Flow, FlowConnectionInfo, FlowPageInfo
from promptterm.services.plan.rules import check_status
from promptterm.services.workspaces import require_role

EDITABLE = ("name", "description", "layout_description", "features", "implementation_status")
_GONE = (
    "That page no longer exists: someone may have deleted it a moment ago. "
    "Reload the flow to see it as it is now."
)


class FlowService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # Reading -----------------------------------------------------------------------------

    def flow(self, project_id: uuid.UUID) -> Flow:
        with self.ctx.db.session() as session:
            project, role = self._project(session, project_id, "viewer", "see its flows")
            pages = session.exec(
                select(FlowPage).where(col(FlowPage.project_id) == project_id)
            ).all()
            links = session.exec(
                select(FlowConnection).where(col(FlowConnection.project_id) == project_id)
            ).all()
            infos = sorted((_page(p) for p in pages), key=lambda p: (p.y, p.x, p.name))
            return Flow(
                project_id,
                project.name,
                role,
                tuple(infos),
                tuple(_connection(c) for c in sorted(links, key=lambda c: c.created_at)),
            )

    def find_page(self, project_id: uuid.UUID, ref: str) -> FlowPageInfo:
        """A page by id, the end of its id as shown (4+ characters) or its exact name."""
        ref = ref.strip()
        pages = self.flow(project_id).pages
        hexed = ref.lower().replace("-", "")
        matches = [p for p in pages if p.id.hex == hexed]
        if not matches and len(hexed) >= 4:
            matches = [p for p in pages if p.id.hex.endswith(hexed)]
        if not matches:
            matches = [p for p in pages if p.name == ref]
        if not matches:
            raise NotFound(f"No flow page {ref!r} in this project.")
        if len(matches) > 1:
            ids = ", ".join(p.short_id for p in matches[:5])
            raise Conflict(f"{ref!r} names {len(matches)} pages ({ids}); give its id.")
        return matches[0]

    # Writing pages -----------------------------------------------------------------------

    def add_page(
        self,
        project_id: uuid.UUID,
        name: str,
        *,
        description: str | None = None,
        layout_description: str | None = None,
        features: Iterable[str] | str | None = None,
        implementation_status: str = "not_started",
        x: int | str = 0,
        y: int | str = 0,
    ) -> FlowPageInfo:
        fields: dict[str, Any] = {
            "name": rules.check_name(name),
            "description": rules.check_text(description, "description"),
            "layout_description": rules.check_text(layout_description, "layout_description"),
            "features": rules.check_features(features),
            "implementation_status": check_status(implementation_status),
            "position_x": rules.check_position(x, "x"),
            "position_y": rules.check_position(y, "y"),
        }
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            self._project(session, project_id, "member", "add pages to its flows")
            page = FlowPage(
                id=self.ctx.new_id(),
                project_id=project_id,
                created_by=self.ctx.user_id,
                created_at=now,
                updated_at=now,
                **fields,
            )
            session.add(page)
            session.flush()
            return _page(page)

    def update_page(
        self,
        page_id: uuid.UUID,
        changes: Mapping[str, Any],
        *,
        expected: Mapping[str, Any] | None = None,
    ) -> FlowPageInfo:
        """Change some of ``EDITABLE``; ``expected`` holds what the user saw (StaleEdit if
        someone changed it meanwhile)."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ValidationError(
                f"A flow page has no field {unknown[0]!r} to change; it has "
                f"{', '.join(EDITABLE)} (move it with its position).",
                unknown[0],
            )
        clean = _clean(changes)
        with self.ctx.db.session() as session:
            page = self._editable(session, page_id, "change flow pages")
            if expected is not None:
                refuse_stale(
                    f"The page {page.name!r}",
                    dict(expected),
                    {name: _field(page, name) for name in expected},
                    "Look at it again; saving once more keeps your version.",
                )
            for name, value in clean.items():
                setattr(page, name, value)
            page.updated_at = self.ctx.now()
            session.add(page)
            session.flush()
            return _page(page)

    def move_page(self, page_id: uuid.UUID, x: int | str, y: int | str) -> FlowPageInfo:
        px, py = rules.check_position(x, "x"), rules.check_position(y, "y")
        with self.ctx.db.session() as session:
            page = self._editable(session, page_id, "move flow pages")
            page.position_x, page.position_y = px, py
            page.updated_at = self.ctx.now()
            session.add(page)
            session.flush()
            return _page(page)

    def delete_page(self, page_id: uuid.UUID) -> FlowPageInfo:
        """Delete the page and every connection to or from it."""
        with self.ctx.db.session() as session:
            page = self._editable(session, page_id, "delete flow pages")
            gone = _page(page)
            for link in session.exec(
                select(FlowConnection).where(
                    or_(
                        col(FlowConnection.source_id) == page_id,
                        col(FlowConnection.target_id) == page_id,
                    )
                )
            ).all():
                session.delete(link)
            session.flush()
            session.delete(page)
            session.flush()
            return gone

    # Writing connections -----------------------------------------------------------------

    def connect(self, source_id: uuid.UUID, target_id: uuid.UUID) -> FlowConnectionInfo:
        """An arrow from one page to another of the same project."""
        if source_id == target_id:
            raise ValidationError(
                "A page cannot lead to itself; pick another page as the target.", "target"
            )
        with self.ctx.db.session() as session:
            source = self._editable(session, source_id, "connect flow pages")
            target = session.get(FlowPage, target_id)
            if target is None:
                raise NotFound("The target page no longer exists; reload the flow.")
            if target.project_id != source.project_id:
                raise ValidationError(
                    f"{target.name!r} belongs to another project; a connection joins two "
                    "pages of the same project.",
                    "target",
                )
            existing = session.exec(
                select(FlowConnection).where(
                    col(FlowConnection.source_id) == source_id,
                    col(FlowConnection.target_id) == target_id,
                )
            ).first()
            if existing is not None:
                raise Conflict(f"{source.name!r} already leads to {target.name!r}.")
            link = FlowConnection(
                id=self.ctx.new_id(),
                project_id=source.project_id,
                source_id=source_id,
                target_id=target_id,
                created_by=self.ctx.user_id,
                created_at=self.ctx.now(),
            )
            session.add(link)
            session.flush()
            return _connection(link)

    def disconnect(self, source_id: uuid.UUID, target_id: uuid.UUID) -> FlowConnectionInfo:
        with self.ctx.db.session() as session:
            source = self._editable(session, source_id, "disconnect flow pages")
            link = session.exec(
                select(FlowConnection).where(
                    col(FlowConnection.source_id) == source_id,
                    col(FlowConnection.target_id) == target_id,
                )
            ).first()
            if link is None:
                raise NotFound(f"{source.name!r} has no connection to that page.")
            gone = _connection(link)
            session.delete(link)
            session.flush()
            return gone

    # Helpers -----------------------------------------------------------------------------

    def _project(
        self, session: Session, project_id: uuid.UUID, minimum: str, action: str
    ) -> tuple[Project, str]:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        _, role = require_role(session, project.workspace_id, self.ctx.user_id, minimum, action)
        return project, role

    def _editable(self, session: Session, page_id: uuid.UUID, action: str) -> FlowPage:
        page = session.get(FlowPage, page_id)
        if page is None:
            raise NotFound(_GONE)
        self._project(session, page.project_id, "member", action)
        return page


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "name":
            clean[name] = rules.check_name(value)
        elif name == "features":
            clean[name] = rules.check_features(value)
        elif name == "implementation_status":
            clean[name] = check_status(value)
        else:
            clean[name] = rules.check_text(value, name)
    return clean


def _field(page: FlowPage, name: str) -> Any:
    value = getattr(page, name)
    return tuple(value) if name == "features" else value


def _page(page: FlowPage) -> FlowPageInfo:
    return FlowPageInfo(
        id=page.id,
        project_id=page.project_id,
        name=page.name,
        description=page.description,
        layout_description=page.layout_description,
        features=tuple(page.features or ()),
        implementation_status=page.implementation_status,
        x=page.position_x,
        y=page.position_y,
        created_at=page.created_at,
        updated_at=page.updated_at,
    )


def _connection(link: FlowConnection) -> FlowConnectionInfo:
    return FlowConnectionInfo(link.id, link.project_id, link.source_id, link.target_id)
