"""Publishing, finding, reading and getting catalog items, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from promptterm.services.errors import Forbidden, NotFound, ValidationError
from promptterm.services.facade import Services
from services.catalog.shop import open_shop, person, publish_component
from support.clock import FixedClock


def test_a_published_snapshot_does_not_follow_library_edits(
    services: Services, clock: FixedClock
) -> None:
    shop = open_shop(services, clock)
    item_id = publish_component(shop.alice, "Reviewer", "You review code.\nBe kind.")
    made = shop.alice.components.find("Reviewer")
    shop.alice.components.update(made.id, content="Changed later")
    page = shop.bob.catalog.page(item_id)
    assert page.complete and page.text == "You review code.\nBe kind."
    again = shop.alice.catalog.publish("component", "Reviewer", title="Reviewer v2")
    assert (again.id, again.version) == (item_id, 2)
    assert shop.bob.catalog.page(item_id).text == "Changed later"


def test_search_filters_and_sorts(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    a = publish_component(shop.alice, "Python tutor", "Teach python", tags=["python", "edu"])
    clock.advance(minutes=1)
    b = publish_component(shop.alice, "Rust tutor", "Teach rust", price=500, tags=["rust"])
    clock.advance(minutes=1)
    c = publish_component(shop.alice, "Poet", "Write poems", tags=["fun"])
    shop.bob.catalog_reviews.review(c, 5)
    search = shop.bob.catalog.search
    assert [i.id for i in search("tutor", sort="newest")] == [b, a]
    assert [i.id for i in search("ABOUT python")] == [a]
    assert [i.id for i in search(tag="rust")] == [b]
    assert {i.id for i in search(price="free")} == {a, c}
    assert [i.id for i in search(price="paid")] == [b]
    assert [i.id for i in search(min_rating=4)] == [c]
    assert [i.id for i in search(sort="price")][-1] == b
    assert [i.id for i in search("100%_")] == []  # LIKE wildcards match only themselves
    shop.alice.catalog.set_published(b, False)
    assert [i.id for i in search("tutor")] == [a]


def test_a_paid_item_shows_its_first_lines_until_bought(
    services: Services, clock: FixedClock
) -> None:
    shop = open_shop(services, clock)
    text = "line 1\nline 2\nline 3\nline 4 secret"
    item_id = publish_component(shop.alice, "Secret", text, price=250)
    page = shop.bob.catalog.page(item_id)
    assert not page.complete and page.text == "line 1\nline 2\nline 3"
    with pytest.raises(Forbidden, match=r"2\.50 USD"):
        shop.bob.catalog.get(item_id)
    assert shop.alice.catalog.page(item_id).text == text


def test_bad_listings_are_refused_naming_the_field(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    shop.alice.components.create("role", "Thing", "content")
    cases = {
        "price": {"price": -1},
        "currency": {"currency": "XYZ"},
        "tags": {"tags": [f"t{n}" for n in range(11)]},
        "image_urls": {"image_urls": ["javascript:alert(1)"]},
        "title": {"title": "bad\x1btitle"},
    }
    for field, given in cases.items():
        kwargs: dict[str, object] = {"title": "Thing", **given}
        with pytest.raises(ValidationError) as caught:
            shop.alice.catalog.publish("component", "Thing", **kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field
    with pytest.raises(ValidationError, match=r"price .* over the most"):
        shop.alice.catalog.publish("component", "Thing", title="Thing", price=10**9)
    assert shop.alice.catalog.mine() == []


def test_only_approved_sellers_set_a_price(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    carol = person(services, clock, "Carol")
    carol.components.create("role", "Mine", "content")
    with pytest.raises(Forbidden, match="seller apply"):
        carol.catalog.publish("component", "Mine", title="Mine", price=100)
    assert carol.catalog.publish("component", "Mine", title="Mine").price == 0
    application = shop.bob.sellers.apply(
        name="Bob", email="bob@example.com", portfolio_url="https://bob.example", categories=["x"]
    )
    if services.ctx.db.is_sqlite:
        # Here everyone shares the tables' owner's PostgreSQL login, a database admin;
        # test_catalog_rls tries the same with each person's own role.
        with pytest.raises(NotFound):  # Alice owns no workspace of Bob's: she cannot see it
            shop.alice.sellers.decide(application.id, approve=True)
        with pytest.raises(Forbidden, match="cannot process your own seller application"):
            shop.bob.sellers.decide(application.id, approve=True)
    declined = services.sellers.decide(application.id, approve=False)
    assert (declined.processed, declined.decision) == (True, "declined")
    assert not shop.bob.sellers.is_seller()


def test_an_owner_cannot_approve_their_own_application(
    services: Services, clock: FixedClock
) -> None:
    """Dora owns a workspace (so belongs to it) and applies: she cannot approve herself; the
    owner of another workspace she belongs to can. (On PostgreSQL these people share the
    tables' owner's login, a database admin: test_catalog_rls tries it with Dora's role.)"""
    shop = open_shop(services, clock)
    dora = person(services, clock, "Dora")
    dora.workspaces.create("Dora's")
    application = dora.sellers.apply(name="Dora", email="dora@example.com")
    if services.ctx.db.is_sqlite:
        with pytest.raises(Forbidden, match="cannot process your own seller application"):
            dora.sellers.decide(application.id, approve=True)
        assert not dora.sellers.is_seller()
        assert [a.processed for a in dora.sellers.list()] == [False]
        with pytest.raises(NotFound):  # nor may Alice, who owns no workspace of Dora's
            shop.alice.sellers.decide(application.id, approve=True)
    shop_ws = next(w for w in services.workspaces.list() if w.name == "Shop")
    services.workspaces.add_member(shop_ws.id, "dora@example.com")
    assert services.sellers.decide(application.id, approve=True).decision == "approved"
    assert dora.sellers.is_seller()


def test_views_count_once_per_person_per_day(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    item_id = publish_component(shop.alice, "Viewed", "text")
    for _ in range(3):
        shop.bob.catalog.page(item_id)
    shop.alice.catalog.page(item_id)  # the seller's own looks are not views
    assert shop.bob.catalog.find(str(item_id)).view_count == 1
    clock.advance(days=1)
    assert shop.bob.catalog.page(item_id).item.view_count == 2


def test_getting_twice_updates_the_library_copy(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    item_id = publish_component(shop.alice, "Helper", "v1")
    first = shop.bob.catalog.get(item_id)
    shop.alice.components.update(shop.alice.components.find("Helper").id, content="v2")
    shop.alice.catalog.publish("component", "Helper", title="Helper")
    second = shop.bob.catalog.get(item_id)
    assert first == second
    assert [c.content for c in shop.bob.components.list()] == ["v2"]
    assert shop.bob.catalog.find(str(item_id)).download_count == 1


def test_presets_and_prompts_are_got_whole(services: Services, clock: FixedClock) -> None:
    shop = open_shop(services, clock)
    a = shop.alice
    role = a.components.create("role", "R", "Be a pirate")
    style = a.components.create("style", "S", "Talk briefly")
    a.presets.create("Pirate", role=role.id, style=style.id)
    preset_item = a.catalog.publish("preset", "Pirate", title="Pirate").id
    prompt = a.prompts.create("Letter")
    a.prompts.add_module(prompt.id, "Greeting", ["Dear sir", "Hi"])
    prompt_item = a.catalog.publish("prompt", "Letter", title="Letter").id
    assert shop.bob.catalog.page(preset_item).text == "Be a pirate\n\nTalk briefly"
    shop.bob.catalog.get(preset_item)
    shop.bob.catalog.get(prompt_item)
    got = shop.bob.presets.find("Pirate")
    assert got.role is not None and got.role.content == "Be a pirate"
    letter = shop.bob.prompts.find("Letter")
    assert [o.content for o in letter.modules[0].options] == ["Dear sir", "Hi"]


def test_an_item_is_found_by_the_id_a_list_shows(services: Services, clock: FixedClock) -> None:
    """`catalog list` shows an id's first 8 characters; `show`, `get` and `cart add` take
    them (4 or more, hyphens or not)."""
    shop = open_shop(services, clock)
    item_id = publish_component(shop.alice, "Prefixed", "text")
    shown = str(item_id)[:8]
    assert shop.bob.catalog.find(shown).id == item_id
    assert shop.bob.catalog.find(str(item_id)[:13].upper()).id == item_id  # "1234abcd-5678"
    with pytest.raises(NotFound, match="or has an id starting with it"):
        shop.bob.catalog.find(shown[:3])  # too short to be an id: read as a title


def test_publishing_no_library_item_names_the_item_not_the_title(services: Services) -> None:
    with pytest.raises(ValidationError, match="Which library item") as refused:
        services.catalog.publish("preset", "  ", title="")
    assert refused.value.field == "source"
