"""Statements for the screens and the CLI: the written ones, the running draft, export, pay."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from promptterm.db.models import Invoice
from promptterm.services.billing.periods import current_subscription
from promptterm.services.billing.statement_export import to_csv, to_markdown
from promptterm.services.billing.statements import Statement, running_draft, statement_of
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError

EXPORT_FORMATS = ("md", "csv")
DRAFT_NAMES = ("draft", "current", "open")


class StatementService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def statements(self, limit: int = 100) -> list[Statement]:
        """Written statements, the latest period first (closing an ended period first)."""
        with self.ctx.db.session() as session:
            current_subscription(session, self.ctx.user_id, self.ctx.now())
            stmt = (
                select(Invoice)
                .where(Invoice.user_id == self.ctx.user_id, col(Invoice.period_start).isnot(None))
                .where(col(Invoice.external_id).is_(None))
                .order_by(col(Invoice.period_start).desc())
                .limit(limit)
            )
            return [statement_of(session, row) for row in session.exec(stmt).all()]

    def draft(self) -> Statement:
        """The open period as its statement would read if it closed now (never written)."""
        with self.ctx.db.session() as session:
            sub, _ = current_subscription(session, self.ctx.user_id, self.ctx.now())
            return running_draft(
                session, self.ctx.user_id, sub.current_period_start, sub.current_period_end
            )

    def get(self, ref: str) -> Statement:
        """A statement by its id (or the id's first characters), or "draft" for the open
        period's."""
        ref = ref.strip().lower()
        if ref in DRAFT_NAMES:
            return self.draft()
        if len(ref) < 4:
            raise ValidationError(
                "Name a statement by at least the first 4 characters of its id, or 'draft' "
                "for the open period (`promptterm billing statements` lists them).",
                "statement",
            )
        found = [s for s in self.statements(1000) if str(s.id).startswith(ref)]
        if not found:
            raise NotFound(
                f"You have no statement whose id starts with {ref!r}; "
                "`promptterm billing statements` lists them."
            )
        if len(found) > 1:
            raise ValidationError(
                f"{len(found)} statements start with {ref!r}: give more of the id.", "statement"
            )
        return found[0]

    def by_id(self, statement_id: uuid.UUID) -> Statement:
        with self.ctx.db.session() as session:
            row = session.get(Invoice, statement_id)
            if row is None or row.user_id != self.ctx.user_id:
                raise NotFound("That statement is no longer there.")
            return statement_of(session, row)

    def export(self, statement: Statement, fmt: str) -> str:
        """The statement as Markdown ("md") or CSV ("csv") text."""
        if fmt not in EXPORT_FORMATS:
            raise ValidationError("A statement exports as md (Markdown) or csv.", "format")
        return to_markdown(statement) if fmt == "md" else to_csv(statement)
