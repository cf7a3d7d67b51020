"""Payment history (seed 004): each charge attempt, its amount, status and failure message.

A personal table with row-level security on PostgreSQL, like 0006.

Revision ID: 0007_payment_history
Revises: 0006_component_versions
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from promptterm.db.migrations.personal_table import own_rows_only

revision: str = "0007_payment_history"
down_revision: str | None = "0006_component_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "payment_history"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.Column("payment_method", sa.String(), nullable=True),
        sa.Column("error_message", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('succeeded', 'pending', 'failed', 'refunded')",
            name=op.f("ck_payment_history_status"),
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_payment_history_amount_positive")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_payment_history_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_payment_history_subscription_id_subscriptions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_history")),
        sa.UniqueConstraint("external_id", name=op.f("uq_payment_history_external_id")),
    )
    op.create_index(op.f("ix_payment_history_user_id_created_at"), TABLE, ["user_id", "created_at"])
    if op.get_bind().dialect.name == "postgresql":
        own_rows_only(TABLE)


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_history_user_id_created_at"), table_name=TABLE)
    op.drop_table(TABLE)
