"""Statements for the screens and the CLI: the written ones, the running draft, export, pay."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import Invoice
from promptterm.services.billing.history import payment_info
from promptterm.services.billing.models import PaymentInfo
from promptterm.services.billing.payments import (
    ChargeRequest,
    ChargeResult,
    PaymentProcessor,
    attempt_key,
    declined_text,
    record,
    recorded,
)
from promptterm.services.billing.periods import current_subscription
from promptterm.services.billing.plan_change import check_billing_admin
from promptterm.services.billing.statement_export import to_csv, to_markdown
from promptterm.services.billing.statements import (
    Statement,
    is_postgres,
    running_draft,
    statement_of,
)
from promptterm.services.context import ServiceContext
from promptterm.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PaymentDeclined,
    ValidationError,
)

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

    def pay(self, statement: Statement, processor: PaymentProcessor) -> PaymentInfo:
        """Charge what is left to pay on a written, open statement and record it; a decline is
        recorded too (it says why) and raised as PaymentDeclined, the statement left open."""
        if statement.id is None:
            raise ValidationError(
                "The running draft is not billed yet: it can be paid once its period closes "
                f"on {statement.period_end:%Y-%m-%d}.",
                "statement",
            )
        with self.ctx.db.session() as session:
            invoice = session.get(Invoice, statement.id)
            request = self._request(session, statement, invoice, processor.name)
            earlier = recorded(session, request.idempotency_key)
            if earlier is not None:
                return payment_info(earlier)
        # The charge goes out with no session open: a slow processor holds no connection.
        result = processor.charge(request)
        try:
            info = self._record(request, result, processor.name)
        except IntegrityError:
            # The same attempt sent twice at once: the processor charged once (same key), and
            # the other submit recorded it first.
            with self.ctx.db.session() as session:
                row = recorded(session, request.idempotency_key)
                if row is None:
                    raise
                info = payment_info(row)
        if result.status == "failed":
            short = str(request.statement_id)[:8]
            raise PaymentDeclined(
                declined_text(short, request.amount_cents, request.currency, result)
            )
        return info

    def _request(
        self, session: Session, seen: Statement, invoice: Invoice | None, processor: str
    ) -> ChargeRequest:
        assert seen.id is not None
        short = str(seen.id)[:8]
        text = f"promptterm statement {short}"
        if invoice is None and processor == "admin" and is_postgres(session):
            # A member's statement, which only they read: recorded as they showed it, and
            # promptterm_record_payment checks that the recorder owns or runs their workspace.
            key = f"promptterm-{seen.id}-admin-{seen.amount_paid_cents or 0}"
            return ChargeRequest(seen.id, seen.balance_cents, seen.currency, key, text)
        if invoice is None:
            raise NotFound("That statement is no longer there.")
        if processor == "admin":
            check_billing_admin(session, self.ctx.user_id, invoice.user_id)
        elif invoice.user_id != self.ctx.user_id:
            raise Forbidden("You pay only your own statements.")
        balance = invoice.amount_due - (invoice.amount_paid or 0)
        if invoice.status != "open" or balance <= 0:
            raise Conflict(f"Statement {short} is {invoice.status}: there is nothing to pay.")
        key = attempt_key(session, invoice.id)
        return ChargeRequest(invoice.id, balance, invoice.currency, key, text)

    def _record(self, request: ChargeRequest, result: ChargeResult, processor: str) -> PaymentInfo:
        payment_id, now = self.ctx.new_id(), self.ctx.now()
        with self.ctx.db.session() as session:
            record(
                session,
                session.get(Invoice, request.statement_id),
                request,
                result,
                processor,
                now,
                payment_id,
            )
            row = recorded(session, request.idempotency_key)
            if row is not None:
                return payment_info(row)
        # Recorded for a member, whose payments only they read.
        return PaymentInfo(
            id=payment_id,
            status=result.status,
            amount_cents=request.amount_cents,
            currency=request.currency,
            payment_method=result.payment_method,
            error_message=result.error_message,
            external_id=result.external_id,
            created_at=now,
        )

    def stripe(self, payment_method: str, base_url: str | None = None) -> PaymentProcessor:
        """Stripe, with the secret key from the keyring (or STRIPE_SECRET_KEY)."""
        from promptterm.services.billing.stripe import API_BASE, StripeProcessor, secret_key

        method = payment_method.strip()
        if not method.startswith("pm_"):
            raise ValidationError(
                "Name the saved card to charge by its Stripe id, pm_... (your Stripe "
                "dashboard lists them under the customer).",
                "payment_method",
            )
        return StripeProcessor(method, secret_key(), base_url or API_BASE)

    def set_stripe_key(self, value: str) -> None:
        from promptterm.services.billing.stripe import store_secret_key

        store_secret_key(value)

    def export(self, statement: Statement, fmt: str) -> str:
        """The statement as Markdown ("md") or CSV ("csv") text."""
        if fmt not in EXPORT_FORMATS:
            raise ValidationError("A statement exports as md (Markdown) or csv.", "format")
        return to_markdown(statement) if fmt == "md" else to_csv(statement)
