"""The plan area's Flows section by keyboard: ] shows it, the arrow keys follow the flow
from page to page, enter opens a page's details, a adds a page and c an arrow, both stored."""

from __future__ import annotations

import pytest

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.plan.flow_view import FlowView
from promptterm.ui.plan.screen import PlanScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.plan.flow_world import seed_flow
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _view(app: PromptTermApp) -> FlowView | None:
    """The flow in front, or None while a form still is: the form stores what was typed in a
    thread and closes only when that is done, a while after ctrl+j was taken."""
    views = app.screen.query(FlowView)
    return views.first() if views else None


def _current(app: PromptTermApp) -> str | None:
    view = _view(app)
    page = None if view is None else view.current
    return None if page is None else page.name


async def open_flows(app: PromptTermApp, pilot: object, services: Services, world: World) -> None:
    app.current_project = services.projects.get(world.website)
    await pilot.press("6")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
        "the board",
        between=settle,
    )
    # Flows is the fifth of six sections: two steps back from the board.
    await pilot.press("left_square_bracket", "left_square_bracket")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: app.screen.query_one(FlowView).picture is not None,
        "the flow",
        between=settle,
    )


async def test_the_arrow_keys_follow_the_flow_and_enter_opens_a_page(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_flow(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_flows(app, pilot, ui_services, world)
        assert isinstance(app.screen.focused, FlowView)
        assert _current(app) == "Landing"  # the top-left page first
        for key, name in (
            ("right", "Sign up"),
            ("right", "Dashboard"),
            ("down", "Settings"),
            ("left", "Pricing"),
            ("up", "Landing"),
        ):
            await pilot.press(key)
            await wait_until(pilot, lambda n=name: _current(app) == n, name)
        await pilot.press("up")  # nothing above: it stays
        await settle(pilot)
        assert _current(app) == "Landing"
        detail = str(app.screen.query_one("#plan-flow-detail").render())
        assert "hero, pricing teaser" in detail and "Sign up, Pricing" in detail
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the page's form")
        assert "Page" in app.screen.dialog_title  # type: ignore[attr-defined]


async def test_add_a_page_and_an_arrow_by_keyboard(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    ids = seed_flow(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_flows(app, pilot, ui_services, world)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the add form")
        await type_text(pilot, "Checkout")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: _current(app) == "Checkout", "the new page highlighted")
        stored = ui_services.flows.find_page(world.website, "Checkout")
        assert (stored.x, stored.y) == (1, 0)  # beside Landing, where the cursor was

        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the connect form")
        await pilot.press("ctrl+j")  # the first page it does not lead to yet

        def arrows_from_checkout() -> list[object]:
            view = _view(app)
            flow = None if view is None else view.flow
            return [c for c in flow.connections if c.source_id == stored.id] if flow else []

        await wait_until(pilot, lambda: bool(arrows_from_checkout()), "the new arrow")
        arrows = ui_services.flows.flow(world.website).connections
        assert [c.target_id for c in arrows if c.source_id == stored.id] == [ids["Landing"]]


async def test_a_flow_read_before_a_new_page_does_not_take_it_away(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """The flow reads again after each write; a read that started before it can answer last
    (a cancelled thread still runs) and must not take the new page off the picture."""
    from promptterm.ui.plan.flow_section import FlowSection

    seed_flow(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_flows(app, pilot, ui_services, world)
        section = app.screen.query_one(FlowSection)
        late = section.reads.start(), ui_services.flows.flow(world.website)  # now...
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the add form")
        await type_text(pilot, "Checkout")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: _current(app) == "Checkout", "the new page highlighted")
        section._loaded(late[1], None, late[0])  # ...answers after the add's own read
        await settle(pilot)
        flow = app.screen.query_one(FlowView).flow
        assert flow is not None and "Checkout" in [p.name for p in flow.pages]
        assert _current(app) == "Checkout"
