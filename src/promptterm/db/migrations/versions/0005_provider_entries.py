"""Provider entries: the user's named LLM endpoints (kind, base URL, default model, key ref).

A personal table: on PostgreSQL it gets row-level security like the personal tables of
0003_row_level_security (each person sees only their own rows) and the same grants to
``promptterm_user``. It holds no secret: keys stay in the OS keyring or the environment.

Revision ID: 0005_provider_entries
Revises: 0004_file_sync
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_provider_entries"
down_revision: str | None = "0004_file_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
GROUP_ROLE = "promptterm_user"


def upgrade() -> None:
    op.create_table(
        "provider_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("default_model", sa.String(length=128), nullable=True),
        sa.Column("key_nickname", sa.String(length=255), nullable=True),
        sa.Column("key_env", sa.String(length=128), nullable=True),
        sa.Column("options", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('openai-compatible', 'anthropic')", name=op.f("ck_provider_entries_kind")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_provider_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_entries")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_provider_entries_user_id_name")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE provider_entries ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY provider_entries_own ON provider_entries FOR ALL"
        " USING (user_id = promptterm_uid()) WITH CHECK (user_id = promptterm_uid())"
    )
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT, UPDATE, DELETE ON provider_entries TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant provider_entries to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    op.drop_table("provider_entries")
