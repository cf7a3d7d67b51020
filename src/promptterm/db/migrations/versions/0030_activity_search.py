"""The activity log's filters from an index at a million entries (issue 19).

Provider and model together: ``ix_activity_log_user_id_provider_model_at_id`` (user_id,
provider, model, at, id), so that filter is one index range already in the list's (at, id)
order, as the single-column filters of 0024 are.

Text (words anywhere in the message, error type, endpoint or model, case-insensitive, as one
substring: LIKE '%words%'): from an index of trigrams. SQLite: ``activity_log_fts``, an
external-content FTS5 table over the message and error type with the trigram tokenizer (the
text is not stored twice; it is keyed on ``activity_log.rowid``, which VACUUM keeps, as
0008's ``messages_fts``), kept in step by triggers on insert and delete (entries are never
updated; an update trigger keeps it right anyway); existing rows are indexed by ``rebuild``.
The endpoint and model are left out: a handful of values repeated in every call, they made
the index four times dearer to write and to trim (retention deletes through it) for
nothing: the service looks them up among the user's few distinct values instead (through
``ix_activity_log_user_id_endpoint`` and 0024's model index) and scans when one matches,
since a scan then fills a page at once (services/activity/search.py).
PostgreSQL: one GIN index with ``gin_trgm_ops`` over lower() of the four columns, the very
expressions the service's LIKE compares, so the planner can read each column's matches
from it (GIN entries are written once per distinct trigram of a row and removed by vacuum,
so the repeated values cost little there). Under three characters there is no trigram: such
text is found by scanning, as before. The service keeps its LIKE on the candidates either
way, so the answer is the same rows as without the index.

No new table a person can read on PostgreSQL (an index only; rows stay behind 0024's
policies); the FTS5 table exists on SQLite alone, which has no roles.

Revision ID: 0030_activity_search
Revises: 0028_plan_flows
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030_activity_search"
down_revision: str | None = "0029_catalog_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "activity_log"
PROVIDER_MODEL = "ix_activity_log_user_id_provider_model_at_id"
ENDPOINT = "ix_activity_log_user_id_endpoint"
FTS_TABLE = "activity_log_fts"
TRGM_INDEX = "ix_activity_log_search_trgm"
COLUMNS = ("message", "error_type", "endpoint", "model")
FTS_COLUMNS = ("message", "error_type")
_NEW = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
_COLS = ", ".join(FTS_COLUMNS)
SQLITE_SEARCH = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({_COLS}, content='{TABLE}', tokenize='trigram')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN"
    f" INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.rowid, {_NEW}); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) VALUES ('delete', old.rowid, {_OLD});"
    " END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF {_COLS} ON {TABLE} BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) VALUES ('delete', old.rowid, {_OLD});"
    f" INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.rowid, {_NEW}); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
# pg_trgm is a trusted extension (PostgreSQL 13+), as for the catalog (0023). Without it the
# text filter still works, by scanning; the notice says what a DBA can do.
_LOWERED = ", ".join(f"lower({c}) gin_trgm_ops" for c in COLUMNS)
PG_SEARCH = f"""
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX {TRGM_INDEX} ON {TABLE} USING gin ({_LOWERED});
EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
  RAISE NOTICE 'promptterm: the activity log text filter will scan (no pg_trgm): %', SQLERRM;
END $$;
"""


def upgrade() -> None:
    op.create_index(PROVIDER_MODEL, TABLE, ["user_id", "provider", "model", "at", "id"])
    op.create_index(ENDPOINT, TABLE, ["user_id", "endpoint"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(PG_SEARCH)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
    op.drop_index(ENDPOINT, table_name=TABLE)
    op.drop_index(PROVIDER_MODEL, table_name=TABLE)
