"""The plan area's user flows (issue 17, item 5): ``flow_pages`` and ``flow_connections``.

Row-level security on PostgreSQL follows services/plan/flows.py rule for rule: anyone with a
role in the project's workspace reads its pages and connections (viewer and up); owners,
admins and members add, change and delete them. A page never changes project; a connection
is added or removed, never rewritten, joins two pages of its own project, and never a page
to itself.

Revision ID: 0028_plan_flows
Revises: 0027_plan_docs
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL, JSON text on SQLite (promptterm.db.types.JSONType, frozen here).
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0028_plan_flows"
down_revision: str | None = "0027_plan_docs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "promptterm_user"
EDITORS = "('owner', 'admin', 'member')"
STATUSES = "('not_started', 'in_progress', 'done')"
READS = "promptterm_project_role(project_id) IS NOT NULL"
EDITS = f"promptterm_project_role(project_id) IN {EDITORS}"
# Qualified with the table's name: inside each subquery a bare project_id would be the
# subquery's own column.
ENDS = " AND ".join(
    f"EXISTS (SELECT 1 FROM flow_pages p WHERE p.id = flow_connections.{end}"
    " AND p.project_id = flow_connections.project_id)"
    for end in ("source_id", "target_id")
)

POLICIES = (
    f"CREATE POLICY flow_pages_read ON flow_pages FOR SELECT USING ({READS})",
    f"CREATE POLICY flow_pages_insert ON flow_pages FOR INSERT WITH CHECK ({EDITS})",
    f"CREATE POLICY flow_pages_update ON flow_pages FOR UPDATE USING ({EDITS})"
    f" WITH CHECK ({EDITS})",
    f"CREATE POLICY flow_pages_delete ON flow_pages FOR DELETE USING ({EDITS})",
    f"CREATE POLICY flow_connections_read ON flow_connections FOR SELECT USING ({READS})",
    "CREATE POLICY flow_connections_insert ON flow_connections FOR INSERT"
    f" WITH CHECK ({EDITS} AND {ENDS})",
    f"CREATE POLICY flow_connections_delete ON flow_connections FOR DELETE USING ({EDITS})",
)


def upgrade() -> None:
    op.create_table(
        "flow_pages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("layout_description", sa.String(), nullable=True),
        sa.Column("features", JSON, nullable=False),
        sa.Column("implementation_status", sa.String(length=16), nullable=False),
        sa.Column("position_x", sa.Integer(), nullable=False),
        sa.Column("position_y", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            f"implementation_status IN {STATUSES}", name=op.f("ck_flow_pages_status")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_flow_pages_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_flow_pages_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_pages")),
    )
    op.create_index(op.f("ix_flow_pages_project_id"), "flow_pages", ["project_id"])

    op.create_table(
        "flow_connections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_flow_connections_not_self")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_flow_connections_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["flow_pages.id"],
            name=op.f("fk_flow_connections_source_id_flow_pages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["flow_pages.id"],
            name=op.f("fk_flow_connections_target_id_flow_pages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_flow_connections_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_connections")),
        sa.UniqueConstraint(
            "source_id", "target_id", name=op.f("uq_flow_connections_source_id_target_id")
        ),
    )
    op.create_index(op.f("ix_flow_connections_project_id"), "flow_connections", ["project_id"])
    op.create_index(op.f("ix_flow_connections_target_id"), "flow_connections", ["target_id"])

    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _row_level_security() -> None:
    for table in ("flow_pages", "flow_connections"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        op.execute(statement)
    # A page stays in its project (the services never move one).
    op.execute(
        "CREATE TRIGGER promptterm_keep_flow_page BEFORE UPDATE ON flow_pages FOR EACH ROW"
        " EXECUTE FUNCTION promptterm_keep_columns('id', 'project_id')"
    )
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT, UPDATE, DELETE ON flow_pages TO {GROUP_ROLE};
            GRANT SELECT, INSERT, DELETE ON flow_connections TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant the flow tables to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    op.drop_table("flow_connections")
    op.drop_table("flow_pages")
