"""A project's PRD (seed 004): problem, solution, target audience, tech stack, success
metrics and custom sections. One per project, made on its first save; every save is a
version (its Markdown), and a save from an older version than the stored one is refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from promptterm.db.models import PlanPrd
from promptterm.services.context import ServiceContext
from promptterm.services.errors import StaleEdit, ValidationError
from promptterm.services.plan import doc_access, doc_rules
from promptterm.services.plan.doc_models import PRD_FIELDS, PRD_TITLES, DocVersion, Prd, Section
from promptterm.services.plan.markdown import prd_markdown


class PrdService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self, project_id: uuid.UUID) -> Prd:
        """The project's PRD; an empty one (version 0) before its first save."""
        with self.ctx.db.session() as session:
            role = doc_access.project_role(
                session, self.ctx.user_id, project_id, "viewer", "read its PRD"
            )
            row = _row(session, project_id)
            return _prd(row, project_id, doc_access.can_edit(role))

    def save(
        self,
        project_id: uuid.UUID,
        changes: Mapping[str, str],
        *,
        sections: Iterable[Any] | None = None,
        seen_version: int,
    ) -> Prd:
        """Change the named fields (and, given, replace the custom sections), if the stored
        PRD is still at ``seen_version``; otherwise StaleEdit and nothing is written."""
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in PRD_FIELDS:
                raise ValidationError(
                    f"A PRD has no field {name!r}; its fields are: {', '.join(PRD_FIELDS)}.", name
                )
            clean[name] = doc_rules.long_text(
                value, name, PRD_TITLES[name], doc_rules.LIMITS["prd_field"]
            )
        if sections is not None:
            clean["custom_sections"] = doc_rules.sections(sections)
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            doc_access.project_role(session, self.ctx.user_id, project_id, "member", "edit its PRD")
            row = _row(session, project_id)
            stored = 0 if row is None else row.version
            if stored != seen_version:
                raise _stale(seen_version, stored)
            if row is None:
                row = PlanPrd(project_id=project_id, version=1, created_at=now, updated_at=now)
                for name, value in clean.items():
                    setattr(row, name, value)
                session.add(row)
                session.flush()
            else:
                if all(getattr(row, name) == value for name, value in clean.items()):
                    return _prd(row, project_id, True)  # nothing changed: no empty version
                moved = session.execute(
                    update(PlanPrd)
                    .where(col(PlanPrd.id) == row.id, col(PlanPrd.version) == seen_version)
                    .values(version=seen_version + 1, updated_at=now, **clean)
                    .execution_options(synchronize_session=False)
                )
                if moved.rowcount != 1:  # type: ignore[attr-defined]
                    raise _stale(seen_version, seen_version + 1)
                session.refresh(row)
            prd = _prd(row, project_id, True)
            doc_access.record(
                session, number=row.version, title="PRD", body=prd_markdown(prd),
                user_id=self.ctx.user_id, prd_id=row.id,
            )  # fmt: skip
            return prd

    def versions(self, project_id: uuid.UUID) -> list[DocVersion]:
        with self.ctx.db.session() as session:
            doc_access.project_role(session, self.ctx.user_id, project_id, "viewer", "read its PRD")
            row = _row(session, project_id)
            return [] if row is None else doc_access.history(session, prd_id=row.id)

    def markdown(self, project_id: uuid.UUID, title: str | None = None) -> str:
        return prd_markdown(self.get(project_id), title)

    def export(
        self, project_id: uuid.UUID, folder: Path, name: str, title: str | None = None
    ) -> Path:
        """Write the PRD as Markdown to ``name`` inside ``folder`` (never outside it)."""
        from promptterm.services.path_guard import inside

        target = inside(folder, name, action="export the PRD to", folder="the folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.markdown(project_id, title), encoding="utf-8")
        return target


def _row(session: Session, project_id: uuid.UUID) -> PlanPrd | None:
    return session.exec(select(PlanPrd).where(col(PlanPrd.project_id) == project_id)).first()


def _stale(seen: int, stored: int) -> StaleEdit:
    return StaleEdit(
        "The PRD",
        (f"version {seen} → {stored}",),
        "Your text is still in the form: reopen the PRD in another view, compare, and save again.",
    )


def _prd(row: PlanPrd | None, project_id: uuid.UUID, editable: bool) -> Prd:
    if row is None:
        return Prd(project_id=project_id, can_edit=editable)
    return Prd(
        project_id=project_id,
        problem=row.problem,
        solution=row.solution,
        target_audience=row.target_audience,
        tech_stack=row.tech_stack,
        success_metrics=row.success_metrics,
        custom_sections=tuple(Section(s["name"], s["content"]) for s in row.custom_sections),
        version=row.version,
        updated_at=row.updated_at,
        can_edit=editable,
    )
