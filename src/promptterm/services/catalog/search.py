"""Finding published catalog items: a page of results in one or two statements.

A page is read one of two ways, chosen per query from what the indexes say:

- *collected*: when the words and the tag match at most ``COLLECT_CAP`` items, all of them
  are fetched through the text index and sorted (a few hundred rows);
- *walked*: otherwise, or with no words or tag, the sort's index is read in order and each
  item tested until the page is full. Then matches are common (at least one item in
  ``total / COLLECT_CAP``), so the walk is short.

Neither database's planner can tell these apart by itself: SQLite has no statistics for the
FTS5 table, and PostgreSQL's estimate for two ``LIKE '%word%'`` together is far enough off
that it walked 10,000 rows for 500 matches. So the matches are counted (capped) first: a tag
alone in ``catalog_tags``; words on SQLite in the trigram FTS5 index (holding the tags too,
migration 0029), which yields row ids without touching the table; on PostgreSQL through the
trigram and tags GIN indexes (a bitmap scan that stops at the cap).

Rows come back as plain tuples (no ORM objects), with the seller's public name joined in the
same statement; only the columns an ``ItemInfo`` shows are read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy import text as sa_text
from sqlmodel import Session

from promptterm.db.models import CatalogItem, CatalogProfile, CatalogTag, User
from promptterm.services.catalog.info import ItemInfo
from promptterm.services.validation import escape_like

Sort = Literal["rating", "downloads", "newest", "price"]
Price = Literal["any", "free", "paid"]
How = Literal["walk", "rowids", "tagged", "collect"]

# Up to this many matches are collected and sorted; past it, the sort's index is walked.
COLLECT_CAP = 1000
# Words shorter than a trigram are not in the text index: those are tested with LIKE.
TRIGRAM = 3
FTS_TABLE = "catalog_items_fts"
FTS_PROBE = sa_text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q LIMIT :n")
TAG_PROBE = sa_text(
    "SELECT count(*) FROM (SELECT 1 FROM catalog_tags WHERE tag = :tag LIMIT :n) AS tagged"
)

ITEMS = CatalogItem.__table__  # type: ignore[attr-defined]
PROFILES = CatalogProfile.__table__  # type: ignore[attr-defined]
USERS = User.__table__  # type: ignore[attr-defined]
TAGS = CatalogTag.__table__  # type: ignore[attr-defined]
# What a list shows, in ItemInfo's order; the seller's name goes third.
LISTED = (
    "id", "seller_id", "kind", "title", "description", "tags", "image_urls", "price",
    "currency", "published", "version", "rating", "review_count", "download_count",
    "view_count", "created_at",
)  # fmt: skip
# Each sort follows its index to the end (the id breaks ties), read backwards for the
# descending ones (migration 0023).
ORDERS: dict[str, tuple[tuple[str, bool], ...]] = {
    "rating": (("rating", True), ("review_count", True), ("id", True)),
    "downloads": (("download_count", True), ("id", True)),
    "newest": (("created_at", True), ("id", True)),
    "price": (("price", False), ("id", False)),
}


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]
    kind: str | None
    tag: str | None
    price: Price
    min_rating: float | None
    sort: Sort
    limit: int
    offset: int


@dataclass(frozen=True)
class Shape:
    """What a statement looks like apart from its values: statements are built once per
    shape (building one costs more than running it on SQLite)."""

    how: How
    sort: str
    like_words: int
    kind: bool
    tag: bool
    price: str
    rating: bool


def search(session: Session, q: Query) -> list[ItemInfo]:
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return _search_sqlite(conn, q)
    return _search_postgres(conn, q)


# -- SQLite ---------------------------------------------------------------------------------


def _search_sqlite(conn: Connection, q: Query) -> list[ItemInfo]:
    long_words = [w for w in q.words if len(w) >= TRIGRAM]
    short = [w for w in q.words if len(w) < TRIGRAM]
    if not long_words and q.tag:
        # A tag alone: its own index counts its items faster than the text index would.
        found = _tag_count(conn, q.tag)
        if not found:
            return []
        if found <= COLLECT_CAP:
            return _run(conn, _shape(q, "tagged", short), q, short)
    elif long_words:
        match = fts_query(long_words, q.tag)
        rows = conn.execute(FTS_PROBE, {"q": match, "n": COLLECT_CAP + 1}).all()
        if not rows:
            return []
        if len(rows) <= COLLECT_CAP:
            # The text index already checked the long words and the tag: only the rows it
            # named are read, by row id.
            rowids = json.dumps([r[0] for r in rows])
            return _run(conn, _shape(q, "rowids", short), q, short, rowids=rowids)
    return _run(conn, _shape(q, "walk", q.words), q, q.words)


def fts_query(words: list[str], tag: str | None) -> str:
    """An FTS5 query that takes the user's words as plain text: each is a quoted phrase
    (trigram: a substring), so quotes, ``*``, ``AND``, ``-`` or ``NEAR(`` match themselves.
    A tag must equal one of the item's, quotes included, in the JSON list of its tags."""
    parts = [f"search_text : {_phrase(w)}" for w in words]
    if tag:
        parts.append(f"tags : {_phrase(json.dumps(tag))}")
    return " AND ".join(parts)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# -- PostgreSQL -----------------------------------------------------------------------------

_PLANS = {
    # Collect through the trigram and tag indexes (a bitmap scan), or walk the sort's
    # index; for the rest of this transaction only.
    "collect": "SELECT set_config('enable_bitmapscan', 'on', true),"
    " set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true)",
    "walk": "SELECT set_config('enable_bitmapscan', 'off', true),"
    " set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true)",
}


def _search_postgres(conn: Connection, q: Query) -> list[ItemInfo]:
    how: How = "walk"
    found = 0
    if q.words:
        conn.exec_driver_sql(_PLANS["collect"])
        probe = _probe(_shape(q, "collect", q.words))
        found = int(conn.execute(probe, _params(q, q.words)).scalar_one())
    elif q.tag:
        found = _tag_count(conn, q.tag)
    if q.words or q.tag:
        if not found:
            return []
        how = "collect" if found <= COLLECT_CAP else "walk"
        conn.exec_driver_sql(_PLANS[how])
    return _run(conn, _shape(q, how, q.words), q, q.words)


def _tag_count(conn: Connection, tag: str) -> int:
    """The items with the tag (unpublished ones included), counted up to one past the cap."""
    return int(conn.execute(TAG_PROBE, {"tag": tag, "n": COLLECT_CAP + 1}).scalar_one())


# -- both -----------------------------------------------------------------------------------


def _shape(q: Query, how: How, like_words: tuple[str, ...] | list[str]) -> Shape:
    return Shape(
        how, q.sort, len(like_words), bool(q.kind), bool(q.tag), q.price, bool(q.min_rating)
    )


def _params(
    q: Query, like_words: tuple[str, ...] | list[str], rowids: str | None = None
) -> dict[str, Any]:
    params: dict[str, Any] = {f"word{n}": f"%{escape_like(w)}%" for n, w in enumerate(like_words)}
    params.update(kind=q.kind, tag=q.tag, min_rating=q.min_rating, lim=q.limit, off=q.offset)
    params["cap"] = COLLECT_CAP + 1
    if rowids is not None:
        params["rowids"] = rowids
    return params


def _run(
    conn: Connection, shape: Shape, q: Query, like_words: Any, rowids: str | None = None
) -> list[ItemInfo]:
    rows = conn.execute(_statement(shape), _params(q, like_words, rowids))
    return [_info(r) for r in rows]


def _filters(s: Shape) -> list[ColumnElement[bool]]:
    """Every condition but ``published``. On a walk, the conditions that have an index of
    their own are written so that it is not used (``+ 0``): the sort's index must lead."""
    walked = s.how == "walk"
    like = ITEMS.c.search_text.like
    where: list[ColumnElement[bool]] = [
        like(bindparam(f"word{n}", type_=String), escape="\\") for n in range(s.like_words)
    ]
    if s.how == "rowids":
        rowids = select(literal_column("value")).select_from(
            func.json_each(bindparam("rowids", type_=String))
        )
        where.append(literal_column("catalog_items.rowid").in_(rowids))
    if s.kind:
        where.append(ITEMS.c.kind == bindparam("kind", type_=String))
    if s.tag and s.how == "tagged":
        tag = bindparam("tag", type_=String)
        where.append(ITEMS.c.id.in_(select(TAGS.c.item_id).where(TAGS.c.tag == tag)))
    elif s.tag and s.how == "collect":
        # The item's JSON list of tags holds it: what catalog_tags says, in a form the GIN
        # index on ``tags`` answers (migration 0029).
        has_tag = ITEMS.c.tags.op("@>", is_comparison=True)
        where.append(has_tag(func.jsonb_build_array(bindparam("tag", type_=String))))
    elif s.tag:
        tag = bindparam("tag", type_=String)
        where.append(exists().where(and_(TAGS.c.item_id == ITEMS.c.id, TAGS.c.tag == tag)))
    # Sorted by price, a price filter is a range of the walked index itself.
    price = ITEMS.c.price + 0 if walked and s.sort != "price" else ITEMS.c.price
    if s.price == "free":
        where.append(price == 0)
    elif s.price == "paid":
        where.append(price > 0)
    if s.rating:
        rating = ITEMS.c.rating + 0 if walked and s.sort != "rating" else ITEMS.c.rating
        where.append(rating >= bindparam("min_rating", type_=Float))
    return where


def _published(s: Shape) -> ColumnElement[bool]:
    if s.how in ("rowids", "tagged"):
        # The unary + keeps SQLite from walking a sort index (all of them start with
        # ``published``) and testing each row against the list instead.
        return literal_column("+catalog_items.published", Boolean) == 1
    return ITEMS.c.published == True  # noqa: E712


def _order(columns: Any, sort: str) -> list[Any]:
    return [
        columns[name].desc() if descending else columns[name].asc()
        for name, descending in ORDERS[sort]
    ]


def _hits(s: Shape) -> Select[Any]:
    return select(*[ITEMS.c[name] for name in LISTED]).where(_published(s), *_filters(s))


@lru_cache(maxsize=128)
def _probe(s: Shape) -> Select[Any]:
    """How many items match, counted up to one past the cap."""
    hits = _hits(s).limit(bindparam("cap", type_=Integer)).subquery()
    return select(func.count()).select_from(hits)


@lru_cache(maxsize=256)
def _statement(s: Shape) -> Select[Any]:
    """The page's rows with each seller's public name: the profile's nickname, else the
    display name (when the reader may see that user), else "someone"."""
    lim, off = bindparam("lim", type_=Integer), bindparam("off", type_=Integer)
    page = _hits(s).order_by(*_order(ITEMS.c, s.sort)).limit(lim).offset(off).subquery("page")
    seller = func.coalesce(PROFILES.c.nickname, USERS.c.display_name, literal("someone"))
    shown = [page.c[name] for name in LISTED]
    return (
        select(*shown[:2], seller.label("seller"), *shown[2:])
        .select_from(
            page.outerjoin(PROFILES, PROFILES.c.user_id == page.c.seller_id).outerjoin(
                USERS, USERS.c.id == page.c.seller_id
            )
        )
        .order_by(*_order(page.c, s.sort))
    )


def _info(r: Any) -> ItemInfo:
    return ItemInfo(
        r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6]), tuple(r[7]), r[8], r[9], r[10],
        r[11], float(r[12]), r[13], r[14], r[15], r[16],
    )  # fmt: skip
