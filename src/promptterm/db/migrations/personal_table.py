"""Row-level security for a personal table (one whose rows belong to ``user_id``), as
0003_row_level_security set it up: each person sees only their own rows, and the
``promptterm_user`` group role gets the grants. PostgreSQL only; migrations call it.

Kept as SQL text that never changes, so the migrations that use it stay what they were.
"""

from __future__ import annotations

from alembic import op

GROUP_ROLE = "promptterm_user"


def own_rows_only(table: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {table}_own ON {table} FOR ALL"
        " USING (user_id = promptterm_uid()) WITH CHECK (user_id = promptterm_uid())"
    )
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant {table} to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )
