"""Search every message of the user's threads: SQLite FTS5, PostgreSQL full-text search.

What a person types is never query syntax: it is split into words on whitespace, every word
is quoted (so ``"``, ``*``, ``AND``, ``NEAR(`` are just text), the words are ANDed, and the
last word matches as a prefix while it is being typed (a query that ends in a space matches
its last word whole). A word is tokenized like the messages are, so ``snake_case`` or
``main.py`` finds those words side by side. Matching ignores case and accents.

Order: the best matches first (bm25 on SQLite, ``ts_rank`` on PostgreSQL) among the newest
``CANDIDATES`` matching messages. Ranking every match costs time in proportion to their
number (1.2 s for a word found in 260,000 of 300,000 messages on SQLite), while the newest
few hundred come off an index in order (FTS5 hands rowids over newest first; on PostgreSQL
an index on ``messages.created_at``, walked backwards), so a common word costs about what a
rare one does. With fewer matches than ``CANDIDATES``, all of them are ranked.

Snippets are plain text with the matched words given as (start, end) spans, computed here in
Python on both databases, so the screen can highlight them without any markup in the text.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, Integer, String, Uuid, bindparam, column, text
from sqlalchemy.sql.elements import TextClause

from promptterm.db.types import UTCDateTime
from promptterm.services.chat.threads import UNTITLED
from promptterm.services.context import ServiceContext

CANDIDATES = 500  # newest matches that are ranked; see the module docstring
MAX_WORDS = 16
MAX_WORD_CHARS = 200
SNIPPET_CHARS = 160
CONTEXT_BEFORE = 40  # characters of context kept before the first match
SCAN_CHARS = 200_000  # a match further into one huge message is not looked for
PG_CONFIG = "promptterm_search"  # text search configuration made by migration 0008

# A word as both databases' tokenizers see one: letters and digits (with any combining
# accents that follow them); everything else separates words.
_TOKEN = re.compile(r"(?:[^\W_][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]*)+")


@dataclass(frozen=True)
class SearchHit:
    thread_id: uuid.UUID
    thread_title: str
    message_id: uuid.UUID
    seq: int
    role: str
    # One line of the message around the first match (whitespace collapsed, "…" where cut).
    snippet: str
    # (start, end) character offsets into ``snippet`` of each matched word, in order.
    spans: tuple[tuple[int, int], ...]
    created_at: datetime
    # Relevance, higher is better; comparable only between hits of the same search.
    rank: float
    project_id: uuid.UUID | None = None
    thread_archived: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...]
    prefix: bool  # the last word matches as a prefix

    def fts5(self) -> str:
        """An FTS5 MATCH expression: each word a quoted string, ANDed, maybe a prefix."""
        quoted = ['"' + w.replace('"', '""') + '"' for w in self.words]
        if self.prefix:
            quoted[-1] += "*"
        return " ".join(quoted)

    def phrases(self) -> tuple[Phrase, ...]:
        """Each word as the folded tokens it must match side by side; the last token of the
        last word may be a prefix."""
        found = []
        for n, word in enumerate(self.words):
            tokens = tuple(_fold(t) for t in _TOKEN.findall(word))
            if tokens:
                found.append(Phrase(tokens, self.prefix and n == len(self.words) - 1))
        return tuple(found)


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]
    prefix: bool

    def matches_at(self, folded: Callable[[int], str], at: int, count: int) -> bool:
        last = len(self.tokens) - 1
        if at + last >= count:
            return False
        for j, token in enumerate(self.tokens):
            seen = folded(at + j)
            if not (seen == token or (self.prefix and j == last and seen.startswith(token))):
                return False
        return True


def parse_query(query: str) -> ParsedQuery:
    """Words of a typed query; words with no letter or digit (``"``, ``*``, ``-``) are left
    out, since they could match nothing and PostgreSQL refuses an empty prefix."""
    cleaned = query.replace("\x00", " ")
    words = [w[:MAX_WORD_CHARS] for w in cleaned.split() if _TOKEN.search(w)]
    words = words[:MAX_WORDS]
    prefix = bool(words) and not cleaned[-1:].isspace()
    return ParsedQuery(tuple(words), prefix)


class ChatSearchService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        project_id: uuid.UUID | None = None,
        include_archived: bool = True,
    ) -> list[SearchHit]:
        """Messages of the user's threads that contain every word of ``query``."""
        parsed = parse_query(query)
        if not parsed.words or limit <= 0:
            return []
        filters = ""
        params: dict[str, Any] = {
            "uid": self.ctx.user_id,
            "limit": limit,
            "window": max(limit, CANDIDATES),
        }
        if project_id is not None:
            filters += " AND c.project_id = :project_id"
            params["project_id"] = project_id
        if not include_archived:
            filters += " AND c.is_archived = :archived"
            params["archived"] = False
        if self.ctx.db.is_sqlite:
            stmt = _sqlite_statement(filters)
            params["match"] = parsed.fts5()
        else:
            stmt = _postgres_statement(parsed, filters)
            params.update(tsquery_params(parsed))
        stmt = stmt.bindparams(
            bindparam("uid", type_=Uuid()),
            *([bindparam("project_id", type_=Uuid())] if project_id is not None else []),
            *([bindparam("archived", type_=Boolean())] if not include_archived else []),
        ).columns(
            column("message_id", Uuid()),
            column("thread_id", Uuid()),
            column("seq", Integer()),
            column("role", String()),
            column("content", String()),
            column("created_at", UTCDateTime()),
            column("title", String()),
            column("project_id", Uuid()),
            column("is_archived", Boolean()),
            column("score", Float()),
        )
        with self.ctx.db.session() as session:
            rows = session.execute(stmt, params).all()
        phrases = parsed.phrases()
        hits = []
        for row in rows:
            snippet, spans = make_snippet(row.content, phrases)
            hits.append(
                SearchHit(
                    thread_id=row.thread_id,
                    thread_title=row.title or UNTITLED,
                    message_id=row.message_id,
                    seq=row.seq,
                    role=row.role,
                    snippet=snippet,
                    spans=spans,
                    created_at=row.created_at,
                    rank=float(row.score or 0.0),
                    project_id=row.project_id,
                    thread_archived=bool(row.is_archived),
                )
            )
        return hits


# -- SQL ----------------------------------------------------------------------------------------

_COLUMNS = (
    "m.id AS message_id, m.conversation_id AS thread_id, m.seq, m.role, m.content, m.created_at,"
    " c.title, c.project_id, c.is_archived"
)


def _sqlite_statement(filters: str) -> TextClause:
    # The inner query walks the index newest first (FTS5 hands rowids over in order, so it
    # stops after :window); bm25() is negative, more negative is better.
    return text(
        f"""
        SELECT {_COLUMNS}, hits.score
        FROM (
            SELECT messages_fts.rowid AS rid, -bm25(messages_fts) AS score
            FROM messages_fts
            JOIN messages m ON m.rowid = messages_fts.rowid
            JOIN conversations c ON c.id = m.conversation_id
            WHERE messages_fts MATCH :match AND c.user_id = :uid{filters}
            ORDER BY messages_fts.rowid DESC
            LIMIT :window
        ) AS hits
        JOIN messages m ON m.rowid = hits.rid
        JOIN conversations c ON c.id = m.conversation_id
        ORDER BY hits.score DESC, hits.rid DESC
        LIMIT :limit
        """
    )


def tsquery_sql(parsed: ParsedQuery) -> str:
    parts = [f"phraseto_tsquery('{PG_CONFIG}', :w{i})" for i in range(len(parsed.words))]
    if parsed.prefix:
        parts[-1] = f"to_tsquery('{PG_CONFIG}', :w{len(parsed.words) - 1})"
    return " && ".join(parts)


def tsquery_params(parsed: ParsedQuery) -> dict[str, str]:
    # Lower-cased here as the column is (migration 0008): the configuration's own lower-casing
    # follows the database's locale, which under "C" leaves non-ASCII letters alone.
    params = {f"w{i}": w.lower() for i, w in enumerate(parsed.words)}
    if parsed.prefix:
        last = f"w{len(parsed.words) - 1}"
        # to_tsquery syntax, made inert: one quoted lexeme (quotes doubled, backslashes
        # escaped) with the prefix mark; the text inside is parsed like the messages.
        params[last] = "'" + params[last].replace("\\", "\\\\").replace("'", "''") + "':*"
    return params


def _postgres_statement(parsed: ParsedQuery, filters: str) -> TextClause:
    query = tsquery_sql(parsed)
    return text(
        f"""
        SELECT hits.message_id, hits.thread_id, hits.seq, hits.role, hits.content,
               hits.created_at, hits.title, hits.project_id, hits.is_archived,
               ts_rank(hits.search_vector, {query}, 1) AS score
        FROM (
            SELECT {_COLUMNS}, m.search_vector
            FROM messages m
            JOIN conversations c ON c.id = m.conversation_id
            WHERE m.search_vector @@ ({query}) AND c.user_id = :uid{filters}
            ORDER BY m.created_at DESC, m.seq DESC
            LIMIT :window
        ) AS hits
        ORDER BY score DESC, hits.created_at DESC, hits.seq DESC
        LIMIT :limit
        """
    )


# -- snippets -----------------------------------------------------------------------------------


def _fold(token: str) -> str:
    """Case and accents off, as both databases index words."""
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def find_matches(
    text_: str, phrases: tuple[Phrase, ...], *, first_only: bool = False
) -> list[tuple[int, int]]:
    """(start, end) of each place in ``text_`` where one of ``phrases`` matches."""
    tokens = list(_TOKEN.finditer(text_))
    folded: list[str | None] = [None] * len(tokens)

    def fold(i: int) -> str:
        seen = folded[i]
        if seen is None:
            seen = folded[i] = _fold(tokens[i].group())
        return seen

    # Most tokens match nothing: a set lookup on the first token rules them out cheaply.
    heads = {p.tokens[0] for p in phrases if not (p.prefix and len(p.tokens) == 1)}
    head_prefixes = tuple(p.tokens[0] for p in phrases if p.prefix and len(p.tokens) == 1)
    longest_first = sorted(phrases, key=lambda p: -len(p.tokens))
    found: list[tuple[int, int]] = []
    at, count = 0, len(tokens)
    while at < count:
        head = fold(at)
        if head in heads or (head_prefixes and head.startswith(head_prefixes)):
            for phrase in longest_first:
                if phrase.matches_at(fold, at, count):
                    end = at + len(phrase.tokens) - 1
                    found.append((tokens[at].start(), tokens[end].end()))
                    if first_only:
                        return found
                    at = end
                    break
        at += 1
    return found


def make_snippet(
    content: str, phrases: tuple[Phrase, ...]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``SNIPPET_CHARS`` characters of ``content`` around its first match, on one line,
    and the spans of the matches in it."""
    first = find_matches(content[:SCAN_CHARS], phrases, first_only=True)
    match_start, match_end = first[0] if first else (0, 0)
    begin = max(0, match_start - CONTEXT_BEFORE)
    end = max(min(len(content), begin + SNIPPET_CHARS), match_end)
    # Cut between words, never inside one (unless a single word is that long).
    if begin > 0 and not content[begin - 1].isspace():
        begin = next((i + 1 for i in range(begin, match_start) if content[i].isspace()), begin)
    if end < len(content) and not content[end].isspace():
        end = next(
            (i for i in range(end - 1, max(begin, match_end), -1) if content[i].isspace()), end
        )
    body = " ".join(content[begin:end].split())
    snippet = ("…" if begin > 0 else "") + body + ("…" if end < len(content) else "")
    return snippet, tuple(find_matches(snippet, phrases))
