"""Catalog purchases on the buyer's statement (issue 18, items 5 and 7), on SQLite and
PostgreSQL: a paid purchase is a line on the running draft, then on the closed statement."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from promptterm.services.errors import Conflict
from promptterm.services.facade import Services
from services.catalog.shop import open_shop, publish_component
from support.clock import FixedClock

PERIOD_END = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)


def _purchases(who: Services) -> list[tuple[str, int]]:
    return [(x.description, x.amount_cents) for x in who.statements.draft().lines
            if x.kind == "purchase"]  # fmt: skip


def test_a_checkout_puts_each_paid_purchase_on_the_buyers_draft_once(
    services: Services, clock: FixedClock
) -> None:
    shop = open_shop(services, clock)
    a = publish_component(shop.alice, "Alpha", "alpha", price=300)
    b = publish_component(shop.alice, "Beta", "beta", price=450)
    free = publish_component(shop.alice, "Gift", "gift")
    shop.bob.catalog_cart.add(a)
    shop.bob.catalog_cart.add(b)
    shop.bob.catalog_cart.checkout("order-1")
    shop.bob.catalog_cart.checkout("order-1")  # a double submit bills nothing twice
    shop.bob.catalog.get(free)
    assert _purchases(shop.bob) == [("Beta (v1) by Alice", 450), ("Alpha (v1) by Alice", 300)]
    assert shop.bob.statements.draft().amount_due_cents == 750
    assert _purchases(shop.alice) == []  # the seller sees sales, not charges
    assert len(shop.alice.catalog_cart.sales()) == 2


def test_a_refused_checkout_bills_nothing(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    a = publish_component(shop.alice, "Alpha", "alpha", price=300)
    shop.bob.catalog_cart.add(a)
    shop.alice.catalog.publish("component", "Alpha", title="Alpha", price=900)
    with pytest.raises(Conflict, match="now costs"):
        shop.bob.catalog_cart.checkout("order-1")
    assert _purchases(shop.bob) == []
    shop.bob.catalog_cart.checkout("order-2")
    assert _purchases(shop.bob) == [("Alpha (v2) by Alice", 900)]


def test_a_purchase_in_another_currency_is_listed_at_no_usd_cost(
    services: Services, clock: FixedClock
) -> None:
    shop = open_shop(services, clock)
    shop.alice.components.create("role", "Euro", "euro")
    eur = shop.alice.catalog.publish("component", "Euro", title="Euro", price=1250,
                                     currency="EUR").id  # fmt: skip
    shop.alice.components.create("role", "Yen", "yen")
    jpy = shop.alice.catalog.publish("component", "Yen", title="Yen", price=500,
                                     currency="JPY").id  # fmt: skip
    shop.bob.catalog_cart.add(eur)
    shop.bob.catalog_cart.add(jpy)
    shop.bob.catalog_cart.checkout("order-1")
    assert sorted(_purchases(shop.bob)) == [
        ("Euro (v1) by Alice: 12.50 EUR, charged in EUR", 0),
        ("Yen (v1) by Alice: 500 JPY, charged in JPY", 0),
    ]
    assert shop.bob.statements.draft().amount_due_cents == 0


def test_the_period_closes_with_the_purchase_on_the_statement_and_its_exports(
    services: Services, clock: FixedClock
) -> None:
    shop = open_shop(services, clock)
    shop.bob.statements.draft()  # Bob's period starts now
    a = publish_component(shop.alice, "Alpha", "alpha", price=300)
    shop.bob.catalog_cart.add(a)
    shop.bob.catalog_cart.checkout("order-1")
    clock.set(PERIOD_END + timedelta(minutes=1))
    (statement,) = shop.bob.statements.statements()
    assert [(x.kind, x.description, x.amount_cents) for x in statement.lines] == [
        ("purchase", "Alpha (v1) by Alice", 300)
    ]
    assert statement.amount_due_cents == 300
    assert _purchases(shop.bob) == []  # billed once: no longer on the new draft
    md = shop.bob.statements.export(statement, "md")
    assert "| purchase | Alpha (v1) by Alice | $3.00 |" in md
    rows = list(csv.DictReader(io.StringIO(shop.bob.statements.export(statement, "csv"))))
    assert [(r["kind"], r["description"], r["amount_cents"]) for r in rows] == [
        ("purchase", "Alpha (v1) by Alice", "300")
    ]
