"""AI jobs on code and the analyses they leave (issue 19, seed 002).

- ``ai_jobs``: one row per question asked of a model about code (explain, refactor,
  generate, analyze), with its status, input, answer, error, tokens, cost, model, duration,
  and for refactor/generate the proposed change and what became of it.
- ``code_analyses``: an explanation or analysis of a file, kept per content hash with an
  expiry.

Row-level security on PostgreSQL follows services/code/ai/: a job is its asker's own (read,
update, delete), and asking needs a role in the project's workspace (any role: a viewer may
ask for an explanation; applying a change goes through the files' own rules). An analysis
is read by anyone who sees the project (a teammate reopening the same file sees it), written
by its author for a project they see, and removed only by its author.

Revision ID: 0025_ai_jobs
Revises: 0024_activity_log
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from promptterm.db.migrations.row_security import secure_tables

revision: str = "0025_ai_jobs"
# After 0022 only because this branch was built on it; the tables do not depend on it.
down_revision: str | None = "0024_activity_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
OWN = "user_id = promptterm_uid()"
SEES_PROJECT = "promptterm_project_role(project_id) IS NOT NULL"

POLICIES = (
    f"CREATE POLICY ai_jobs_read ON ai_jobs FOR SELECT USING ({OWN})",
    f"CREATE POLICY ai_jobs_insert ON ai_jobs FOR INSERT WITH CHECK ({OWN} AND {SEES_PROJECT})",
    f"CREATE POLICY ai_jobs_update ON ai_jobs FOR UPDATE USING ({OWN}) WITH CHECK ({OWN})",
    f"CREATE POLICY ai_jobs_delete ON ai_jobs FOR DELETE USING ({OWN})",
    f"CREATE POLICY code_analyses_read ON code_analyses FOR SELECT USING ({SEES_PROJECT})",
    "CREATE POLICY code_analyses_insert ON code_analyses FOR INSERT"
    f" WITH CHECK ({OWN} AND {SEES_PROJECT})",
    f"CREATE POLICY code_analyses_update ON code_analyses FOR UPDATE USING ({OWN})"
    f" WITH CHECK ({OWN})",
    f"CREATE POLICY code_analyses_delete ON code_analyses FOR DELETE USING ({OWN})",
)


def upgrade() -> None:
    op.create_table(
        "ai_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("input", JSON, nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("provider", sa.String(length=100), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("tokens_in", sa.Integer(), nullable=True),
        sa.Column("tokens_out", sa.Integer(), nullable=True),
        sa.Column("tokens_estimated", sa.Boolean(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(precision=14, scale=6), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("proposal", sa.Text(), nullable=True),
        sa.Column("change_state", sa.String(length=16), nullable=True),
        sa.Column("applied_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('chat', 'refactor', 'explain', 'generate', 'analyze')",
            name=op.f("ck_ai_jobs_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'completed', 'failed', 'canceled')",
            name=op.f("ck_ai_jobs_status"),
        ),
        sa.CheckConstraint(
            "change_state IS NULL OR change_state IN "
            "('proposed', 'invalid', 'applied', 'discarded')",
            name=op.f("ck_ai_jobs_change"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ai_jobs_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_ai_jobs_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.id"], name=op.f("fk_ai_jobs_file_id_files"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_jobs")),
    )
    op.create_index(op.f("ix_ai_jobs_user_id"), "ai_jobs", ["user_id"])
    op.create_index(op.f("ix_ai_jobs_file_id"), "ai_jobs", ["file_id"])
    op.create_index(op.f("ix_ai_jobs_user_id_created_at"), "ai_jobs", ["user_id", "created_at"])
    op.create_table(
        "code_analyses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_version", sa.Integer(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('explain', 'complexity', 'security', 'performance')",
            name=op.f("ck_code_analyses_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_code_analyses_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_code_analyses_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["files.id"],
            name=op.f("fk_code_analyses_file_id_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["ai_jobs.id"],
            name=op.f("fk_code_analyses_job_id_ai_jobs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_analyses")),
    )
    op.create_index(op.f("ix_code_analyses_user_id"), "code_analyses", ["user_id"])
    op.create_index(
        op.f("ix_code_analyses_file_id_content_sha256_created_at"),
        "code_analyses",
        ["file_id", "content_sha256", "created_at"],
    )
    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _row_level_security() -> None:
    secure_tables(("ai_jobs", "code_analyses"), POLICIES, "the AI tables")


def downgrade() -> None:
    op.drop_index(
        op.f("ix_code_analyses_file_id_content_sha256_created_at"), table_name="code_analyses"
    )
    op.drop_index(op.f("ix_code_analyses_user_id"), table_name="code_analyses")
    op.drop_table("code_analyses")
    op.drop_index(op.f("ix_ai_jobs_user_id_created_at"), table_name="ai_jobs")
    op.drop_index(op.f("ix_ai_jobs_file_id"), table_name="ai_jobs")
    op.drop_index(op.f("ix_ai_jobs_user_id"), table_name="ai_jobs")
    op.drop_table("ai_jobs")
