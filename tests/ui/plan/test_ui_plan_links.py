"""Links between cards on the board, by keyboard: L links the highlighted card to another
(type to find it, tab for the kind), the card shows "⛓1", o lists its links, enter follows
one to the other card's column, d removes it; a link the services refuse is said in words."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.plan.dialogs.card_links import CardLinksScreen
from promptterm.ui.plan.dialogs.link_picker import LinkPickerScreen
from promptterm.ui.plan.screen import PlanScreen
from promptterm.ui.plan.widgets.column import CardColumn
from ui.fixtures import AppFactory
from ui.helpers import settle, told, type_text, wait_until
from ui.plan.world import seed_board
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _column(app: PromptTermApp, status: str) -> CardColumn:
    return app.screen.query_one(f"#plan-col-{status}", CardColumn)


def _meta_line(column: CardColumn, index: int) -> str:
    return column.render_line(index * 2 + 1 - column.scroll_offset.y).text


def _picker_ready(app: PromptTermApp) -> bool:
    screen = app.screen
    return isinstance(screen, LinkPickerScreen) and screen.focused is screen.query_one(Input)


async def _open_board(app: PromptTermApp, pilot: object, services: Services, world: World) -> None:
    app.current_project = services.projects.get(world.website)
    await pilot.press("6")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
        "the board",
        between=settle,
    )


async def test_link_follow_and_unlink_by_keyboard(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_board(ui_services, world.website)
    guide = ui_services.plan.find(world.website, "Write the onboarding guide")
    routes = ui_services.plan.find(world.website, "Review the API routes")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        todo = _column(app, "not_started")
        assert todo.current is not None and todo.current.id == guide.id

        await pilot.press("L")
        await wait_until(pilot, lambda: _picker_ready(app), "the picker", between=settle)
        await type_text(pilot, "api rou")
        await pilot.press("tab")  # relates → blocks
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: [x.words for x in ui_services.plan_links.links(guide.id)] == ["blocks"],
            "the link stored",
            between=settle,
        )
        assert ui_services.plan_links.links(guide.id)[0].target_id == routes.id
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and "⛓1" in _meta_line(todo, 0),
            "the marker on the card",
            between=settle,
        )
        doing = _column(app, "in_progress")
        assert "⛓1" in _meta_line(doing, doing.index_of(routes.id) or 0)

        # Linking the same two cards again is refused in words; nothing changes.
        await pilot.press("L")
        await wait_until(pilot, lambda: _picker_ready(app), "the picker", between=settle)
        await type_text(pilot, "api rou")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any("already links there" in n.message for n in told(app)),
            "the refusal",
            between=settle,
        )
        assert len(ui_services.plan_links.links(guide.id)) == 1

        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CardLinksScreen), "the links")
        await wait_until(pilot, lambda: len(app.screen.links) == 1, "the links read")
        await pilot.press("enter")  # follow: the cursor goes to the other card's column
        await wait_until(
            pilot,
            lambda: app.screen.focused is doing and doing.current.id == routes.id,  # type: ignore[union-attr]
            "the cursor on the linked card",
            between=settle,
        )

        await pilot.press("o")  # its links: blocked by the guide
        await wait_until(pilot, lambda: isinstance(app.screen, CardLinksScreen), "the links")
        await wait_until(pilot, lambda: len(app.screen.links) == 1, "the links read")
        assert app.screen.links[0].words == "blocked by"
        await pilot.press("d")
        await wait_until(pilot, lambda: app.screen.links == [], "the link removed", between=settle)
        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and "⛓" not in _meta_line(todo, 0),
            "the markers gone",
            between=settle,
        )
        assert ui_services.plan_links.links(guide.id) == []
        assert doing.current is not None and doing.current.id == routes.id


async def test_a_link_list_read_before_a_removal_does_not_bring_the_link_back(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """Each removal reads the links again in a thread of its own; a read that started before
    it can answer last and must not show the removed link."""
    seed_board(ui_services, world.website)
    guide = ui_services.plan.find(world.website, "Write the onboarding guide")
    routes = ui_services.plan.find(world.website, "Review the API routes")
    ui_services.plan_links.link(guide.id, card_id=routes.id)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CardLinksScreen), "the links")
        dialog = app.screen
        assert isinstance(dialog, CardLinksScreen)
        await wait_until(pilot, lambda: len(dialog.links) == 1, "the links read")
        late = dialog.reads.start(), ui_services.plan_links.links(guide.id)  # a read now...
        await pilot.press("d")
        await wait_until(pilot, lambda: dialog.links == [], "the link removed", between=settle)
        dialog.post_message(CardLinksScreen.Loaded(late[1], "", late[0]))  # ...answers last
        await settle(pilot)
        assert dialog.links == []
