"""A project's customer profiles (seed 004): overview, background, problems, a scoring of
criteria, and at most one selected profile per project (a partial unique index holds that
even when two people select at once; the service refuses first, in words)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import PlanCustomer
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.plan import doc_access, doc_rules
from promptterm.services.plan.doc_models import CustomerProfile

TEXTS = {"overview": "Overview", "background": "Background", "problems": "Problems"}
_GONE = "That customer profile no longer exists: someone may have deleted it a moment ago."


class CustomerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, project_id: uuid.UUID) -> list[CustomerProfile]:
        """The project's profiles by name."""
        with self.ctx.db.session() as session:
            doc_access.project_role(
                session, self.ctx.user_id, project_id, "viewer", "read its customer profiles"
            )
            rows = session.exec(
                select(PlanCustomer)
                .where(col(PlanCustomer.project_id) == project_id)
                .order_by(col(PlanCustomer.name))
            ).all()
            return [_profile(r) for r in rows]

    def ranked(self, project_id: uuid.UUID) -> list[CustomerProfile]:
        """Highest total score first; ties by name."""
        return sorted(self.list(project_id), key=lambda p: (-p.total, p.name.lower()))

    def selected(self, project_id: uuid.UUID) -> CustomerProfile | None:
        return next((p for p in self.list(project_id) if p.is_selected), None)

    def find(self, project_id: uuid.UUID, ref: str) -> CustomerProfile:
        ref = ref.strip()
        profiles = self.list(project_id)
        hexed = ref.lower().replace("-", "")
        matches = [p for p in profiles if p.id.hex == hexed]
        if not matches and len(hexed) >= 4:
            matches = [p for p in profiles if p.id.hex.endswith(hexed)]
        if not matches:
            matches = [p for p in profiles if p.name == ref]
        if not matches:
            raise NotFound(f"No customer profile {ref!r} in this project.")
        if len(matches) > 1:
            ids = ", ".join(p.short_id for p in matches[:5])
            raise Conflict(f"{ref!r} names {len(matches)} profiles ({ids}); give its id.")
        return matches[0]

    def add(self, project_id: uuid.UUID, name: str, **fields: Any) -> CustomerProfile:
        clean = {"name": doc_rules.name(name), **_clean(fields)}
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            doc_access.project_role(
                session, self.ctx.user_id, project_id, "member", "add customer profiles"
            )
            row = PlanCustomer(project_id=project_id, created_at=now, updated_at=now, **clean)
            session.add(row)
            session.flush()
            return _profile(row)

    def update(self, profile_id: uuid.UUID, **fields: Any) -> CustomerProfile:
        clean = _clean({k: v for k, v in fields.items() if k != "name"})
        if "name" in fields:
            clean["name"] = doc_rules.name(fields["name"])
        with self.ctx.db.session() as session:
            row = self._open(session, profile_id, "member")
            for key, value in clean.items():
                setattr(row, key, value)
            row.updated_at = self.ctx.now()
            session.flush()
            return _profile(row)

    def select(self, profile_id: uuid.UUID) -> CustomerProfile:
        """Make this the project's selected profile. Refused, by name, while another one is
        selected: the user unselects that one first, so no choice is undone unseen."""
        with self.ctx.db.session() as session:
            row = self._open(session, profile_id, "member")
            other = session.exec(
                select(PlanCustomer).where(
                    col(PlanCustomer.project_id) == row.project_id,
                    col(PlanCustomer.is_selected),
                    col(PlanCustomer.id) != row.id,
                )
            ).first()
            if other is not None:
                raise _taken(other.name)
            row.is_selected = True
            row.updated_at = self.ctx.now()
            try:
                session.flush()
            except IntegrityError as exc:  # someone selected another one a moment ago
                raise _taken("another profile") from exc
            return _profile(row)

    def unselect(self, profile_id: uuid.UUID) -> CustomerProfile:
        with self.ctx.db.session() as session:
            row = self._open(session, profile_id, "member")
            row.is_selected = False
            row.updated_at = self.ctx.now()
            session.flush()
            return _profile(row)

    def delete(self, profile_id: uuid.UUID) -> CustomerProfile:
        with self.ctx.db.session() as session:
            row = self._open(session, profile_id, "member")
            gone = _profile(row)
            session.delete(row)
            return gone

    def _open(self, session: Session, profile_id: uuid.UUID, minimum: str) -> PlanCustomer:
        row = session.get(PlanCustomer, profile_id)
        if row is None:
            raise NotFound(_GONE)
        doc_access.project_role(
            session, self.ctx.user_id, row.project_id, minimum, "edit its customer profiles"
        )
        return row


def _taken(name: str) -> Conflict:
    return Conflict(
        f"{name!r} is already the selected customer profile of this project; a project has "
        "at most one. Unselect it first, then select this one."
    )


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key in TEXTS:
            clean[key] = doc_rules.long_text(
                value, key, TEXTS[key], doc_rules.LIMITS["profile_field"]
            )
        elif key == "scoring":
            clean[key] = doc_rules.scoring(value)
        else:
            raise ValidationError(
                f"A customer profile has no field {key!r}; use name, "
                f"{', '.join(TEXTS)} or scoring.",
                key,
            )
    return clean


def _profile(row: PlanCustomer) -> CustomerProfile:
    return CustomerProfile(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        overview=row.overview,
        background=row.background,
        problems=row.problems,
        scoring={str(k): float(v) for k, v in (row.scoring or {}).items()},
        is_selected=row.is_selected,
        updated_at=row.updated_at,
    )
