"""Row-level security for a migration's new tables, set up as every migration since 0018
does it: RLS switched on for each table, the migration's own policies created, and the
``promptterm_user`` group role granted the tables (or, where the migrator may not grant, a
notice that a DBA can grant by hand). PostgreSQL only; migrations call it.

The SQL is text that never changes (tests/services/test_migration_row_security.py holds
its fingerprints), so the migrations that use it stay what they were when applied.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

GROUP_ROLE = "promptterm_user"


def grant_to_group(tables: Sequence[str], what: str) -> str:
    """Every right on ``tables`` for the group role, in a block that only notices a refusal;
    ``what`` names the tables in that notice ("the MCP tables")."""
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    return f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT SELECT, INSERT, UPDATE, DELETE ON {", ".join(tables)} TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant {what} to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """


def secure_tables(tables: Sequence[str], policies: Sequence[str], what: str) -> None:
    for table in tables:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in policies:
        op.execute(statement)
    op.execute(grant_to_group(tables, what))
