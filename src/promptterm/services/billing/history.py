"""Invoices (seed 002) and payment history (seed 004): what was billed and what was charged.

promptterm talks to no payment processor itself; these rows come from one (a Stripe or Polar
sync, or an import) through ``record_invoice`` / ``record_payment``, which check them as the
database would, with messages a person can act on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from promptterm.db.models import Invoice, Payment
from promptterm.db.models.billing import INVOICE_STATUSES, PAYMENT_STATUSES
from promptterm.services.billing.models import InvoiceInfo, PaymentInfo
from promptterm.services.billing.periods import current_subscription
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, Forbidden, ValidationError

Row = TypeVar("Row", Invoice, Payment)
Info = TypeVar("Info", InvoiceInfo, PaymentInfo)


def invoice_info(i: Invoice) -> InvoiceInfo:
    return InvoiceInfo(
        id=i.id,
        status=i.status,
        amount_due_cents=i.amount_due,
        amount_paid_cents=i.amount_paid,
        currency=i.currency,
        period_start=i.period_start,
        period_end=i.period_end,
        paid_at=i.paid_at,
        created_at=i.created_at,
        external_id=i.external_id,
        pdf_url=i.invoice_pdf_url,
    )


def payment_info(p: Payment) -> PaymentInfo:
    return PaymentInfo(
        id=p.id,
        status=p.status,
        amount_cents=p.amount,
        currency=p.currency,
        payment_method=p.payment_method,
        error_message=p.error_message,
        external_id=p.external_id,
        created_at=p.created_at,
    )


def invoices_of(session: Session, user_id: uuid.UUID, limit: int) -> tuple[InvoiceInfo, ...]:
    stmt = (
        select(Invoice)
        .where(Invoice.user_id == user_id)
        .order_by(col(Invoice.created_at).desc(), col(Invoice.id).desc())
        .limit(limit)
    )
    return tuple(invoice_info(i) for i in session.exec(stmt).all())


def payments_of(session: Session, user_id: uuid.UUID, limit: int) -> tuple[PaymentInfo, ...]:
    stmt = (
        select(Payment)
        .where(Payment.user_id == user_id)
        .order_by(col(Payment.created_at).desc(), col(Payment.id).desc())
        .limit(limit)
    )
    return tuple(payment_info(p) for p in session.exec(stmt).all())


def check_amount(cents: int | None, field: str) -> None:
    if cents is not None and (isinstance(cents, bool) or not isinstance(cents, int) or cents < 0):
        raise ValidationError("Amounts are whole cents, 0 or more.", field)


def check_currency(currency: str) -> str:
    code = currency.strip().lower()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError("A currency is a three-letter code such as usd or eur.", "currency")
    return code


def check_status(status: str, allowed: tuple[str, ...], what: str) -> None:
    if status not in allowed:
        raise ValidationError(f"{what} status is one of {', '.join(allowed)}.", "status")


def check_period(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValidationError("An invoice's period must end after it starts.", "period_end")


def unique_external_id(
    session: Session, model: type[Invoice] | type[Payment], value: str | None
) -> None:
    if value is None:
        return
    taken = session.exec(select(model.id).where(model.external_id == value)).first()
    if taken is not None:
        raise Conflict(f"{value!r} is already recorded; each processor id is recorded once.")


def add_invoice(
    ctx: ServiceContext,
    *,
    amount_due_cents: int,
    status: str,
    amount_paid_cents: int | None = None,
    currency: str = "usd",
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    paid_at: datetime | None = None,
    external_id: str | None = None,
    pdf_url: str | None = None,
) -> InvoiceInfo:
    check_status(status, INVOICE_STATUSES, "An invoice's")
    check_amount(amount_due_cents, "amount_due")
    check_amount(amount_paid_cents, "amount_paid")
    check_period(period_start, period_end)
    code = check_currency(currency)
    return _record(
        ctx,
        Invoice,
        invoice_info,
        external_id,
        amount_due=amount_due_cents,
        amount_paid=amount_paid_cents,
        currency=code,
        status=status,
        invoice_pdf_url=pdf_url,
        period_start=period_start,
        period_end=period_end,
        paid_at=paid_at,
    )


def add_payment(
    ctx: ServiceContext,
    *,
    amount_cents: int,
    status: str,
    currency: str = "usd",
    payment_method: str | None = None,
    error_message: str | None = None,
    external_id: str | None = None,
) -> PaymentInfo:
    check_status(status, PAYMENT_STATUSES, "A payment's")
    check_amount(amount_cents, "amount")
    code = check_currency(currency)
    return _record(
        ctx,
        Payment,
        payment_info,
        external_id,
        amount=amount_cents,
        currency=code,
        status=status,
        payment_method=payment_method,
        error_message=error_message,
    )


def _record(
    ctx: ServiceContext,
    table: type[Row],
    info: Callable[[Row], Info],
    external_id: str | None,
    **fields: Any,
) -> Info:
    """A row of ``table`` (an invoice, a payment) on the user's current subscription; a
    processor's id is recorded once."""
    with ctx.db.session() as session:
        unique_external_id(session, table, external_id)
        sub, _ = current_subscription(session, ctx.user_id, ctx.now())
        row = table(
            id=ctx.new_id(),
            user_id=ctx.user_id,
            subscription_id=sub.id,
            external_id=external_id,
            **fields,
            created_at=ctx.now(),
        )
        session.add(row)
        try:
            session.flush()
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
                raise
            raise Forbidden(
                "Invoices and payments are recorded by the system, not from a teammate's "
                "database role: run the payment processor's sync as the role that owns "
                "promptterm's tables (the one that ran `promptterm db upgrade`). You can read "
                "your own with `promptterm billing invoices`."
            ) from exc
        return info(row)
