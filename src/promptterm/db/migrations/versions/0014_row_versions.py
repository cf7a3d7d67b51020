"""Who created a file is the person who did (issue 12, a leftover of item 2).

0010 credits a new file version to whoever inserts it (``file_versions.changed_by``), but
``files.created_by`` could still be set to anyone in raw SQL by a member, or changed later.
A trigger now sets it to the session's user on insert and refuses a change on update, where
row-level security applies (so the tables' owner, and a user deleted with ON DELETE SET
NULL, are not affected). SQLite has one local user and no roles: nothing to do there.

Revision ID: 0014_row_versions
Revises: 0013_disk_intent
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_row_versions"
down_revision: str | None = "0013_disk_intent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE OR REPLACE FUNCTION promptterm_file_author() RETURNS trigger
LANGUAGE plpgsql AS
$$
BEGIN
  IF row_security_active(TG_RELID) THEN
    IF TG_OP = 'INSERT' THEN
      NEW.created_by := promptterm_uid();
    ELSIF NEW.created_by IS DISTINCT FROM OLD.created_by THEN
      RAISE EXCEPTION 'promptterm: files.created_by cannot be changed'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute(
        "CREATE TRIGGER promptterm_file_author BEFORE INSERT OR UPDATE ON files"
        " FOR EACH ROW EXECUTE FUNCTION promptterm_file_author()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS promptterm_file_author ON files")
    op.execute("DROP FUNCTION IF EXISTS promptterm_file_author()")
