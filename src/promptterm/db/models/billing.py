"""Plans, subscriptions, usage records, invoices (seeds 002, 003, 004) and API key metadata."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field, ts_field

SUBSCRIPTION_STATUSES = ("active", "trialing", "past_due", "canceled", "unpaid")
BILLING_INTERVALS = ("monthly", "yearly")
RESOURCE_TYPES = ("ai_tokens", "api_calls", "storage_gb", "executions")
INVOICE_STATUSES = ("draft", "open", "paid", "void", "uncollectible")
PAYMENT_STATUSES = ("succeeded", "pending", "failed", "refunded")
# What a statement line is for; "purchase" is kept for catalog purchases.
LINE_KINDS = ("plan_fee", "proration", "usage", "purchase", "adjustment")


class SubscriptionPlan(SQLModel, table=True):
    __tablename__ = "subscription_plans"
    __table_args__ = (
        Index(None, "is_active", "sort_order"),
        CheckConstraint("price_monthly >= 0 AND price_yearly >= 0", name="prices_positive"),
    )

    id: uuid.UUID = id_field()
    name: str = Field(unique=True, max_length=64)
    slug: str = Field(unique=True, max_length=32)
    description: str | None = None
    price_monthly: int = Field(default=0)  # cents
    price_yearly: int = Field(default=0)  # cents
    features: list[Any] = json_field([])
    # {tokens_per_month, max_presets, max_components, max_projects, storage_mb}; null = unlimited
    limits: dict[str, Any] = json_field({})
    trial_period_days: int | None = None
    is_active: bool = Field(default=True)
    sort_order: int = Field(default=0)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Subscription(SQLModel, table=True):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint(f"status IN {SUBSCRIPTION_STATUSES}", name="status"),
        CheckConstraint(f"billing_interval IN {BILLING_INTERVALS}", name="billing_interval"),
        CheckConstraint("current_period_end > current_period_start", name="period_order"),
        Index(None, "status"),
        Index(None, "current_period_end"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", unique=True)
    plan_id: uuid.UUID = fk("subscription_plans.id", "RESTRICT", index=True)
    external_id: str | None = Field(default=None, unique=True)  # Stripe / Polar id
    status: str = Field(default="active", max_length=16)
    billing_interval: str = Field(default="monthly", max_length=16)
    current_period_start: datetime = created_field()
    current_period_end: datetime = created_field()
    cancel_at_period_end: bool = Field(default=False)
    canceled_at: datetime | None = ts_field()
    trial_start: datetime | None = ts_field()
    trial_end: datetime | None = ts_field()
    # A downgrade chosen for the period's end (migration 0021): applied when the period rolls.
    pending_plan_id: uuid.UUID | None = fk("subscription_plans.id", "RESTRICT", nullable=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class UsageRecord(SQLModel, table=True):
    __tablename__ = "usage_records"
    __table_args__ = (
        CheckConstraint(f"resource_type IN {RESOURCE_TYPES}", name="resource_type"),
        CheckConstraint("amount >= 0", name="amount_positive"),
        # Covering: the billing sums (meter, budget, spend by model and day) read only the
        # index (migration 0009).
        Index(
            "ix_usage_records_billing",
            "user_id",
            "resource_type",
            "recorded_at",
            "provider",
            "model",
            "amount",
            "tokens_in",
            "tokens_out",
            "cost_usd",
        ),
        Index(None, "workspace_id", "recorded_at"),
        Index(None, "conversation_id"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    workspace_id: uuid.UUID | None = fk("workspaces.id", "SET NULL", nullable=True)
    conversation_id: uuid.UUID | None = fk("conversations.id", "SET NULL", nullable=True)
    resource_type: str = Field(max_length=16)
    amount: Decimal = Field(sa_type=Numeric(20, 6))
    unit: str = Field(max_length=16)
    provider: str | None = Field(default=None, max_length=64)
    model: str | None = Field(default=None, max_length=128)
    tokens_in: int | None = None
    tokens_out: int | None = None
    # Null means the model has no known price: shown as unpriced, never as free.
    cost_usd: Decimal | None = Field(default=None, sa_type=Numeric(14, 6))
    meta: dict[str, Any] = json_field({})
    recorded_at: datetime = created_field()
    created_at: datetime = created_field()


class Invoice(SQLModel, table=True):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(f"status IN {INVOICE_STATUSES}", name="status"),
        Index(None, "user_id", "created_at"),
        Index(None, "status"),
        # One statement per period: two processes closing it at once write it once. Invoices
        # from a processor's sync (with an external id) are apart.
        Index(
            None,
            "user_id",
            "period_start",
            unique=True,
            sqlite_where=text("external_id IS NULL"),
            postgresql_where=text("external_id IS NULL"),
        ),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    subscription_id: uuid.UUID | None = fk("subscriptions.id", "SET NULL", nullable=True)
    external_id: str | None = Field(default=None, unique=True)
    amount_due: int  # cents
    amount_paid: int | None = None
    currency: str = Field(default="usd", max_length=3)
    status: str = Field(max_length=16)
    invoice_pdf_url: str | None = None
    period_start: datetime | None = ts_field()
    period_end: datetime | None = ts_field()
    paid_at: datetime | None = ts_field()
    created_at: datetime = created_field()


class Payment(SQLModel, table=True):
    """One payment attempt (seed 004 payment_history): what was charged, and why it failed."""

    __tablename__ = "payment_history"
    __table_args__ = (
        CheckConstraint(f"status IN {PAYMENT_STATUSES}", name="status"),
        CheckConstraint("amount >= 0", name="amount_positive"),
        Index(None, "user_id", "created_at"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    subscription_id: uuid.UUID | None = fk("subscriptions.id", "SET NULL", nullable=True)
    amount: int  # cents, like the invoices
    currency: str = Field(default="usd", max_length=3)
    status: str = Field(max_length=16)
    external_id: str | None = Field(default=None, unique=True)  # the payment processor's id
    payment_method: str | None = None
    error_message: str | None = None
    # Migration 0021: the statement paid, who took it ("stripe", "admin") and the key that
    # makes a double-submitted payment charge once.
    invoice_id: uuid.UUID | None = fk("invoices.id", "SET NULL", nullable=True, index=True)
    processor: str | None = Field(default=None, max_length=16)
    idempotency_key: str | None = Field(default=None, unique=True, max_length=255)
    created_at: datetime = created_field()


class InvoiceLine(SQLModel, table=True):
    """One line of a statement; ``invoice_id`` NULL: on the open period's running draft."""

    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint(f"kind IN {LINE_KINDS}", name="kind"),
        CheckConstraint("amount_cents >= 0", name="amount_positive"),
        Index(None, "user_id", "invoice_id"),
        Index(None, "invoice_id"),
        UniqueConstraint("purchase_id"),  # a catalog purchase is billed once
    )

    id: uuid.UUID = id_field()
    invoice_id: uuid.UUID | None = fk("invoices.id", "CASCADE", nullable=True)
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    kind: str = Field(max_length=16)
    description: str
    provider: str | None = Field(default=None, max_length=64)
    model: str | None = Field(default=None, max_length=128)
    quantity: int | None = Field(default=None, sa_type=BigInteger)  # tokens, for usage
    calls: int | None = None
    amount_cents: int
    cost_usd: Decimal | None = Field(default=None, sa_type=Numeric(14, 6))  # usage at cost
    # The catalog purchase a "purchase" line bills; NULL once the purchase is gone.
    purchase_id: uuid.UUID | None = fk("catalog_purchases.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()


class ApiKey(SQLModel, table=True):
    """Metadata of a provider API key; the secret itself lives only in the OS keyring."""

    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("user_id", "provider", "nickname"), Index(None, "user_id"))

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    provider: str = Field(max_length=64)
    nickname: str = Field(max_length=255)
    last_used_at: datetime | None = ts_field()
    created_at: datetime = created_field()
    revoked_at: datetime | None = ts_field()
