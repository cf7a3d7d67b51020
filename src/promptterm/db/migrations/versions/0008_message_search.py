"""Full-text search over every message: SQLite FTS5, PostgreSQL tsvector + GIN.

SQLite: ``messages_fts``, an external-content FTS5 table over ``messages.content`` (the
text is not stored twice; FTS5 reads it back from ``messages`` by rowid), tokenizer
``unicode61 remove_diacritics 2`` (case- and accent-insensitive, any script) with prefix
indexes for 2 and 3 characters (the last word is matched as a prefix while the user types).
Triggers keep it in step with every insert, content update and delete, cascades included;
the existing rows are indexed once by ``rebuild``. Moving a message to another thread
(edit-and-resend) changes only ``conversation_id``, so the index is not touched.
The index is keyed on ``messages.rowid``, which ``VACUUM`` keeps (a test checks it). A later
migration that rebuilds ``messages`` with ``batch_alter_table`` would renumber the rowids and
lose the triggers: it must recreate both (``INSERT INTO messages_fts(messages_fts)
VALUES ('rebuild')``).

PostgreSQL: a stored generated column ``messages.search_vector`` with a GIN index, rather
than an expression GIN index on ``to_tsvector(content)``, plus a b-tree on ``created_at``.
Search ranks the newest matches (services/chat/search.py); for a common word PostgreSQL
walks ``created_at`` backwards and tests each message's stored vector, where an expression
index would parse every candidate's text again. Measured by benchmarks/chat_scale.py on
210,000 messages (p50, same SQL): common word 9 ms vs 548 ms, 3-letter prefix 6 vs 454 ms,
two words 13 vs 128 ms, rare word 1.3 vs 4.2 ms. The price is disk (the column took 106 MiB
there; database 259 MiB vs 138 MiB) and a one-time rewrite of ``messages`` by this
migration. The text search configuration ``promptterm_search`` is ``simple`` (no stemming,
no stop words: chats hold code and every language) plus ``unaccent`` where the extension can
be installed; the text is lower-cased with the ICU root collation where there is one, so that
case folding works for every script even in a database created with the C locale. Row-level
security needs nothing new: the column belongs to ``messages``, whose policies already limit
every query to one's own threads.

Revision ID: 0008_message_search
Revises: 0007_payment_history
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_message_search"
down_revision: str | None = "0007_payment_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLE = "messages_fts"
SQLITE_UPGRADE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(content, content='messages',"
    " tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON messages BEGIN"
    f" INSERT INTO {FTS_TABLE}(rowid, content) VALUES (new.rowid, new.content); END",
    # External content: a delete must hand FTS5 the exact text that was indexed.
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON messages BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, content)"
    " VALUES ('delete', old.rowid, old.content); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF content ON messages BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, content)"
    " VALUES ('delete', old.rowid, old.content);"
    f" INSERT INTO {FTS_TABLE}(rowid, content) VALUES (new.rowid, new.content); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)

CONFIG = "promptterm_search"
COLUMN = "search_vector"
INDEX = "ix_messages_search_vector"
# Newest matches first: for a common word PostgreSQL walks this backwards, checking the stored
# vector of each message, instead of fetching every match from the heap to sort them.
RECENCY_INDEX = "ix_messages_search_created_at"
ICU_COLLATION = "und-x-icu"
# Token kinds that can hold accented letters (asciiword cannot).
UNACCENTED = "word, hword, hword_part, numword, numhword, hword_numpart, file"

# unaccent is a trusted extension (any database owner may install it) but ships in
# PostgreSQL's contrib: without it, or without the right, search is accent-sensitive.
PG_UNACCENT = """
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'promptterm: no unaccent extension (%), search will be accent-sensitive', SQLERRM;
END $$;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)
        return
    op.execute(PG_UNACCENT)
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)")
    has_unaccent = bind.exec_driver_sql(
        "SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent'"
    ).scalar()
    if has_unaccent:
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG}"
            f" ALTER MAPPING FOR {UNACCENTED} WITH unaccent, simple"
        )
    has_icu = bind.exec_driver_sql(
        "SELECT 1 FROM pg_collation WHERE collname = %s", (ICU_COLLATION,)
    ).scalar()
    text = f'lower(content COLLATE "{ICU_COLLATION}")' if has_icu else "content"
    op.execute(
        f"ALTER TABLE messages ADD COLUMN {COLUMN} tsvector"
        f" GENERATED ALWAYS AS (to_tsvector('{CONFIG}'::regconfig, {text})) STORED"
    )
    op.execute(f"CREATE INDEX {INDEX} ON messages USING gin ({COLUMN})")
    op.execute(f"CREATE INDEX {RECENCY_INDEX} ON messages (created_at)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWNGRADE:
            op.execute(statement)
        return
    op.execute(f"DROP INDEX IF EXISTS {RECENCY_INDEX}")
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(f"ALTER TABLE messages DROP COLUMN IF EXISTS {COLUMN}")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
