"""Reviews, the cart and checkout, on SQLite and PostgreSQL, including two connections at
once (each thread takes its own connection from the pool)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from promptterm.services.catalog import cart_totals
from promptterm.services.errors import Conflict, Forbidden, ServiceError, ValidationError
from promptterm.services.facade import Services
from services.catalog.shop import open_shop, person, publish_component
from support.clock import FixedClock


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result, or the error it raised."""
    gate = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        gate.wait()
        try:
            return call()
        except ServiceError as exc:
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_rating_is_the_mean_of_editable_reviews(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    item_id = publish_component(shop.alice, "Rated", "text")
    assert shop.bob.catalog_reviews.review(item_id, 2) == 2.0
    assert services.catalog_reviews.review(item_id, 5, "great") == 3.5
    assert shop.bob.catalog_reviews.review(item_id, 4) == 4.5  # edited, not added
    page = shop.bob.catalog.page(item_id)
    assert (page.item.review_count, page.item.rating) == (2, 4.5)
    assert sorted(r.stars for r in page.reviews) == [4, 5]
    with pytest.raises(Forbidden, match="own item"):
        shop.alice.catalog_reviews.review(item_id, 5)
    for stars in (0, 6):
        with pytest.raises(ValidationError) as caught:
            shop.bob.catalog_reviews.review(item_id, stars)
        assert caught.value.field == "stars"


def test_concurrent_reviews_all_count(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    item_id = publish_component(shop.alice, "Busy", "text")
    people = [person(services, clock, f"Reviewer{n}") for n in range(4)]
    stars = [1, 2, 4, 5]
    results = _at_once(
        *(
            lambda p=p, s=s: p.catalog_reviews.review(item_id, s)
            for p, s in zip(people, stars, strict=True)
        )
    )
    assert not [r for r in results if isinstance(r, Exception)]
    item = shop.bob.catalog.find(str(item_id))
    assert (item.review_count, item.rating) == (4, 3.0)


def test_checkout_buys_the_cart_once(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    a = publish_component(shop.alice, "A", "alpha", price=300)
    b = publish_component(shop.alice, "B", "beta", price=450)
    lines = shop.bob.catalog_cart.add(a)
    lines = shop.bob.catalog_cart.add(b)
    assert cart_totals(lines) == {"USD": 750}
    bought = shop.bob.catalog_cart.checkout("order-1")
    assert sorted(p.amount for p in bought) == [300, 450]
    assert shop.bob.catalog_cart.lines() == []
    assert shop.bob.catalog_cart.checkout("order-1") == bought  # a double submit: the same
    assert len(shop.bob.catalog_cart.purchases()) == 2
    assert shop.bob.catalog.page(a).complete
    shop.bob.catalog.get(a)
    assert [c.content for c in shop.bob.components.list()] == ["alpha"]
    assert sorted(s.title for s in shop.alice.catalog_cart.sales()) == ["A", "B"]
    with pytest.raises(Conflict, match="already bought"):
        shop.bob.catalog_cart.add(a)
    with pytest.raises(Conflict, match="empty"):
        shop.bob.catalog_cart.checkout("order-2")


def test_a_repriced_or_unpublished_item_stops_the_whole_checkout(
    services: Services, clock: FixedClock
) -> None:
    shop = open_shop(services, clock)
    a = publish_component(shop.alice, "A", "alpha", price=300)
    b = publish_component(shop.alice, "B", "beta", price=450)
    shop.bob.catalog_cart.add(a)
    shop.bob.catalog_cart.add(b)
    shop.alice.catalog.publish("component", "A", title="A", price=900)
    with pytest.raises(Conflict, match=r"'A' now costs 9\.00 USD \(was 3\.00 USD\)"):
        shop.bob.catalog_cart.checkout("order-1")
    assert shop.bob.catalog_cart.purchases() == []
    assert cart_totals(shop.bob.catalog_cart.lines()) == {"USD": 1350}
    shop.alice.catalog.set_published(b, False)
    with pytest.raises(Conflict, match="unpublished"):
        shop.bob.catalog_cart.checkout("order-2")
    assert shop.bob.catalog_cart.purchases() == []
    assert [p.amount for p in shop.bob.catalog_cart.checkout("order-3")] == [900]


def test_concurrent_checkouts_buy_nothing_twice(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    a = publish_component(shop.alice, "A", "alpha", price=300)
    shop.bob.catalog_cart.add(a)
    same = _at_once(*(lambda: shop.bob.catalog_cart.checkout("order-1") for _ in range(2)))
    assert [len(r) for r in same] == [1, 1] and same[0] == same[1]
    b = publish_component(shop.alice, "B", "beta", price=450)
    shop.bob.catalog_cart.add(b)
    two = _at_once(
        lambda: shop.bob.catalog_cart.checkout("order-2"),
        lambda: shop.bob.catalog_cart.checkout("order-3"),
    )
    assert sum(isinstance(r, list) for r in two) == 1, two
    assert sorted(p.title for p in shop.bob.catalog_cart.purchases()) == ["A", "B"]
