"""Catalog search, on SQLite and PostgreSQL: words in title, description and tags, typed as
plain text whatever they hold, ranked by the chosen sort, and current after every change.

Search reads a page one of two ways (services/catalog/search.py): few matches are collected
from the text index and sorted, many are found by walking the sort's index. Each test that
can runs both ways, by moving the cap between them, and expects the same answers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text

from promptterm.db.engine import Database
from promptterm.db.migrate import alembic_config, upgrade
from promptterm.services.catalog import search as catalog_search
from promptterm.services.facade import Services
from services.catalog.shop import Shop, open_shop
from support.clock import FixedClock

# With a cap of 0 every query that names words or a tag walks; with a large one, it collects.
WAYS = {"collected": 10_000, "walked": 0}


@pytest.fixture(params=list(WAYS))
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(catalog_search, "COLLECT_CAP", WAYS[request.param])
    yield request.param


STOCK = (
    ("Python tutor", "Teaches Python step by step", ["python", "edu"], 0),
    ("Rust reviewer", "Reviews Rust code; kind but firm", ["rust", "review"], 500),
    ("Pirate poet", "Writes poems like a pirate", ["fun", "ai-art", "café"], 0),
    ("SQL helper", "Explains queries", ["sql", "ai"], 0),
)


def _stock(shop: Shop, clock: FixedClock) -> dict[str, uuid.UUID]:
    items = {}
    for name, body, tags, price in STOCK:
        clock.advance(minutes=1)
        items[name] = _publish(shop, name, body, tags, price)
    return items


def _publish(shop: Shop, name: str, about: str, tags: list[str], price: int = 0) -> uuid.UUID:
    shop.alice.components.create("role", name, "You help.")
    item = shop.alice.catalog.publish(
        "component", name, title=name, description=about, tags=tags, price=price
    )
    return item.id


def _ids(found: list[object]) -> list[uuid.UUID]:
    return [i.id for i in found]  # type: ignore[attr-defined]


def test_words_are_found_in_title_description_and_tags(
    services: Services, clock: FixedClock, way: str
) -> None:
    shop = open_shop(services, clock)
    items = _stock(shop, clock)
    search = shop.bob.catalog.search
    assert _ids(search("TUTOR")) == [items["Python tutor"]]  # title, any case
    assert _ids(search("step by")) == [items["Python tutor"]]  # description; "by" is short
    assert _ids(search("review")) == [items["Rust reviewer"]]  # a tag and a part of a word
    assert set(_ids(search("po"))) == {items["Pirate poet"]}  # two letters: no trigram
    assert _ids(search("pirate poems")) == [items["Pirate poet"]]  # every word must match
    assert _ids(search("pirate queries")) == []
    assert _ids(search("python", tag="edu")) == [items["Python tutor"]]
    assert _ids(search(tag="ai")) == [items["SQL helper"]]  # a tag is whole: not "ai-art"
    assert _ids(search("sql", tag="python")) == []
    assert _ids(search("code", price="paid", min_rating=None)) == [items["Rust reviewer"]]
    assert _ids(search("e", kind="preset")) == []


def test_results_are_ranked_by_the_chosen_sort(
    services: Services, clock: FixedClock, way: str
) -> None:
    shop = open_shop(services, clock)
    items = _stock(shop, clock)
    shop.bob.catalog_reviews.review(items["Pirate poet"], 5)
    shop.bob.catalog_reviews.review(items["SQL helper"], 3)
    search = shop.bob.catalog.search
    # "e" is in every item: the walk and the collection must both keep the sort's order.
    assert _ids(search("e"))[:2] == [items["Pirate poet"], items["SQL helper"]]
    newest_first = list(reversed(items.values()))
    assert _ids(search("e", sort="newest")) == newest_first
    assert _ids(search("er", sort="newest")) == [items["SQL helper"], items["Rust reviewer"]]
    assert _ids(search("e", sort="price"))[-1] == items["Rust reviewer"]
    assert _ids(search("e", sort="newest", limit=2, offset=1)) == newest_first[1:3]
    assert _ids(search("e", min_rating=4)) == [items["Pirate poet"]]


TYPED = (
    '"', '""', "*", "pyth*", "AND", "a AND b", "OR", "NOT", "-", "-rust", "ai-", "NEAR(",
    "NEAR(a b)", "title:", "search_text : x", "tags:rust", "^py", "(", ")", "{x}", "'", "\\",
    "%", "_", "100%_", "[x]", "+", "pirate z", "pirate po", "CAFÉ", "é",
    "'; DROP TABLE catalog_items; --",
)  # fmt: skip


def test_what_the_user_types_is_plain_text(services: Services, clock: FixedClock, way: str) -> None:
    """FTS5 and LIKE syntax typed into the search box neither fails nor means anything:
    each word is looked for as it is, as Python's ``in`` would."""
    shop = open_shop(services, clock)
    items = _stock(shop, clock)
    texts = {items[n]: " ".join([n, body, *tags]).lower() for n, body, tags, _ in STOCK}
    tags = {items[n]: tags for n, _, tags, _ in STOCK}
    for typed in TYPED:
        words = typed.lower().split()
        expected = {i for i, t in texts.items() if all(w in t for w in words)}
        assert set(_ids(shop.bob.catalog.search(typed))) == expected, typed
        tagged = {i for i in items.values() if typed.strip().lower() in tags[i]}
        assert set(_ids(shop.bob.catalog.search(tag=typed))) == tagged, typed
    assert _ids(shop.bob.catalog.search(tag="café")) == [items["Pirate poet"]]


def test_operators_and_quotes_match_themselves(
    services: Services, clock: FixedClock, way: str
) -> None:
    shop = open_shop(services, clock)
    body = 'Say "hello" AND mean it; NEAR(home) -- 100% * sure'
    odd = _publish(shop, "C++ greeter", body, ['say "hi"', "c++"])
    plain = _publish(shop, "Greeter", "Says hello", ["hi"])
    search = shop.bob.catalog.search
    assert _ids(search('"hello"')) == [odd]
    assert set(_ids(search("hello"))) == {odd, plain}
    assert _ids(search("and mean")) == [odd]
    assert _ids(search("near(home)")) == [odd]
    assert _ids(search("100% *")) == [odd]
    assert _ids(search("--")) == [odd]
    assert _ids(search("c++")) == [odd]
    assert _ids(search(tag='say "hi"')) == [odd]
    assert _ids(search(tag="hi")) == [plain]


def test_changes_are_searchable_at_once(services: Services, clock: FixedClock, way: str) -> None:
    shop = open_shop(services, clock)
    items = _stock(shop, clock)
    search = shop.bob.catalog.search
    tutor = items["Python tutor"]
    shop.alice.catalog.publish(
        "component", "Python tutor", title="Haskell tutor", description="Monads", tags=["fp"]
    )
    assert _ids(search("haskell monads")) == [tutor]
    assert _ids(search(tag="fp")) == [tutor]
    assert _ids(search("python")) == []  # neither the old title, description nor tag
    assert _ids(search(tag="python")) == []
    shop.alice.catalog.set_published(tutor, False)
    assert _ids(search("haskell")) == []
    assert _ids(search(tag="fp")) == []
    shop.alice.catalog.set_published(tutor, True)
    assert _ids(search("haskell")) == [tutor]


def test_the_page_shows_the_sellers_public_name(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    items = _stock(shop, clock)
    [found] = shop.bob.catalog.search("sql helper")
    assert found == shop.bob.catalog.find(str(items["SQL helper"]))
    assert found.seller == "Alice" and found.tags == ("sql", "ai")


def test_the_tags_are_indexed_for_rows_published_before_the_migration(
    empty_database: Database, clock: FixedClock
) -> None:
    upgrade(empty_database, "0028_plan_flows")
    owner = Services.for_database(empty_database, clock=clock, migrate=False)
    owner.components.create("role", "Old tutor", "Teaches")
    old = owner.catalog.publish(
        "component", "Old tutor", title="Old tutor", description="Teaches", tags=["legacy"]
    )
    upgrade(empty_database, "0029_catalog_search")
    assert _ids(owner.catalog.search("tutor", tag="legacy")) == [old.id]
    assert _ids(owner.catalog.search(tag="legacy")) == [old.id]
    _downgrade(empty_database, "0028_plan_flows")
    if empty_database.is_sqlite:  # 0023's index is back, over the text alone
        with empty_database.engine.connect() as conn:
            found = conn.execute(
                text("SELECT rowid FROM catalog_items_fts WHERE catalog_items_fts MATCH :q"),
                {"q": '"tutor"'},
            ).all()
            assert len(found) == 1
            columns = conn.execute(text("SELECT * FROM catalog_items_fts LIMIT 0")).keys()
            assert list(columns) == ["search_text"]
    else:
        with empty_database.engine.connect() as conn:
            gone = conn.execute(text("SELECT to_regclass('ix_catalog_items_tags_gin')"))
            assert gone.scalar_one() is None
    upgrade(empty_database, "0029_catalog_search")
    assert _ids(owner.catalog.search("tutor", tag="legacy")) == [old.id]


def _downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
