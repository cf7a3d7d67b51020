"""Pilot tests of the catalog (area 7) with real keys: find an item, read its page (a paid
one's first lines only), buy it through the cart, get it into the library; filters."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.catalog.screen import CatalogScreen
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from support.clock import FixedClock
from ui.catalog.world import seed_catalog
from ui.fixtures import AppFactory
from ui.helpers import footer_row, notes, settle, type_text, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def text(app: PromptTermApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Widget).render())


async def until(pilot, check, what: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, check, what, between=settle)


async def open_catalog(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("7")
    await until(pilot, lambda: isinstance(pilot.app.screen, CatalogScreen), "the catalog")
    await until(pilot, lambda: bool(pilot.app.screen.items), "the items")


async def test_find_buy_and_get(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    ids = seed_catalog(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        await pilot.press("slash")
        await type_text(pilot, "pirate")
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await until(pilot, lambda: [i.title for i in screen.items] == ["Pirate captain"], "found")
        await pilot.press("enter", "enter")  # to the list, then open the item (a view)
        await until(pilot, lambda: "Speak in rhymes." in text(app, "#catalog-page"), "the page")
        page = text(app, "#catalog-page")
        assert "Secret." not in page and "4.99 USD" in page and "alice_prompts" in page
        assert ui_services.catalog.find(str(ids["pirate"])).view_count == 1
        await pilot.press("a")
        await until(pilot, lambda: len(screen.cart) == 1, "the cart")
        await pilot.press("c")
        await until(pilot, lambda: "total" in text(app, "#catalog-page"), "the cart shown")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await until(pilot, lambda: ui_services.catalog_cart.purchases() != [], "the purchase")
        await until(pilot, lambda: screen.cart == [], "an empty cart")
        await pilot.press("c")  # back to the item: now whole
        await until(pilot, lambda: "Secret." in text(app, "#catalog-page"), "the whole text")
        await pilot.press("g")
        await until(pilot, lambda: any("in your library" in n for n in notes(app)), "got it")
        assert [c.name for c in ui_services.components.list()] == ["Pirate"]


async def test_filters_cycle_with_keys(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    seed_catalog(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await pilot.press("f")  # free only
        await until(pilot, lambda: [i.title for i in screen.items] == ["Terse answers"], "free")
        assert "price free" in text(app, "#catalog-filters")
        await pilot.press("f", "v", "v")  # paid, then rating >= 4
        await until(pilot, lambda: [i.title for i in screen.items] == ["Pirate captain"], "paid")
        await pilot.press("v", "v", "f", "o", "o")  # any rating and price; newest first
        await until(
            pilot,
            lambda: [i.title for i in screen.items] == ["Terse answers", "Pirate captain"],
            "newest first",
        )


async def test_reads_from_before_a_search_and_an_add_are_not_shown_over_them(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    """The list reads again as the user types and the cart after each change; a read that
    started before can answer last (a cancelled thread still runs) and must not be shown."""
    from promptterm.ui.catalog.messages import CartLoaded, ItemsLoaded

    seed_catalog(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        late = screen.reads["items"].start(), screen.reads["cart"].start()  # reads now...
        everything, empty = ui_services.catalog.search(""), ui_services.catalog_cart.lines()
        await pilot.press("slash")
        await type_text(pilot, "pirate")
        await until(pilot, lambda: [i.title for i in screen.items] == ["Pirate captain"], "found")
        await pilot.press("enter", "a")
        await until(pilot, lambda: len(screen.cart) == 1, "the cart")
        # ...answer after the search's and the add's own reads.
        screen.post_message(ItemsLoaded(everything, late[0]))
        screen.post_message(CartLoaded(empty, 0, late[1]))
        await settle(pilot)
        assert [i.title for i in screen.items] == ["Pirate captain"]
        assert len(screen.cart) == 1


async def test_the_item_keys_leave_the_footer_when_nothing_matches(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    """Add to cart (and get, review) act on the highlighted item: with nothing listed they
    did nothing, yet the footer offered them; the search's answer (read in a thread) now
    brings them back or takes them away."""
    seed_catalog(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await wait_until(pilot, lambda: " Add to cart" in footer_row(pilot), "Add to cart")
        await pilot.press("slash")
        await type_text(pilot, "zzzz")
        await until(pilot, lambda: screen.items == [], "no match")
        await pilot.press("enter")  # to the (empty) list

        def no_item_keys() -> bool:
            row = footer_row(pilot)
            return " Search" in row and " Add to cart" not in row

        await wait_until(pilot, no_item_keys, "no Add to cart without an item")
        await pilot.press("slash", "ctrl+u")  # the search emptied: every item again
        await until(pilot, lambda: screen.items != [], "the items")
        await pilot.press("enter")
        await wait_until(pilot, lambda: " Add to cart" in footer_row(pilot), "Add to cart back")
