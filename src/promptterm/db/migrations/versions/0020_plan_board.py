"""The plan area's board (issue 17): tasks, bugs and features of a project, and links from a
card to a file, a thread or another card.

``plan_items`` holds the seed's three tables in one, with ``kind`` (db/models/plan.py says
why); ``position`` is dense (0, 1, 2...) within a project's status column, kept so by every
write, which takes a per-project lock first (services/plan/lock.py). ``plan_links`` points at
exactly one target.

Row-level security on PostgreSQL follows services/plan/, rule for rule: anyone with a role in
the project's workspace reads its cards and links (viewer and up); owners, admins and members
add, change, move and delete them. A card never changes project or kind; a link is added or
removed, never rewritten, and its card and its target (a file or card) belong to the link's
project, while a thread must be one the person linking can see.

Revision ID: 0020_plan_board
Revises: 0019_chat_tools
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_plan_board"
down_revision: str | None = "0019_chat_tools"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "promptterm_user"
EDITORS = "('owner', 'admin', 'member')"
KINDS = "('task', 'bug', 'feature')"
STATUSES = "('not_started', 'in_progress', 'done')"
PRIORITIES = "('not-prioritized', 'low', 'medium', 'high', 'urgent')"
LINK_KINDS = "('file', 'thread', 'card')"
READS = "promptterm_project_role(project_id) IS NOT NULL"
EDITS = f"promptterm_project_role(project_id) IN {EDITORS}"
# Qualified with the table's name: inside each subquery a bare project_id would be the
# subquery's own column.
LINK_TARGETS = (
    "EXISTS (SELECT 1 FROM plan_items i WHERE i.id = plan_links.item_id"
    " AND i.project_id = plan_links.project_id)"
    " AND (plan_links.target_item_id IS NULL OR EXISTS (SELECT 1 FROM plan_items t"
    " WHERE t.id = plan_links.target_item_id AND t.project_id = plan_links.project_id))"
    " AND (plan_links.target_file_id IS NULL OR EXISTS (SELECT 1 FROM files f"
    " WHERE f.id = plan_links.target_file_id AND f.project_id = plan_links.project_id))"
    " AND (plan_links.target_thread_id IS NULL"
    " OR plan_links.target_thread_id IN (SELECT c.id FROM conversations c))"
)

POLICIES = (
    f"CREATE POLICY plan_items_read ON plan_items FOR SELECT USING ({READS})",
    f"CREATE POLICY plan_items_insert ON plan_items FOR INSERT WITH CHECK ({EDITS})",
    f"CREATE POLICY plan_items_update ON plan_items FOR UPDATE USING ({EDITS})"
    f" WITH CHECK ({EDITS})",
    f"CREATE POLICY plan_items_delete ON plan_items FOR DELETE USING ({EDITS})",
    f"CREATE POLICY plan_links_read ON plan_links FOR SELECT USING ({READS})",
    "CREATE POLICY plan_links_insert ON plan_links FOR INSERT"
    f" WITH CHECK ({EDITS} AND {LINK_TARGETS})",
    f"CREATE POLICY plan_links_delete ON plan_links FOR DELETE USING ({EDITS})",
)


def upgrade() -> None:
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("bug_url", sa.String(length=2048), nullable=True),
        sa.Column("screenshot_url", sa.String(length=2048), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS}", name=op.f("ck_plan_items_kind")),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f("ck_plan_items_status")),
        sa.CheckConstraint(f"priority IN {PRIORITIES}", name=op.f("ck_plan_items_priority")),
        sa.CheckConstraint("position >= 0", name=op.f("ck_plan_items_position_positive")),
        sa.CheckConstraint(
            "kind = 'bug' OR (bug_url IS NULL AND screenshot_url IS NULL)",
            name=op.f("ck_plan_items_bug_fields"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_plan_items_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_plan_items_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_items")),
    )
    # Not on position: a move rewrites the positions of many rows, and each would move in
    # the index too; a column (thousands of cards at most) sorts in memory in no time.
    op.create_index(op.f("ix_plan_items_project_id_status"), "plan_items", ["project_id", "status"])

    op.create_table(
        "plan_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("target_kind", sa.String(length=8), nullable=False),
        sa.Column("target_file_id", sa.Uuid(), nullable=True),
        sa.Column("target_thread_id", sa.Uuid(), nullable=True),
        sa.Column("target_item_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"target_kind IN {LINK_KINDS}", name=op.f("ck_plan_links_target_kind")),
        sa.CheckConstraint(
            "(target_kind = 'file' AND target_file_id IS NOT NULL"
            " AND target_thread_id IS NULL AND target_item_id IS NULL)"
            " OR (target_kind = 'thread' AND target_thread_id IS NOT NULL"
            " AND target_file_id IS NULL AND target_item_id IS NULL)"
            " OR (target_kind = 'card' AND target_item_id IS NOT NULL"
            " AND target_file_id IS NULL AND target_thread_id IS NULL)",
            name=op.f("ck_plan_links_one_target"),
        ),
        sa.CheckConstraint(
            "target_item_id IS NULL OR target_item_id <> item_id",
            name=op.f("ck_plan_links_not_self"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_plan_links_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["plan_items.id"],
            name=op.f("fk_plan_links_item_id_plan_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_file_id"],
            ["files.id"],
            name=op.f("fk_plan_links_target_file_id_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_thread_id"],
            ["conversations.id"],
            name=op.f("fk_plan_links_target_thread_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_item_id"],
            ["plan_items.id"],
            name=op.f("fk_plan_links_target_item_id_plan_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_plan_links_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_links")),
    )
    for column in ("item_id", "project_id", "target_file_id", "target_thread_id", "target_item_id"):
        op.create_index(op.f(f"ix_plan_links_{column}"), "plan_links", [column])

    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _row_level_security() -> None:
    for table in ("plan_items", "plan_links"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        op.execute(statement)
    # A card stays in its project and keeps its kind (the services never change either).
    op.execute(
        "CREATE TRIGGER promptterm_keep_plan_item BEFORE UPDATE ON plan_items FOR EACH ROW"
        " EXECUTE FUNCTION promptterm_keep_columns('id', 'project_id', 'kind')"
    )
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT, UPDATE, DELETE ON plan_items TO {GROUP_ROLE};
            GRANT SELECT, INSERT, DELETE ON plan_links TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant the plan tables to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    op.drop_table("plan_links")
    op.drop_table("plan_items")
