"""Modular prompts edited in place (issue 15): versions, tags, categories, project prompts and
usage.

- ``prompts`` gains ``version`` (the number of its current state; edits name the number they
  started from), ``category`` (seed 004), ``project_id`` (seed 004 product_prompts; SET NULL
  when the project goes), ``usage_count`` and ``last_used_at`` (sort by use).
- ``prompt_versions``: the state each edit replaced, as one JSON snapshot per version.
- ``prompt_tags``: one row per tag (seed 001 ``tags``).
- ``prompt_usage``: renders, copies and sends with the options and values chosen (seed 000
  ``usage_tracking``); SET NULL when the prompt is purged.

Row-level security on PostgreSQL follows services/library/prompt_*.py: prompts are personal,
so each person reads and writes only their own versions, tags and uses; versions and uses are
append-only (no UPDATE or DELETE grant: purges cascade as the tables' owner); and filing a
prompt under a project needs an editing role (owner, admin, member) in its workspace, as
``PromptEditor.set_project`` checks, so a viewer cannot attach prompts to a project.

Revision ID: 0015_prompt_editing
Revises: 0014_row_versions
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015_prompt_editing"
down_revision: str | None = "0014_row_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
GROUP_ROLE = "promptterm_user"
EDITORS = "('owner', 'admin', 'member')"
OWN = "user_id = promptterm_uid()"
OWN_PROMPT = "prompt_id IN (SELECT id FROM prompts)"

POLICIES = (
    f"CREATE POLICY prompt_versions_read ON prompt_versions FOR SELECT USING ({OWN})",
    "CREATE POLICY prompt_versions_insert ON prompt_versions FOR INSERT"
    f" WITH CHECK ({OWN} AND {OWN_PROMPT})",
    f"CREATE POLICY prompt_tags_own ON prompt_tags FOR ALL USING ({OWN})"
    f" WITH CHECK ({OWN} AND {OWN_PROMPT})",
    f"CREATE POLICY prompt_usage_read ON prompt_usage FOR SELECT USING ({OWN})",
    "CREATE POLICY prompt_usage_insert ON prompt_usage FOR INSERT"
    f" WITH CHECK ({OWN} AND (prompt_id IS NULL OR {OWN_PROMPT}))",
)

PROJECT_CHECK = f"""
-- Filing a prompt under a project (or moving it to another) needs an editing role there.
CREATE OR REPLACE FUNCTION promptterm_prompt_project() RETURNS trigger
LANGUAGE plpgsql AS
$$
BEGIN
  IF row_security_active(TG_RELID) AND NEW.project_id IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW.project_id IS DISTINCT FROM OLD.project_id)
     AND coalesce(promptterm_project_role(NEW.project_id), '') NOT IN {EDITORS}
  THEN
    RAISE EXCEPTION 'promptterm: only members of a project can file prompts under it'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER promptterm_prompt_project BEFORE INSERT OR UPDATE ON prompts
FOR EACH ROW EXECUTE FUNCTION promptterm_prompt_project();
"""


def upgrade() -> None:
    with op.batch_alter_table("prompts") as batch:
        batch.add_column(sa.Column("project_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("category", sa.String(length=50), nullable=True))
        batch.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch.add_column(
            sa.Column("usage_count", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            op.f("fk_prompts_project_id_projects"),
            "projects",
            ["project_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_check_constraint(op.f("ck_prompts_version_positive"), "version >= 1")
        batch.create_check_constraint(op.f("ck_prompts_usage_count_positive"), "usage_count >= 0")
        batch.create_index(op.f("ix_prompts_project_id"), ["project_id"])
        batch.create_index(op.f("ix_prompts_user_id_category"), ["user_id", "category"])
    # The models carry no server defaults; existing rows got theirs above.
    with op.batch_alter_table("prompts") as batch:
        batch.alter_column("version", server_default=None)
        batch.alter_column("usage_count", server_default=None)

    op.create_table(
        "prompt_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("prompt_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_prompt_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["prompts.id"],
            name=op.f("fk_prompt_versions_prompt_id_prompts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_prompt_versions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_versions")),
        sa.UniqueConstraint(
            "prompt_id", "version", name=op.f("uq_prompt_versions_prompt_id_version")
        ),
    )
    op.create_index(op.f("ix_prompt_versions_user_id"), "prompt_versions", ["user_id"])

    op.create_table(
        "prompt_tags",
        sa.Column("prompt_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["prompts.id"],
            name=op.f("fk_prompt_tags_prompt_id_prompts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_prompt_tags_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("prompt_id", "tag", name=op.f("pk_prompt_tags")),
    )
    op.create_index(op.f("ix_prompt_tags_user_id_tag"), "prompt_tags", ["user_id", "tag"])

    op.create_table(
        "prompt_usage",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("prompt_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("meta", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('render', 'copy', 'send')", name=op.f("ck_prompt_usage_action")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_prompt_usage_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["prompts.id"],
            name=op.f("fk_prompt_usage_prompt_id_prompts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_usage")),
    )
    op.create_index(op.f("ix_prompt_usage_user_id"), "prompt_usage", ["user_id"])
    op.create_index(
        op.f("ix_prompt_usage_prompt_id_created_at"), "prompt_usage", ["prompt_id", "created_at"]
    )

    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _row_level_security() -> None:
    for table in ("prompt_versions", "prompt_tags", "prompt_usage"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        op.execute(statement)
    op.execute(PROJECT_CHECK)
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT ON prompt_versions, prompt_usage TO {GROUP_ROLE};
            GRANT SELECT, INSERT, UPDATE, DELETE ON prompt_tags TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant the prompt tables to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS promptterm_prompt_project ON prompts")
        op.execute("DROP FUNCTION IF EXISTS promptterm_prompt_project()")
    op.drop_table("prompt_usage")
    op.drop_table("prompt_tags")
    op.drop_table("prompt_versions")
    with op.batch_alter_table("prompts") as batch:
        batch.drop_index(op.f("ix_prompts_user_id_category"))
        batch.drop_index(op.f("ix_prompts_project_id"))
        batch.drop_constraint(op.f("ck_prompts_usage_count_positive"), type_="check")
        batch.drop_constraint(op.f("ck_prompts_version_positive"), type_="check")
        batch.drop_constraint(op.f("fk_prompts_project_id_projects"), type_="foreignkey")
        batch.drop_column("last_used_at")
        batch.drop_column("usage_count")
        batch.drop_column("version")
        batch.drop_column("category")
        batch.drop_column("project_id")
