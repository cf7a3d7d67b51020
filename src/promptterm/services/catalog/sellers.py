"""Who may sell: anyone publishes free items; a price needs an approved seller application,
processed by an owner of a workspace the applicant belongs to (or the database's admin), never
by the applicant: an owner belongs to their own workspace, and approving oneself would let
anyone who makes a workspace sell at a price. PostgreSQL's row-level security refuses the
same (promptterm_may_process_seller, migration 0034_seller_self_approval)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, text
from sqlmodel import Session, col, select

from promptterm.db.models import (
    CatalogProfile,
    SellerApplication,
    User,
    Workspace,
    WorkspaceMember,
)
from promptterm.services.catalog import rules
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, Forbidden, NotFound
from promptterm.services.validation import clean_name, clean_tags, optional_text


@dataclass(frozen=True)
class ApplicationInfo:
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    email: str
    portfolio_url: str | None
    categories: tuple[str, ...]
    message: str | None
    processed: bool
    decision: str | None
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "user_id": str(self.user_id),
            "name": self.name,
            "email": self.email,
            "portfolio_url": self.portfolio_url,
            "categories": list(self.categories),
            "message": self.message,
            "processed": self.processed,
            "decision": self.decision,
            "created_at": self.created_at.isoformat(),
        }


def is_seller(session: Session, user_id: uuid.UUID) -> bool:
    stmt = select(SellerApplication.id).where(
        SellerApplication.user_id == user_id, SellerApplication.decision == "approved"
    )
    return session.exec(stmt).first() is not None


def _info(row: SellerApplication) -> ApplicationInfo:
    return ApplicationInfo(
        row.id, row.user_id, row.name, row.email, row.portfolio_url, tuple(row.categories),
        row.message, row.processed, row.decision, row.created_at,
    )  # fmt: skip


class SellerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def apply(
        self,
        *,
        name: str,
        email: str,
        portfolio_url: str | None = None,
        categories: list[str] | None = None,
        message: str | None = None,
    ) -> ApplicationInfo:
        row = SellerApplication(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            name=clean_name(name, "name", label="A name", max_len=100),
            email=rules.check_email(email),
            portfolio_url=rules.check_url(portfolio_url.strip(), "portfolio_url")
            if portfolio_url and portfolio_url.strip()
            else None,
            categories=clean_tags(categories, owner="An application"),
            message=optional_text(message, "message", label="A message", max_len=2000),
            created_at=self.ctx.now(),
        )
        with self.ctx.db.session() as session:
            if session.exec(
                select(SellerApplication.id).where(
                    SellerApplication.user_id == self.ctx.user_id,
                    SellerApplication.processed == False,  # noqa: E712
                )
            ).first():
                raise Conflict("You already have an application waiting; it will be processed.")
            session.add(row)
            return _info(row)

    def is_seller(self) -> bool:
        with self.ctx.db.session() as session:
            return is_seller(session, self.ctx.user_id)

    def list(self, *, pending_only: bool = False) -> list[ApplicationInfo]:
        """One's own applications and those one may process."""
        with self.ctx.db.session() as session:
            stmt = select(SellerApplication).order_by(col(SellerApplication.created_at))
            if pending_only:
                stmt = stmt.where(SellerApplication.processed == False)  # noqa: E712
            rows = session.exec(stmt).all()
            return [
                _info(r) for r in rows
                if r.user_id == self.ctx.user_id or self._may_process(session, r.user_id)
            ]  # fmt: skip

    def decide(self, application_id: uuid.UUID, approve: bool) -> ApplicationInfo:
        with self.ctx.db.session() as session:
            row = session.get(SellerApplication, application_id)
            if row is None or not (
                row.user_id == self.ctx.user_id or self._may_process(session, row.user_id)
            ):
                raise NotFound("No such seller application.")
            if row.user_id == self.ctx.user_id and not self._is_database_admin(session):
                raise Forbidden(
                    "You cannot process your own seller application: an owner of another "
                    "workspace you belong to decides it."
                )
            if not self._may_process(session, row.user_id):
                raise Forbidden(
                    "Only an owner of a workspace the applicant belongs to processes "
                    "seller applications."
                )
            session.refresh(row, with_for_update=True)  # held until the commit
            if row.processed:
                raise Conflict(f"This application was already {row.decision}.")
            row.processed = True
            row.decision = "approved" if approve else "declined"
            row.processed_by = self.ctx.user_id
            row.processed_at = self.ctx.now()
            session.add(row)
            return _info(row)

    def set_profile(self, nickname: str, avatar_url: str | None = None) -> None:
        name = clean_name(nickname, "nickname", label="A nickname", max_len=100)
        url = rules.check_url(avatar_url.strip(), "avatar_url") if avatar_url else None
        with self.ctx.db.session() as session:
            row = session.get(CatalogProfile, self.ctx.user_id)
            if row is None:
                row = CatalogProfile(user_id=self.ctx.user_id, nickname=name)
            row.nickname, row.avatar_url, row.updated_at = name, url, self.ctx.now()
            session.add(row)

    def _may_process(self, session: Session, applicant: uuid.UUID) -> bool:
        if self._is_database_admin(session):
            return True
        if applicant == self.ctx.user_id:
            return False
        stmt = select(
            exists().where(
                Workspace.owner_id == self.ctx.user_id,
                WorkspaceMember.workspace_id == Workspace.id,
                WorkspaceMember.user_id == applicant,
            )
        )
        return bool(session.exec(stmt).one())

    def _is_database_admin(self, session: Session) -> bool:
        """SQLite's local user owns the file; on PostgreSQL, a superuser or the tables'
        owner (whom row-level security does not stop either)."""
        if session.get_bind().dialect.name == "sqlite":
            user = session.get(User, self.ctx.user_id)
            return bool(user and user.is_local)
        return bool(
            session.execute(
                text(
                    "SELECT r.rolsuper OR pg_has_role(session_user, t.tableowner, 'MEMBER')"
                    " FROM pg_roles r, pg_tables t WHERE r.rolname = session_user"
                    " AND t.tablename = 'seller_applications'"
                )
            ).scalar()
        )
