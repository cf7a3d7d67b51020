"""Pilot tests of the catalog (area 7) with real keys, for its authors and reviewers:
publishing a library item with `n` (a wrong price is refused in the form, nothing typed is
lost) and reviewing the highlighted item with `s`."""

from __future__ import annotations

import uuid

import pytest
from textual.widgets import Input

from promptterm.services.facade import Services
from promptterm.ui.catalog.screen import CatalogScreen
from promptterm.ui.common.dialogs.form import FormScreen
from support.clock import FixedClock
from ui.catalog.test_ui_catalog import open_catalog, text, until
from ui.catalog.world import seed_catalog
from ui.fixtures import AppFactory
from ui.helpers import notes, type_text
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


async def test_publish_a_library_item_by_keys(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    seed_catalog(ui_services, clock)
    ui_services.components.create("role", "Mine", "Be brief.\nBe kind.")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the publish form")
        form = app.screen
        await pilot.press("tab")  # past the kind (component)
        for value in ("Mine", "Kind helper", "Brief and kind.", "style"):
            await type_text(pilot, value)
            await pilot.press("tab")
        await pilot.press("tab")  # no images
        await type_text(pilot, "4x9")
        await pilot.press("ctrl+j")
        error = "#error-price"
        await until(pilot, lambda: "whole number" in str(form.query_one(error).render()), "why")
        assert app.screen is form
        assert form.query_one("#field-title", Input).value == "Kind helper"  # nothing lost
        await pilot.press("backspace", "backspace", "backspace")  # empty: free
        await pilot.press("ctrl+j")
        await until(pilot, lambda: app.screen is screen, "the form closed")
        await until(
            pilot, lambda: "Kind helper" in [i.title for i in screen.items], "listed in the area"
        )
    item = ui_services.catalog.find("Kind helper")
    assert (item.price, item.tags, item.seller_id) == (0, ("style",), ui_services.user.id)


async def test_publishing_with_no_library_item_names_that_field(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    """The title defaults to the item's name: with neither, the form said "A title is
    required"; it names the library item, under its own field, and keeps what was typed."""
    seed_catalog(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the publish form")
        form = app.screen
        await pilot.press("tab", "tab", "tab")  # past the kind, the item and the title
        await type_text(pilot, "Brief and kind.")
        await pilot.press("ctrl+j")
        said = "Which library item? Give the component's name or id"
        await until(pilot, lambda: said in str(form.query_one("#error-source").render()), "why")
        assert "title" not in str(form.query_one("#error-title").render()).lower()
        assert app.screen is form
        assert form.query_one("#field-description", Input).value == "Brief and kind."


async def test_review_the_highlighted_item_by_keys(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    ids = seed_catalog(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        assert screen.items[0].title == "Pirate captain"  # the best rated, highlighted
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the review form")
        await pilot.press("enter", "up", "enter")  # stars: 4 instead of 5
        await pilot.press("tab")
        await type_text(pilot, "Good fun.")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "the form closed")
        await until(
            pilot, lambda: "Reviewed 'Pirate captain': now 4.5." in notes(app), "the new rating"
        )
    page = ui_services.catalog.page(ids["pirate"])
    assert sorted((r.stars, r.body) for r in page.reviews) == [(4, "Good fun."), (5, "Arr, great.")]


def page_text(app: object) -> str:
    return text(app, "#catalog-page")  # type: ignore[arg-type]


async def test_a_seller_sees_her_sales_by_keys(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    """The user sells; Bob buys; S shows the sale beside the list, S again the item."""
    seed_catalog(ui_services, clock)  # Bob exists there
    application = ui_services.sellers.apply(name="Me", email="me@example.com")
    ui_services.sellers.decide(application.id, approve=True)
    ui_services.components.create("context", "Checklist", "Ship it when green.")
    item = ui_services.catalog.publish("component", "Checklist", title="Checklist", price=250)
    bob = ui_services.as_user(uuid.UUID(int=902))
    bob.catalog_cart.add(item.id)
    bob.catalog_cart.checkout("order-bob")
    clock.advance(minutes=3)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_catalog(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await pilot.press("S")
        await until(pilot, lambda: "Your sales (1)" in page_text(app), "the sales")
        sales = page_text(app)
        assert "Checklist: 2.50 USD" in sales and "3 minutes ago" in sales
        assert "total: 2.50 USD" in sales
        await pilot.press("S")  # again: the highlighted item's page
        await until(pilot, lambda: "Your sales" not in page_text(app), "the item again")
        assert screen.highlighted() is not None
        assert screen.highlighted().title in page_text(app)  # type: ignore[union-attr]
