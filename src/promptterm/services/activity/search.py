"""The text filter's candidates on SQLite, from the trigram index of migration 0030.

A rare text (an id, a file name, an error) is in few entries: those come from the index at
once, where scanning newest first would read the whole log to fill a page. A common one
(``openai``, ``completions``) is in most entries: a scan fills a page within its first few
thousand rows, while the index would hand over every match. So the index is asked how
many it has, up to ``COMMON``, and used only below that. The caller's LIKE still decides
either way, so the rows are the same. (PostgreSQL's planner makes this choice itself, from
the pg_trgm index's statistics.)
"""

from __future__ import annotations

import sqlalchemy as sa

COMMON = 10_000
_COUNT = sa.text(
    "SELECT count(*) FROM (SELECT 1 FROM activity_log_fts WHERE activity_log_fts MATCH :m"
    " LIMIT :cap)"
)
_ROWIDS = sa.text("SELECT rowid FROM activity_log_fts WHERE activity_log_fts MATCH :m")


def trigram_candidates(conn: sa.Connection, words: str) -> sa.ColumnElement[bool] | None:
    """``activity_log.rowid IN (the index's matches)``, or None: under three characters
    (no trigram) or too common to be worth it."""
    if len(words) < 3:
        return None
    phrase = '"' + words.replace('"', '""') + '"'  # one substring, quotes as themselves
    if (conn.execute(_COUNT, {"m": phrase, "cap": COMMON}).scalar() or 0) >= COMMON:
        return None
    return sa.literal_column("activity_log.rowid").in_(_ROWIDS.bindparams(m=phrase))
