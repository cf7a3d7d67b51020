"""The activity log (issue 19, item 5): every provider call and every error the app caught.

One table, ``activity_log``, for both kinds (``kind`` "api" or "error"), so one list, one
filter and one retention rule serve both. Five indexes, each ending in (at, id), so every
filter the log view and ``promptterm log list`` offer (kind, provider, model, status, a time
window) reads one index range already in (at, id) order, newest first: a page is the first
rows of that range and the next page starts after the last (at, id), whatever the depth
(measured on a million rows in benchmarks/activity_log.py).

Row-level security on PostgreSQL: a person reads and adds only their own entries and can
change none (no UPDATE grant, no UPDATE policy); they may delete their own, which is what
retention does. That is what ActivityService allows, no more.

Revision ID: 0024_activity_log
Revises: 0023_catalog
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024_activity_log"
down_revision: str | None = "0023_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "activity_log"
GROUP_ROLE = "promptterm_user"
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
INDEXES = {
    "ix_activity_log_user_id_at_id": ["user_id", "at", "id"],
    "ix_activity_log_user_id_kind_at_id": ["user_id", "kind", "at", "id"],
    "ix_activity_log_user_id_provider_at_id": ["user_id", "provider", "at", "id"],
    "ix_activity_log_user_id_model_at_id": ["user_id", "model", "at", "id"],
    "ix_activity_log_user_id_status_at_id": ["user_id", "status", "at", "id"],
}


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=100), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("endpoint", sa.String(length=500), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("tokens_in", sa.Integer(), nullable=True),
        sa.Column("tokens_out", sa.Integer(), nullable=True),
        sa.Column("cost_usd", sa.Numeric(14, 6), nullable=True),
        sa.Column("thread_id", sa.Uuid(), nullable=True),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("error_type", sa.String(length=200), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("traceback", sa.Text(), nullable=True),
        sa.Column("context", JSON, nullable=False),
        sa.Column("request_body", sa.Text(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_activity_log_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_log")),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, TABLE, columns)
    if op.get_bind().dialect.name == "postgresql":
        _own_entries_only()


def _own_entries_only() -> None:
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    own = "user_id = promptterm_uid()"
    op.execute(f"CREATE POLICY {TABLE}_read ON {TABLE} FOR SELECT USING ({own})")
    op.execute(f"CREATE POLICY {TABLE}_add ON {TABLE} FOR INSERT WITH CHECK ({own})")
    op.execute(f"CREATE POLICY {TABLE}_forget ON {TABLE} FOR DELETE USING ({own})")
    # As personal_table.own_rows_only, without UPDATE: an entry, once written, stays as it was.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT, DELETE ON {TABLE} TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant {TABLE} to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name=TABLE)
    op.drop_table(TABLE)
