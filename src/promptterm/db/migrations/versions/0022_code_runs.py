"""Runs and environment variables of a coding project (issue 19, seed 002).

- ``code_runs``: one row per run of a command or a file in a bound project (the seed's
  ``terminal_sessions`` and ``code_executions`` together): command, language, folder,
  status, exit code, duration, peak memory, the last lines of output (secrets masked) and
  where the full output is kept.
- ``project_env_vars``: a project's environment variables; names and plain values here,
  secret values only in the OS keyring.

Row-level security on PostgreSQL follows services/code/: runs are personal (each person
reads only their own history) and starting one needs an editing role (owner, admin,
member) in the project's workspace; a project's variables are read by anyone in its
workspace (a viewer sees names and plain values) and written only by an editing role.

Revision ID: 0022_code_runs
Revises: 0021_statements
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from promptterm.db.migrations.row_security import secure_tables

revision: str = "0022_code_runs"
down_revision: str | None = "0021_statements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EDITORS = "('owner', 'admin', 'member')"
OWN = "user_id = promptterm_uid()"
EDITS_PROJECT = f"coalesce(promptterm_project_role(project_id), '') IN {EDITORS}"
SEES_PROJECT = "promptterm_project_role(project_id) IS NOT NULL"

POLICIES = (
    f"CREATE POLICY code_runs_read ON code_runs FOR SELECT USING ({OWN})",
    "CREATE POLICY code_runs_insert ON code_runs FOR INSERT"
    f" WITH CHECK ({OWN} AND {EDITS_PROJECT})",
    f"CREATE POLICY code_runs_update ON code_runs FOR UPDATE USING ({OWN}) WITH CHECK ({OWN})",
    f"CREATE POLICY code_runs_delete ON code_runs FOR DELETE USING ({OWN})",
    f"CREATE POLICY env_vars_read ON project_env_vars FOR SELECT USING ({SEES_PROJECT})",
    f"CREATE POLICY env_vars_insert ON project_env_vars FOR INSERT WITH CHECK ({EDITS_PROJECT})",
    f"CREATE POLICY env_vars_update ON project_env_vars FOR UPDATE USING ({EDITS_PROJECT})"
    f" WITH CHECK ({EDITS_PROJECT})",
    f"CREATE POLICY env_vars_delete ON project_env_vars FOR DELETE USING ({EDITS_PROJECT})",
)


def upgrade() -> None:
    op.create_table(
        "code_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=50), nullable=True),
        sa.Column("file_path", sa.String(), nullable=True),
        sa.Column("working_directory", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("memory_kb", sa.Integer(), nullable=True),
        sa.Column("timeout_s", sa.Float(), nullable=True),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("output_bytes", sa.Integer(), nullable=False),
        sa.Column("output_path", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('command', 'file')", name=op.f("ck_code_runs_kind")),
        sa.CheckConstraint(
            "status IN ('running', 'completed', 'failed', 'timeout', 'killed', 'error')",
            name=op.f("ck_code_runs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_code_runs_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_code_runs_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_runs")),
    )
    op.create_index(op.f("ix_code_runs_user_id"), "code_runs", ["user_id"])
    op.create_index(
        op.f("ix_code_runs_project_id_user_id_created_at"),
        "code_runs",
        ["project_id", "user_id", "created_at"],
    )
    op.create_table(
        "project_env_vars",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("is_secret", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_env_vars_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_project_env_vars_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_env_vars")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_project_env_vars_project_id_key")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _row_level_security() -> None:
    secure_tables(("code_runs", "project_env_vars"), POLICIES, "the code tables")


def downgrade() -> None:
    op.drop_table("project_env_vars")
    op.drop_index(op.f("ix_code_runs_project_id_user_id_created_at"), table_name="code_runs")
    op.drop_index(op.f("ix_code_runs_user_id"), table_name="code_runs")
    op.drop_table("code_runs")
