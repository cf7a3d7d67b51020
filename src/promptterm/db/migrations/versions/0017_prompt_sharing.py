"""Prompts shared with a workspace, read-only for its other members, and copies (issue 15).

- ``prompts.shared_workspace_id`` (seed 004 ``is_public``, in a team): the workspace whose
  members may read the prompt and copy it into their own library. SET NULL when the
  workspace goes: the prompt is private again.
- ``prompts.copied_from_id``: the prompt a copy was made from, while it exists.

Row-level security on PostgreSQL follows services/library/prompt_sharing.py:

- Members of the workspace read a shared prompt (not one in the trash), its modules,
  options, variables, tags and versions; only its owner writes any of them. Before this,
  the rows hanging off a prompt followed "any prompt I can see", which now includes shared
  ones, so their write policies say "a prompt of mine" instead.
- Sharing with a workspace needs a role in it (any: a viewer belongs to it too).
- A copy may name only a prompt its maker can read as its source.
- Uses are recorded only against one's own prompts (a reader's render counts nowhere).

Revision ID: 0017_prompt_sharing
Revises: 0016_chat_import
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_prompt_sharing"
down_revision: str | None = "0016_chat_import"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWN = "user_id = promptterm_uid()"
SEEN_PROMPT = "prompt_id IN (SELECT id FROM prompts)"
MY_PROMPT = "prompt_id IN (SELECT id FROM prompts WHERE user_id = promptterm_uid())"
SEEN_MODULE = "module_id IN (SELECT id FROM prompt_modules)"
MY_MODULE = (
    "module_id IN (SELECT m.id FROM prompt_modules m JOIN prompts p ON p.id = m.prompt_id"
    " WHERE p.user_id = promptterm_uid())"
)

# (table, policy) dropped and made again narrower; downgrade puts back the first form.
OLD_POLICIES = {
    ("prompt_modules", "modules_own"): f"FOR ALL USING ({SEEN_PROMPT}) WITH CHECK ({SEEN_PROMPT})",
    ("module_options", "options_own"): f"FOR ALL USING ({SEEN_MODULE}) WITH CHECK ({SEEN_MODULE})",
    ("prompt_variables", "variables_own"): (
        f"FOR ALL USING ({SEEN_PROMPT}) WITH CHECK ({SEEN_PROMPT})"
    ),
    ("prompt_versions", "prompt_versions_read"): f"FOR SELECT USING ({OWN})",
    ("prompt_versions", "prompt_versions_insert"): (
        f"FOR INSERT WITH CHECK ({OWN} AND {SEEN_PROMPT})"
    ),
    ("prompt_tags", "prompt_tags_own"): (
        f"FOR ALL USING ({OWN}) WITH CHECK ({OWN} AND {SEEN_PROMPT})"
    ),
    ("prompt_usage", "prompt_usage_insert"): (
        f"FOR INSERT WITH CHECK ({OWN} AND (prompt_id IS NULL OR {SEEN_PROMPT}))"
    ),
}

NEW_POLICIES = (
    "CREATE POLICY prompts_shared_read ON prompts FOR SELECT USING (deleted_at IS NULL"
    " AND shared_workspace_id IS NOT NULL AND promptterm_role(shared_workspace_id) IS NOT NULL)",
    f"CREATE POLICY modules_read ON prompt_modules FOR SELECT USING ({SEEN_PROMPT})",
    f"CREATE POLICY modules_own ON prompt_modules FOR ALL USING ({MY_PROMPT})"
    f" WITH CHECK ({MY_PROMPT})",
    f"CREATE POLICY options_read ON module_options FOR SELECT USING ({SEEN_MODULE})",
    f"CREATE POLICY options_own ON module_options FOR ALL USING ({MY_MODULE})"
    f" WITH CHECK ({MY_MODULE})",
    f"CREATE POLICY variables_read ON prompt_variables FOR SELECT USING ({SEEN_PROMPT})",
    f"CREATE POLICY variables_own ON prompt_variables FOR ALL USING ({MY_PROMPT})"
    f" WITH CHECK ({MY_PROMPT})",
    f"CREATE POLICY prompt_versions_read ON prompt_versions FOR SELECT USING ({SEEN_PROMPT})",
    "CREATE POLICY prompt_versions_insert ON prompt_versions FOR INSERT"
    f" WITH CHECK ({OWN} AND {MY_PROMPT})",
    f"CREATE POLICY prompt_tags_read ON prompt_tags FOR SELECT USING ({SEEN_PROMPT})",
    f"CREATE POLICY prompt_tags_own ON prompt_tags FOR ALL USING ({OWN})"
    f" WITH CHECK ({OWN} AND {MY_PROMPT})",
    "CREATE POLICY prompt_usage_insert ON prompt_usage FOR INSERT"
    f" WITH CHECK ({OWN} AND (prompt_id IS NULL OR {MY_PROMPT}))",
)

SHARE_CHECK = """
-- Sharing with a workspace needs a role in it; a copy names only a prompt its maker reads.
CREATE OR REPLACE FUNCTION promptterm_prompt_share() RETURNS trigger
LANGUAGE plpgsql AS
$$
BEGIN
  IF row_security_active(TG_RELID) THEN
    IF NEW.shared_workspace_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.shared_workspace_id IS DISTINCT FROM OLD.shared_workspace_id)
       AND promptterm_role(NEW.shared_workspace_id) IS NULL
    THEN
      RAISE EXCEPTION 'promptterm: only members of a workspace can share prompts with it'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.copied_from_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.copied_from_id IS DISTINCT FROM OLD.copied_from_id)
       AND NOT EXISTS (SELECT 1 FROM prompts WHERE id = NEW.copied_from_id)
    THEN
      RAISE EXCEPTION 'promptterm: a copy can only come from a prompt you can read'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER promptterm_prompt_share BEFORE INSERT OR UPDATE ON prompts
FOR EACH ROW EXECUTE FUNCTION promptterm_prompt_share();
"""


def upgrade() -> None:
    with op.batch_alter_table("prompts") as batch:
        batch.add_column(sa.Column("shared_workspace_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("copied_from_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_prompts_shared_workspace_id_workspaces"),
            "workspaces",
            ["shared_workspace_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_prompts_copied_from_id_prompts"),
            "prompts",
            ["copied_from_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_prompts_shared_workspace_id"), ["shared_workspace_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table, policy in OLD_POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        for statement in NEW_POLICIES:
            op.execute(statement)
        op.execute(SHARE_CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS promptterm_prompt_share ON prompts")
        op.execute("DROP FUNCTION IF EXISTS promptterm_prompt_share()")
        for statement in NEW_POLICIES:
            name, table = statement.split()[2], statement.split()[4]
            op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
        for (table, policy), body in OLD_POLICIES.items():
            op.execute(f"CREATE POLICY {policy} ON {table} {body}")
    with op.batch_alter_table("prompts") as batch:
        batch.drop_index(op.f("ix_prompts_shared_workspace_id"))
        batch.drop_constraint(op.f("fk_prompts_copied_from_id_prompts"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_prompts_shared_workspace_id_workspaces"), type_="foreignkey")
        batch.drop_column("copied_from_id")
        batch.drop_column("shared_workspace_id")
