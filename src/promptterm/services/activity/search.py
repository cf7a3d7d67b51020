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

The matches drive the list (``ActivityService.list``): each is looked up by rowid, those
that pass the filters are ordered, and only the page is then read whole. Handed over as
one JSON array (``json_each``), not as thousands of bound values: the statement stays one
short text, and SQLite cannot take the user's (user_id, at, id) index instead, as it did
for ``rowid IN (…)``, walking the newest entries one by one until a page of matches came.

The caller's LIKE decides in every case, so the rows are the same as a plain scan's.
(PostgreSQL's planner makes these choices itself, from the pg_trgm index's statistics.)
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

# Where fetching each match costs as much as scanning for a page: a match is a lookup by
# rowid (~5-8 us), a scanned entry is read in order (~1 us), and a scan reads about
# 200 * entries / matches of them; at a million entries they meet near 5,000 matches.
COMMON = 5_000
# The matches as one JSON array, built by SQLite: no Python object per match.
_ROWIDS = sa.text(
    "SELECT count(*), json_group_array(rowid) FROM"
    " (SELECT rowid FROM activity_log_fts WHERE activity_log_fts MATCH :m LIMIT :cap)"
)
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


def trigram_candidates(conn: sa.Connection, user_id: uuid.UUID, words: str) -> str | None:
    """The index's matches (rowids, a JSON array), or None where a scan is the way."""
    if len(words) < 3:
        return None
    wanted = words.lower()  # folds at least what SQLite's lower() does: never fewer matches
    for query in _VALUES.values():
        if any(wanted in str(v).lower() for v in conn.execute(query, {"u": user_id.hex})):
            return None
    phrase = '"' + words.replace('"', '""') + '"'  # one substring, quotes as themselves
    count, rowids = conn.execute(_ROWIDS, {"m": phrase, "cap": COMMON}).one()
    return None if count >= COMMON else str(rowids)
