"""Statements: what a billing period cost, line by line, written when the period closes.

A period closes on the first action after it ends (``periods.roll_period``). Its statement
takes the lines left open on it (the plan fee written as the period began, prorations of
upgrades made during it, later catalog purchases) and adds the period's LLM usage at cost,
summed in SQL by provider and model. The open period shows the same, computed and never
written: the running draft.

On PostgreSQL people never write statements themselves (migration 0021): the writes go
through SECURITY DEFINER functions, and the one that closes a period sums the usage itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from promptterm.db.models import (
    CatalogProfile,
    CatalogPurchase,
    Invoice,
    InvoiceLine,
    UsageRecord,
    User,
)

UNKNOWN = "(unknown)"
USAGE_TEXT = "LLM usage at cost"
# The order lines are shown in: what the plan costs first, then what was used.
KIND_ORDER = {"plan_fee": 0, "proration": 1, "purchase": 2, "usage": 3, "adjustment": 4}
KIND_LABELS = {
    "plan_fee": "plan fee",
    "proration": "proration",
    "usage": "LLM usage",
    "purchase": "purchase",
    "adjustment": "adjustment",
}


@dataclass(frozen=True)
class StatementLine:
    kind: str  # plan_fee, proration, usage, purchase (catalog), adjustment
    description: str
    amount_cents: int
    provider: str | None = None
    model: str | None = None
    tokens: int | None = None
    calls: int | None = None
    cost_usd: Decimal | None = None  # usage at cost, exact; None: unpriced calls only

    @property
    def label(self) -> str:
        if self.kind == "usage":
            return f"{self.provider} · {self.model}"
        return self.description


@dataclass(frozen=True)
class Statement:
    id: uuid.UUID | None  # None: the open period's running draft, never written
    status: str  # draft (running), open, paid, void, uncollectible
    period_start: datetime
    period_end: datetime
    currency: str
    amount_due_cents: int
    amount_paid_cents: int | None
    paid_at: datetime | None
    created_at: datetime | None
    lines: tuple[StatementLine, ...]

    @property
    def is_draft(self) -> bool:
        return self.id is None

    @property
    def balance_cents(self) -> int:
        return max(self.amount_due_cents - (self.amount_paid_cents or 0), 0)

    @property
    def payable(self) -> bool:
        return self.id is not None and self.status == "open" and self.balance_cents > 0


def cents_of(cost: Decimal | None) -> int:
    """USD to whole cents, half up (as PostgreSQL's round does for these positive sums)."""
    if cost is None:
        return 0
    return int((cost * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def usage_lines(
    session: Session, user_id: uuid.UUID, start: datetime, end: datetime
) -> list[StatementLine]:
    """The period's LLM calls by provider and model, summed by the database (the billing
    index covers every column read here)."""
    provider = func.coalesce(UsageRecord.provider, UNKNOWN)
    model = func.coalesce(UsageRecord.model, UNKNOWN)
    tokens = func.sum(
        func.coalesce(UsageRecord.tokens_in, 0) + func.coalesce(UsageRecord.tokens_out, 0)
    )
    stmt = (
        select(provider, model, tokens, func.count(), func.sum(UsageRecord.cost_usd))
        .where(
            UsageRecord.user_id == user_id,
            UsageRecord.resource_type == "ai_tokens",
            col(UsageRecord.recorded_at) >= start,
            col(UsageRecord.recorded_at) < end,
        )
        .group_by(provider, model)
    )
    lines = []
    for prov, mod, used, calls, cost in session.exec(stmt).all():
        cost = None if cost is None else Decimal(cost)
        lines.append(
            StatementLine(
                "usage",
                USAGE_TEXT,
                cents_of(cost),
                provider=prov,
                model=mod,
                tokens=int(used or 0),
                calls=int(calls),
                cost_usd=cost,
            )
        )
    return lines


def line_of(row: InvoiceLine) -> StatementLine:
    return StatementLine(
        row.kind,
        row.description,
        row.amount_cents,
        provider=row.provider,
        model=row.model,
        tokens=row.quantity,
        calls=row.calls,
        cost_usd=None if row.cost_usd is None else Decimal(row.cost_usd),
    )


def ordered(lines: list[StatementLine]) -> tuple[StatementLine, ...]:
    return tuple(
        sorted(
            lines,
            key=lambda line: (
                KIND_ORDER.get(line.kind, 9),
                -line.amount_cents,
                line.provider or "",
                line.model or "",
            ),
        )
    )


def open_lines(session: Session, user_id: uuid.UUID) -> list[StatementLine]:
    stmt = select(InvoiceLine).where(
        InvoiceLine.user_id == user_id, col(InvoiceLine.invoice_id).is_(None)
    )
    return [line_of(row) for row in session.exec(stmt).all()]


def running_draft(
    session: Session, user_id: uuid.UUID, start: datetime, end: datetime
) -> Statement:
    """The open period as its statement would read if it closed now."""
    lines = ordered(open_lines(session, user_id) + usage_lines(session, user_id, start, end))
    return Statement(
        id=None,
        status="draft",
        period_start=start,
        period_end=end,
        currency="usd",
        amount_due_cents=sum(line.amount_cents for line in lines),
        amount_paid_cents=None,
        paid_at=None,
        created_at=None,
        lines=lines,
    )


def statement_of(session: Session, invoice: Invoice) -> Statement:
    rows = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    assert invoice.period_start is not None and invoice.period_end is not None
    return Statement(
        id=invoice.id,
        status=invoice.status,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        currency=invoice.currency,
        amount_due_cents=invoice.amount_due,
        amount_paid_cents=invoice.amount_paid,
        paid_at=invoice.paid_at,
        created_at=invoice.created_at,
        lines=ordered([line_of(row) for row in rows]),
    )


# -- writing (the system's part) --------------------------------------------------------------


def add_charge(
    session: Session,
    user_id: uuid.UUID,
    kind: str,
    description: str,
    amount_cents: int,
    at: datetime,
    new_id: uuid.UUID | None = None,
) -> None:
    """A plan fee or proration on the open period's statement."""
    line_id = new_id or uuid.uuid4()
    if is_postgres(session):
        session.execute(
            text("SELECT promptterm_add_charge(:id, :user, :kind, :text, :amount, :at)"),
            {
                "id": line_id,
                "user": user_id,
                "kind": kind,
                "text": description,
                "amount": amount_cents,
                "at": at,
            },
        )
        return
    session.add(
        InvoiceLine(
            id=line_id,
            user_id=user_id,
            kind=kind,
            description=description,
            amount_cents=amount_cents,
            created_at=at,
        )
    )
    session.flush()


# Catalog prices in these currencies have no minor unit (services/catalog/rules.py).
ZERO_DECIMAL = ("JPY", "KRW")


def purchase_description(title: str, version: int, seller: str, amount: int, currency: str) -> str:
    """What a catalog purchase's line says; migration 0026 writes the same on PostgreSQL.
    A purchase in another currency than USD is charged in it, not converted: the line says
    what was paid and costs nothing on the USD statement."""
    text_ = f"{title} (v{version}) by {seller}"
    code = currency.upper()
    if code == "USD":
        return text_
    price = str(amount) if code in ZERO_DECIMAL else f"{amount / 100:.2f}"
    return f"{text_}: {price} {code}, charged in {code}"


def add_purchase_charge(session: Session, purchase_id: uuid.UUID) -> uuid.UUID | None:
    """The buyer's line for a catalog purchase on their open period, written from the
    purchase row itself (amount, currency, title, version, time); None for a free item.
    Once per purchase: calling it again returns the line already written."""
    if is_postgres(session):
        sql = "SELECT promptterm_add_purchase_charge(:id)"
        result = session.execute(text(sql), {"id": purchase_id}).scalar()
        return None if result is None else uuid.UUID(str(result))
    purchase = session.get(CatalogPurchase, purchase_id)
    if purchase is None:
        raise LookupError(f"no catalog purchase {purchase_id}")
    done = session.exec(select(InvoiceLine.id).where(InvoiceLine.purchase_id == purchase_id))
    earlier = done.first()
    if earlier is not None or purchase.amount == 0:
        return earlier
    profile = session.get(CatalogProfile, purchase.seller_id)
    user = session.get(User, purchase.seller_id)
    seller = profile.nickname if profile else user.display_name if user else None
    usd = purchase.currency.upper() == "USD"
    line = InvoiceLine(
        id=uuid.uuid4(),
        user_id=purchase.buyer_id,
        kind="purchase",
        description=purchase_description(
            purchase.title,
            purchase.version,
            seller or "someone",
            purchase.amount,
            purchase.currency,
        ),
        amount_cents=purchase.amount if usd else 0,
        purchase_id=purchase.id,
        created_at=purchase.created_at,
    )
    session.add(line)
    session.flush()
    return line.id


def close_statement(
    session: Session,
    user_id: uuid.UUID,
    subscription_id: uuid.UUID,
    start: datetime,
    end: datetime,
    now: datetime,
) -> uuid.UUID | None:
    """Write the statement of [start, end), which has ended; None when nothing was billed
    (no fee, no purchase, no call). The subscription must already be rolled past ``end``."""
    invoice_id = uuid.uuid4()
    params: dict[str, Any] = {"id": invoice_id, "user": user_id, "start": start, "end": end}
    if is_postgres(session):
        sql = "SELECT promptterm_close_statement(:id, :user, :start, :end, :now)"
        result = session.execute(text(sql), {**params, "now": now}).scalar()
        return None if result is None else uuid.UUID(str(result))
    session.add(
        Invoice(
            id=invoice_id,
            user_id=user_id,
            subscription_id=subscription_id,
            amount_due=0,
            currency="usd",
            status="open",
            period_start=start,
            period_end=end,
            created_at=now,
        )
    )
    session.flush()
    session.execute(
        update(InvoiceLine)
        .where(
            col(InvoiceLine.user_id) == user_id,
            col(InvoiceLine.invoice_id).is_(None),
            col(InvoiceLine.created_at) < end,
        )
        .values(invoice_id=invoice_id)
    )
    for line in usage_lines(session, user_id, start, end):
        session.add(
            InvoiceLine(
                invoice_id=invoice_id,
                user_id=user_id,
                kind="usage",
                description=line.description,
                provider=line.provider,
                model=line.model,
                quantity=line.tokens,
                calls=line.calls,
                amount_cents=line.amount_cents,
                cost_usd=line.cost_usd,
                created_at=now,
            )
        )
    session.flush()
    total, count = session.exec(
        select(func.coalesce(func.sum(InvoiceLine.amount_cents), 0), func.count()).where(
            InvoiceLine.invoice_id == invoice_id
        )
    ).one()
    invoice = session.get(Invoice, invoice_id)
    assert invoice is not None
    if count == 0:
        session.delete(invoice)
        session.flush()
        return None
    invoice.amount_due = int(total)
    if total == 0:
        invoice.status, invoice.amount_paid, invoice.paid_at = "paid", 0, end
    session.add(invoice)
    session.flush()
    return invoice_id
