"""Row-level security on the catalog, tried in raw SQL by teammates' own PostgreSQL roles:
a buyer cannot read another's purchases, nor a paid item's text without buying it, nor write
counts, prices below the seller rule, purchases at a made-up price, or reviews of their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database
from promptterm.services.errors import Forbidden, NotFound
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("cat_owner", "cat_alice", "cat_bob", "cat_carol")
REFUSED = "row-level security|permission denied|cannot be changed"


@pytest.fixture(params=["postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def team(
    database: Database, pg_server: PostgresServer, _postgres_template: str, clock: FixedClock
) -> Iterator[dict[str, Services]]:
    ensure_login_roles(pg_server, PEOPLE)
    people = {
        name.removeprefix("cat_"): log_in(database, name, clock, 1000 * (n + 1))
        for n, name in enumerate(PEOPLE)
    }
    owner = people["owner"]
    ws = owner.workspaces.create("Shop")
    for name in ("alice", "bob", "carol"):
        owner.workspaces.add_member(ws.id, f"cat_{name}")
    application = people["alice"].sellers.apply(name="Alice", email="alice@example.com")
    owner.sellers.decide(application.id, approve=True)
    yield people
    for services in people.values():
        services.close()


def _paid_item(alice: Services) -> uuid.UUID:
    alice.components.create("role", "Secret", "line 1\nline 2\nline 3\nthe secret part")
    return alice.catalog.publish("component", "Secret", title="Secret", price=500).id


def test_a_paid_text_is_read_only_after_buying(team: dict[str, Services]) -> None:
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    item_id = _paid_item(alice)
    contents = "SELECT count(*) FROM catalog_contents WHERE item_id = :i"
    assert raw(bob, contents, i=item_id) == [(0,)]
    assert raw(bob, "SELECT preview FROM catalog_items WHERE id = :i", i=item_id) == [
        ("line 1\nline 2\nline 3",)
    ]
    bob.catalog_cart.add(item_id)
    bob.catalog_cart.checkout("order-bob")
    assert raw(bob, contents, i=item_id) == [(1,)]
    assert raw(carol, contents, i=item_id) == [(0,)]
    purchases = "SELECT count(*) FROM catalog_purchases"
    assert raw(bob, purchases) == [(1,)]
    assert raw(carol, purchases) == [(0,)]  # not another's purchases
    assert raw(alice, purchases) == [(1,)]  # the seller sees the sale
    assert raw(carol, "SELECT count(*) FROM catalog_orders") == [(0,)]
    # and so does her `catalog sales`, as her own role, without the buyer's order
    assert [(s.title, s.amount, s.order) for s in alice.catalog_cart.sales()] == [
        ("Secret", 500, None)
    ]
    assert [(p.title, p.order) for p in bob.catalog_cart.purchases()] == [("Secret", "order-bob")]


def test_purchases_only_at_the_current_price_and_never_rewritten(
    team: dict[str, Services],
) -> None:
    alice, carol = team["alice"], team["carol"]
    item_id = _paid_item(alice)
    order = uuid.uuid4()
    raw(
        carol,
        "INSERT INTO catalog_orders (id, buyer_id, payment_order_id, created_at)"
        " VALUES (:o, :b, 'carol-1', now()) RETURNING id",
        o=order,
        b=carol.user.id,
    )
    forged = (
        "INSERT INTO catalog_purchases (id, order_id, buyer_id, item_id, seller_id, version,"
        " title, amount, currency, created_at)"
        " VALUES (:id, :o, :b, :i, :s, 1, 'Secret', :amount, 'USD', now()) RETURNING id"
    )
    ids = {"o": order, "b": carol.user.id, "i": item_id, "s": alice.user.id}
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(carol, forged, id=uuid.uuid4(), amount=1, **ids)
    raw(carol, forged, id=uuid.uuid4(), amount=500, **ids)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(carol, "UPDATE catalog_purchases SET amount = 0")


def test_counts_prices_and_reviews_follow_the_rules(team: dict[str, Services]) -> None:
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    item_id = _paid_item(alice)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(alice, "UPDATE catalog_items SET download_count = 1000 WHERE id = :i", i=item_id)
    assert (
        raw(bob, "UPDATE catalog_items SET title = 'mine' WHERE id = :i RETURNING id", i=item_id)
        == []
    )
    bob.components.create("role", "Free", "text")
    bob.catalog.publish("component", "Free", title="Free")
    with pytest.raises(DBAPIError, match=REFUSED):  # Bob is no approved seller
        raw(bob, "UPDATE catalog_items SET price = 100 WHERE seller_id = :u", u=bob.user.id)
    review = (
        "INSERT INTO catalog_reviews (item_id, user_id, stars, created_at, updated_at)"
        " VALUES (:i, :u, 5, now(), now()) RETURNING item_id"
    )
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(alice, review, i=item_id, u=alice.user.id)  # her own item
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(carol, review, i=item_id, u=bob.user.id)  # in someone else's name
    raw(carol, review, i=item_id, u=carol.user.id)
    assert alice.catalog.find(str(item_id)).rating == 5.0


def test_seller_applications_are_processed_by_an_owner_only(team: dict[str, Services]) -> None:
    bob, carol = team["bob"], team["carol"]
    application = bob.sellers.apply(name="Bob", email="bob@example.com")
    assert raw(
        carol, "SELECT count(*) FROM seller_applications WHERE user_id = :u", u=bob.user.id
    ) == [(0,)]
    approve = (
        "UPDATE seller_applications SET processed = true, decision = 'approved',"
        " processed_by = :me WHERE id = :a RETURNING id"
    )
    assert raw(carol, approve, me=carol.user.id, a=application.id) == []
    assert raw(bob, approve, me=bob.user.id, a=application.id) == []
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(
            bob,
            "INSERT INTO seller_applications (id, user_id, name, email, categories, processed,"
            " decision, created_at) VALUES (:id, :u, 'B', 'b@x.io', '[]', true, 'approved', now())"
            " RETURNING id",
            id=uuid.uuid4(),
            u=bob.user.id,
        )
    owner = team["owner"]
    assert len(raw(owner, approve, me=owner.user.id, a=application.id)) == 1
    assert bob.sellers.is_seller()


def test_an_owner_cannot_approve_their_own_application(team: dict[str, Services]) -> None:
    """The owner belongs to her own workspace: neither the services nor her role in raw SQL
    approve her own application; the owner of another workspace she is in does."""
    owner, carol = team["owner"], team["carol"]
    application = owner.sellers.apply(name="Owner", email="owner@example.com")
    with pytest.raises(Forbidden, match="cannot process your own seller application"):
        owner.sellers.decide(application.id, approve=True)
    approve = (
        "UPDATE seller_applications SET processed = true, decision = 'approved',"
        " processed_by = :me WHERE id = :a RETURNING id"
    )
    assert raw(owner, approve, me=owner.user.id, a=application.id) == []
    assert not owner.sellers.is_seller()
    # She still reads her own application (as pending).
    mine = [a.processed for a in owner.sellers.list() if a.user_id == owner.user.id]
    assert mine == [False]
    carols = carol.workspaces.create("Carol's")
    carol.workspaces.add_member(carols.id, "cat_owner")
    assert len(raw(carol, approve, me=carol.user.id, a=application.id)) == 1
    assert owner.sellers.is_seller()


def test_the_services_refuse_what_the_policies_refuse(team: dict[str, Services]) -> None:
    bob, carol = team["bob"], team["carol"]
    application = bob.sellers.apply(name="Bob", email="bob@example.com")
    with pytest.raises(NotFound):
        carol.sellers.decide(application.id, approve=True)
    with pytest.raises(Forbidden, match="cannot process your own seller application"):
        bob.sellers.decide(application.id, approve=True)
    assert team["owner"].sellers.decide(application.id, approve=False).decision == "declined"


def test_a_purchase_line_is_written_from_the_buyers_own_purchase_only(
    team: dict[str, Services],
) -> None:
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    item_id = _paid_item(alice)
    bob.catalog_cart.add(item_id)
    (purchase,) = bob.catalog_cart.checkout("order-bob")
    lines = "SELECT description, amount_cents FROM invoice_lines WHERE kind = 'purchase'"
    assert raw(bob, lines) == [("Secret (v1) by cat_alice", 500)]
    assert [x.amount_cents for x in bob.statements.draft().lines] == [500]
    bill = "SELECT promptterm_add_purchase_charge(:p)"
    # Neither a teammate nor the seller puts Bob's purchase on a statement.
    for who in (carol, alice):
        with pytest.raises(DBAPIError, match="not your purchase"):
            raw(who, bill, p=purchase.id)
    with pytest.raises(DBAPIError, match="not your purchase"):
        raw(bob, bill, p=uuid.uuid4())
    raw(bob, bill, p=purchase.id)  # again: nothing more
    assert raw(bob, "SELECT count(*) FROM invoice_lines") == [(1,)]
    # Nor a line made up in SQL, directly or through the plan-fee function.
    made_up = (
        "INSERT INTO invoice_lines (id, user_id, kind, description, amount_cents, created_at)"
        " VALUES (gen_random_uuid(), :u, 'purchase', 'x', 1, now()) RETURNING id"
    )
    for who in (bob, carol):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(who, made_up, u=who.user.id)
    with pytest.raises(DBAPIError, match="only plan fees and prorations"):
        raw(
            bob,
            "SELECT promptterm_add_charge(gen_random_uuid(), :u, 'purchase', 'x', 1, now())",
            u=bob.user.id,
        )
    assert raw(carol, "SELECT count(*) FROM invoice_lines") == [(0,)]
