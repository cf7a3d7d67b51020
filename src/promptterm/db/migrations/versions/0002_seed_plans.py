"""Seed the three subscription plans (seed 003 PLAN_LIMITS, seed 002 plan columns).

Revision ID: 0002_seed_plans
Revises: 0001_core_schema
Create Date: 2026-11-23
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_seed_plans"
down_revision: str | None = "0001_core_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# Fixed ids: every database, SQLite or PostgreSQL, names the same plan the same way.
PLAN_NAMESPACE = uuid.UUID("6f1c2d1e-8a3b-4c59-9d7e-2b0f5a4c3e21")

# None means unlimited. Token and object limits are seed 003's; the rest is ours.
PLANS = [
    {
        "slug": "free",
        "name": "Free",
        "description": "For trying promptterm: OpenAI-compatible providers, a small library.",
        "price_monthly": 0,
        "price_yearly": 0,
        "limits": {
            "tokens_per_month": 50_000,
            "max_presets": 5,
            "max_components": 20,
            "max_projects": 10,
            "storage_mb": 100,
            "providers": ["openai"],
        },
        "sort_order": 0,
    },
    {
        "slug": "pro",
        "name": "Pro",
        "description": "Unlimited presets and components, every provider, 500k tokens a month.",
        "price_monthly": 2000,
        "price_yearly": 20000,
        "limits": {
            "tokens_per_month": 500_000,
            "max_presets": None,
            "max_components": None,
            "max_projects": None,
            "storage_mb": 10_240,
            "providers": ["openai", "anthropic"],
        },
        "sort_order": 1,
    },
    {
        "slug": "business",
        "name": "Business",
        "description": "For teams on a shared PostgreSQL: 2M tokens a month.",
        "price_monthly": 5000,
        "price_yearly": 50000,
        "limits": {
            "tokens_per_month": 2_000_000,
            "max_presets": None,
            "max_components": None,
            "max_projects": None,
            "storage_mb": 102_400,
            "providers": ["openai", "anthropic"],
        },
        "sort_order": 2,
    },
]


def plan_table() -> sa.Table:
    return sa.table(
        "subscription_plans",
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("slug", sa.String()),
        sa.column("description", sa.String()),
        sa.column("price_monthly", sa.Integer()),
        sa.column("price_yearly", sa.Integer()),
        sa.column("features", JSON),
        sa.column("limits", JSON),
        sa.column("is_active", sa.Boolean()),
        sa.column("sort_order", sa.Integer()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )


def upgrade() -> None:
    table = plan_table()
    conn = op.get_bind()
    existing = set(conn.execute(sa.select(table.c.slug)).scalars())
    now = datetime.now(UTC)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    rows = [
        {
            **plan,
            "id": uuid.uuid5(PLAN_NAMESPACE, plan["slug"]),
            "features": [],
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        for plan in PLANS
        if plan["slug"] not in existing
    ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    table = plan_table()
    op.execute(table.delete().where(table.c.slug.in_([plan["slug"] for plan in PLANS])))
