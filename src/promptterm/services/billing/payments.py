"""Paying a statement: a processor takes the charge, the system records it (issue 18, item 9).

Two processors: ``AdminRecorded`` (a team that pays outside: an owner or admin records what
came in) and ``StripeProcessor`` (stripe.py: PaymentIntents over httpx). The payment row and
the statement's paid state are written together, by the system: on PostgreSQL through
``promptterm_record_payment`` (migration 0021), which people cannot go around with an INSERT.

A pay carries an idempotency key made from the statement and the number of attempts that
failed before it: a double-submitted pay sends the same key, so the processor charges once and
the payment is recorded once; a retry after a decline is a new attempt with a new key.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, func, select

from promptterm.db.models import Invoice, Payment
from promptterm.services.billing.format import cents
from promptterm.services.billing.statements import is_postgres
from promptterm.services.errors import Conflict, Forbidden


@dataclass(frozen=True)
class ChargeRequest:
    statement_id: uuid.UUID
    amount_cents: int
    currency: str
    idempotency_key: str
    description: str


@dataclass(frozen=True)
class ChargeResult:
    status: str  # succeeded, failed, pending
    external_id: str | None
    payment_method: str | None
    error_message: str | None = None  # in words, for the person paying
    error_code: str | None = None  # the processor's (card_declined, ...)


class PaymentProcessor(Protocol):
    name: str  # recorded on the payment: "stripe", "admin"

    def charge(self, request: ChargeRequest) -> ChargeResult: ...


@dataclass(frozen=True)
class AdminRecorded:
    """A payment made outside promptterm (a bank transfer, an invoice paid by the company),
    recorded by a workspace owner or admin; ``reference`` is theirs (a transfer's id)."""

    reference: str | None = None
    method: str = "paid outside promptterm"
    name: str = "admin"

    def charge(self, request: ChargeRequest) -> ChargeResult:
        return ChargeResult("succeeded", self.reference, self.method)


def attempt_key(session: Session, statement_id: uuid.UUID) -> str:
    """The idempotency key of the next attempt to pay ``statement_id``."""
    failed = session.exec(
        select(func.count()).where(
            Payment.invoice_id == statement_id, col(Payment.status) == "failed"
        )
    ).one()
    return f"promptterm-{statement_id}-{failed + 1}"


def recorded(session: Session, key: str) -> Payment | None:
    return session.exec(select(Payment).where(Payment.idempotency_key == key)).first()


def record(
    session: Session,
    invoice: Invoice | None,
    request: ChargeRequest,
    result: ChargeResult,
    processor: str,
    at: datetime,
    new_id: uuid.UUID,
) -> None:
    """The payment row, and the statement paid when it succeeded: both or neither.
    ``invoice`` None: a member's statement the recorder cannot read (PostgreSQL only)."""
    key, amount_cents = request.idempotency_key, request.amount_cents
    if is_postgres(session):
        fields = {
            "id": new_id,
            "invoice": request.statement_id,
            "amount": amount_cents,
            "status": result.status,
            "processor": processor,
            "external": result.external_id,
            "method": result.payment_method,
            "error": result.error_message,
            "key": key,
            "at": at,
        }
        sql = (
            "SELECT promptterm_record_payment(:id, :invoice, :amount, :status, :processor,"
            " :external, :method, :error, :key, :at)"
        )
        try:
            session.execute(text(sql), fields)
        except DBAPIError as exc:
            state = getattr(exc.orig, "sqlstate", None)
            if state == "23514":
                # The statement was paid or changed since the recorder looked at it.
                short = str(request.statement_id)[:8]
                raise Conflict(
                    f"Statement {short} is no longer open with this balance: "
                    "there is nothing to pay. Look at it again."
                ) from exc
            if state not in ("42501", "P0002"):
                raise
            raise Forbidden(
                "Only a workspace owner or admin records a payment made outside promptterm, "
                "and only for a member of their workspace."
            ) from exc
        return
    assert invoice is not None
    if recorded(session, key) is not None:
        return
    session.add(
        Payment(
            id=new_id,
            user_id=invoice.user_id,
            subscription_id=invoice.subscription_id,
            invoice_id=invoice.id,
            amount=amount_cents,
            currency=invoice.currency,
            status=result.status,
            processor=processor,
            external_id=result.external_id,
            payment_method=result.payment_method,
            error_message=result.error_message,
            idempotency_key=key,
            created_at=at,
        )
    )
    if result.status == "succeeded":
        paid = (invoice.amount_paid or 0) + amount_cents
        invoice.amount_paid = paid
        if paid >= invoice.amount_due:
            invoice.status, invoice.paid_at = "paid", at
        session.add(invoice)
    session.flush()


def declined_text(statement: str, amount_cents: int, currency: str, result: ChargeResult) -> str:
    reason = result.error_message or "The payment was declined."
    return (
        f"{reason.rstrip('.')}. Nothing was charged and statement {statement} stays open "
        f"({cents(amount_cents, currency)} due): pay again with another card, or ask your "
        "bank why."
    )
