"""The plan area's first open is one frame with the cards in it: the board is read while
the screen is built (the first frame waits a moment for it), and building the screen styles
each widget once, leaving the other screens alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pytest
from textual.dom import DOMNode
from textual.widgets import Header
from textual.widgets._footer import FooterKey

from promptterm.services.facade import Services
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine
from promptterm.ui.plan import screen as plan_screen
from promptterm.ui.plan.screen import PlanScreen
from promptterm.ui.plan.widgets.column import CardColumn
from support.waiting import CEILING
from ui.fixtures import AppFactory
from ui.helpers import wait_until
from ui.plan.world import seed_board
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def test_the_first_frame_shows_the_cards_read_while_the_screen_was_built(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_board(ui_services, world.website)
    # However busy the machine, the first frame waits for the read here.
    monkeypatch.setattr(plan_screen, "FIRST_FRAME_WAITS", CEILING, raising=False)
    reading_while_composed: list[bool] = []
    frames_with_cards: list[bool] = []
    compose, refresh = PlanScreen.compose, PlanScreen._compositor_refresh

    def composing(screen: PlanScreen):  # type: ignore[no-untyped-def]
        loads = [w for w in screen.app.workers if w.node is screen and w.group == "plan-load"]
        reading_while_composed.append(bool(loads))
        return compose(screen)

    def drawing(screen: PlanScreen) -> None:
        frames_with_cards.append(any(c.cards for c in screen.query(CardColumn)))
        refresh(screen)

    monkeypatch.setattr(PlanScreen, "compose", composing)
    monkeypatch.setattr(PlanScreen, "_compositor_refresh", drawing)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(pilot, lambda: bool(frames_with_cards), "the plan area's first frame")
    assert reading_while_composed == [True]  # the read was under way as the widgets were made
    assert frames_with_cards[0]  # and its cards are in the very first frame


async def test_opening_the_plan_area_styles_its_widgets_once_and_no_other_screens(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_board(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.website)
        await wait_until(pilot, lambda: app.screen.query("AreaFooter FooterKey"), "the explorer")
        explorer = app.screen
        restyled: Counter[DOMNode] = Counter()
        update_nodes = app.stylesheet.update_nodes

        def counting(nodes: Iterable[DOMNode], animate: bool = False) -> None:
            nodes = list(nodes)
            restyled.update(nodes)
            update_nodes(nodes, animate)

        monkeypatch.setattr(app.stylesheet, "update_nodes", counting)
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan area")
        screen = app.screen
        column = screen.query_one("#plan-col-not_started", CardColumn)
        await wait_until(pilot, lambda: bool(column.cards), "the board's cards")
        await wait_until(pilot, lambda: screen.query("AreaFooter FooterKey"), "the keys")
        # Styled as they mounted, and not again: not on each of the two times Textual
        # brings a new area's screen to the front, nor, for the keys, for their class.
        styled_once = [
            screen.query_one(Header),
            screen.query_one("#plan-sections"),
            screen.query_one("#plan-board"),
            *screen.query(".plan-column-title"),
            screen.query_one(StatusLine),
            screen.query_one(AreaFooter),
            *screen.query(FooterKey),
        ]
        assert {str(w): restyled[w] for w in styled_once if restyled[w]} == {}
    # The plan's stylesheet applies only inside the plan screen: nothing else is restyled
    # when it is read.
    assert restyled[app] == 0 and restyled[explorer] == 0
