"""The text filter's candidates on SQLite, from the trigram index of migration 0030.

A rare text (an id, a file name, an error) is in few entries: those come from the index at
once, where scanning newest first would read the whole log to fill a page. A common one is
in most entries: a scan fills a page within its first few thousand rows, while the index
would hand over every match. So:

- under three characters (no trigram): scan;
- in one of the user's models or endpoints (not in the index: a handful of values repeated
  in every call; read here as distinct values, one index seek each): scan, as such a text
  is in every call to that model;
- else the index's matches are read, up to ``COMMON`` (once: a phrase of trigrams costs
  the same to count as to list), and used below that.

The caller's LIKE decides in every case, so the rows are the same as a plain scan's.
(PostgreSQL's planner makes these choices itself, from the pg_trgm index's statistics.)
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

COMMON = 10_000
_ROWIDS = sa.text("SELECT rowid FROM activity_log_fts WHERE activity_log_fts MATCH :m LIMIT :cap")
# The distinct values of a column by skipping along its (user_id, column…) index.
_DISTINCT = """
WITH RECURSIVE v(x) AS (
  SELECT min({c}) FROM activity_log WHERE user_id = :u
  UNION ALL
  SELECT (SELECT min({c}) FROM activity_log WHERE user_id = :u AND {c} > v.x) FROM v
  WHERE v.x IS NOT NULL
)
SELECT x FROM v WHERE x IS NOT NULL
"""
_VALUES = {c: sa.text(_DISTINCT.format(c=c)) for c in ("model", "endpoint")}


def trigram_candidates(
    conn: sa.Connection, user_id: uuid.UUID, words: str
) -> sa.ColumnElement[bool] | None:
    """``activity_log.rowid IN (the index's matches)``, or None where a scan is the way."""
    if len(words) < 3:
        return None
    wanted = words.lower()  # folds at least what SQLite's lower() does: never fewer matches
    for query in _VALUES.values():
        if any(wanted in str(v).lower() for v in conn.execute(query, {"u": user_id.hex})):
            return None
    phrase = '"' + words.replace('"', '""') + '"'  # one substring, quotes as themselves
    rowids = list(conn.execute(_ROWIDS, {"m": phrase, "cap": COMMON}).scalars())
    if len(rowids) >= COMMON:
        return None
    return sa.literal_column("activity_log.rowid").in_(rowids)
