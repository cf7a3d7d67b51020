"""What a new user tripped over (issue 13): chat drafts per thread.

- ``chat_drafts``: the text left in a thread's composer, one row per person per thread (and
  one with a null thread for the new thread not made yet). Personal, with row-level security
  on PostgreSQL like 0006.

Revision ID: 0012_newcomer
Revises: 0009_billing_indexes
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from promptterm.db.migrations.personal_table import own_rows_only

revision: str = "0012_newcomer"
down_revision: str | None = "0009_billing_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRAFTS = "chat_drafts"


def upgrade() -> None:
    op.create_table(
        DRAFTS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_chat_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_chat_drafts_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_drafts")),
        sa.UniqueConstraint(
            "user_id", "conversation_id", name=op.f("uq_chat_drafts_user_id_conversation_id")
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        own_rows_only(DRAFTS)


def downgrade() -> None:
    op.drop_table(DRAFTS)
