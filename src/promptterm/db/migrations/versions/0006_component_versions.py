"""Component versions: every edit of a component keeps its previous state.

A personal table: on PostgreSQL it gets row-level security like 0003's personal tables and
the same grants to ``promptterm_user`` (migrations/personal_table.py).

Revision ID: 0006_component_versions
Revises: 0005_provider_entries
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from promptterm.db.migrations.personal_table import own_rows_only

revision: str = "0006_component_versions"
down_revision: str | None = "0005_provider_entries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TABLE = "component_versions"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("component_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_component_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["components.id"],
            name=op.f("fk_component_versions_component_id_components"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_component_versions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_component_versions")),
        sa.UniqueConstraint(
            "component_id", "version", name=op.f("uq_component_versions_component_id_version")
        ),
    )
    op.create_index(op.f("ix_component_versions_user_id"), TABLE, ["user_id"])
    if op.get_bind().dialect.name == "postgresql":
        own_rows_only(TABLE)


def downgrade() -> None:
    op.drop_index(op.f("ix_component_versions_user_id"), table_name=TABLE)
    op.drop_table(TABLE)
