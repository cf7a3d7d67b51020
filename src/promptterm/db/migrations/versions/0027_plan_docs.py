"""The plan area's documents (issue 17): notes, a PRD per project, customer profiles, and the
versions of notes and PRDs (db/models/plan_docs.py says why a table of their own).

Row-level security on PostgreSQL follows services/plan/, rule for rule. A note without a
project is its author's alone (seed 004's rule); a project's note, PRD and customer profiles
are read by anyone with a role in the project's workspace and written by owners, admins and
members. A version is added, never rewritten or removed (it goes with its document), by
someone who may write that document. Nothing moves to another project or author.

Revision ID: 0027_plan_docs
Revises: 0026_catalog_statements
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0027_plan_docs"
down_revision: str | None = "0026_catalog_statements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "promptterm_user"
# JSONB on PostgreSQL, JSON text on SQLite (promptterm.db.types.JSONType, frozen here).
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
EDITORS = "('owner', 'admin', 'member')"
READS = "promptterm_project_role(project_id) IS NOT NULL"
EDITS = f"promptterm_project_role(project_id) IN {EDITORS}"
MINE = "(project_id IS NULL AND user_id = promptterm_uid())"
NOTE_READS = f"({MINE} OR (project_id IS NOT NULL AND {READS}))"
NOTE_EDITS = f"({MINE} OR (project_id IS NOT NULL AND {EDITS}))"
# Qualified: inside the subqueries a bare name would be the subquery's own column.
VERSION_READS = (
    "(plan_doc_versions.note_id IN (SELECT n.id FROM plan_notes n)"
    " OR plan_doc_versions.prd_id IN (SELECT p.id FROM plan_prds p))"
)
VERSION_WRITES = (
    "created_by = promptterm_uid() AND (EXISTS (SELECT 1 FROM plan_notes n"
    " WHERE n.id = plan_doc_versions.note_id AND ((n.project_id IS NULL"
    " AND n.user_id = promptterm_uid())"
    f" OR promptterm_project_role(n.project_id) IN {EDITORS}))"
    " OR EXISTS (SELECT 1 FROM plan_prds p WHERE p.id = plan_doc_versions.prd_id"
    f" AND promptterm_project_role(p.project_id) IN {EDITORS}))"
)

POLICIES = (
    f"CREATE POLICY plan_notes_read ON plan_notes FOR SELECT USING {NOTE_READS}",
    "CREATE POLICY plan_notes_insert ON plan_notes FOR INSERT"
    f" WITH CHECK (user_id = promptterm_uid() AND {NOTE_EDITS})",
    f"CREATE POLICY plan_notes_update ON plan_notes FOR UPDATE USING {NOTE_EDITS}"
    f" WITH CHECK {NOTE_EDITS}",
    f"CREATE POLICY plan_notes_delete ON plan_notes FOR DELETE USING {NOTE_EDITS}",
    f"CREATE POLICY plan_doc_versions_read ON plan_doc_versions FOR SELECT USING {VERSION_READS}",
    "CREATE POLICY plan_doc_versions_insert ON plan_doc_versions FOR INSERT"
    f" WITH CHECK ({VERSION_WRITES})",
)
PROJECT_TABLES = ("plan_prds", "plan_customers")


def upgrade() -> None:
    op.create_table(
        "plan_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_plan_notes_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_plan_notes_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_notes")),
    )
    op.create_index(op.f("ix_plan_notes_user_id"), "plan_notes", ["user_id"])
    op.create_index(op.f("ix_plan_notes_project_id"), "plan_notes", ["project_id"])

    op.create_table(
        "plan_prds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("problem", sa.String(), nullable=False),
        sa.Column("solution", sa.String(), nullable=False),
        sa.Column("target_audience", sa.String(), nullable=False),
        sa.Column("tech_stack", sa.String(), nullable=False),
        sa.Column("success_metrics", sa.String(), nullable=False),
        sa.Column("custom_sections", JSON, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_plan_prds_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_prds")),
        sa.UniqueConstraint("project_id", name=op.f("uq_plan_prds_project_id")),
    )

    op.create_table(
        "plan_doc_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("note_id", sa.Uuid(), nullable=True),
        sa.Column("prd_id", sa.Uuid(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(note_id IS NULL) <> (prd_id IS NULL)", name=op.f("ck_plan_doc_versions_one_document")
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_plan_doc_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["plan_notes.id"],
            name=op.f("fk_plan_doc_versions_note_id_plan_notes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prd_id"],
            ["plan_prds.id"],
            name=op.f("fk_plan_doc_versions_prd_id_plan_prds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_plan_doc_versions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_doc_versions")),
    )
    op.create_index(
        op.f("ix_plan_doc_versions_note_id_number"),
        "plan_doc_versions",
        ["note_id", "number"],
        unique=True,
    )
    op.create_index(
        op.f("ix_plan_doc_versions_prd_id_number"),
        "plan_doc_versions",
        ["prd_id", "number"],
        unique=True,
    )

    op.create_table(
        "plan_customers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("overview", sa.String(), nullable=False),
        sa.Column("background", sa.String(), nullable=False),
        sa.Column("problems", sa.String(), nullable=False),
        sa.Column("scoring", JSON, nullable=False),
        sa.Column("is_selected", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_plan_customers_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_customers")),
    )
    op.create_index(op.f("ix_plan_customers_project_id"), "plan_customers", ["project_id"])
    # At most one selected profile per project, whatever two people do at once.
    op.create_index(
        "uq_plan_customers_one_selected",
        "plan_customers",
        ["project_id"],
        unique=True,
        sqlite_where=sa.text("is_selected"),
        postgresql_where=sa.text("is_selected"),
    )

    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _row_level_security() -> None:
    for table in ("plan_notes", "plan_doc_versions", *PROJECT_TABLES):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        op.execute(statement)
    for table in PROJECT_TABLES:
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({READS})")
        op.execute(f"CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK ({EDITS})")
        op.execute(
            f"CREATE POLICY {table}_update ON {table} FOR UPDATE USING ({EDITS})"
            f" WITH CHECK ({EDITS})"
        )
        op.execute(f"CREATE POLICY {table}_delete ON {table} FOR DELETE USING ({EDITS})")
        # A PRD or a profile stays in its project (the services never move one).
        op.execute(
            f"CREATE TRIGGER promptterm_keep_{table} BEFORE UPDATE ON {table} FOR EACH ROW"
            " EXECUTE FUNCTION promptterm_keep_columns('id', 'project_id')"
        )
    # A note keeps its author and its place (personal or a project's).
    op.execute(
        "CREATE TRIGGER promptterm_keep_plan_notes BEFORE UPDATE ON plan_notes FOR EACH ROW"
        " EXECUTE FUNCTION promptterm_keep_columns('id', 'user_id', 'project_id')"
    )
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT, UPDATE, DELETE ON plan_notes, plan_prds, plan_customers
              TO {GROUP_ROLE};
            GRANT SELECT, INSERT ON plan_doc_versions TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant the plan documents to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    op.drop_table("plan_customers")
    op.drop_table("plan_doc_versions")
    op.drop_table("plan_prds")
    op.drop_table("plan_notes")
