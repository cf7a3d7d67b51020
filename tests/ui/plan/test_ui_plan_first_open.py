"""The plan area's first open does the board first: the other sections (notes, PRD…) are
built only once the board's cards are drawn, so building them never holds the cards back."""

from __future__ import annotations

import threading
import uuid

import pytest

from promptterm.services.facade import Services
from promptterm.services.plan import Board
from promptterm.ui.plan.screen import PlanScreen
from promptterm.ui.plan.widgets.column import CardColumn
from support.waiting import CEILING
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.plan.world import seed_board
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def test_the_other_sections_are_built_after_the_boards_cards(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_board(ui_services, world.website)
    read = ui_services.plan.board
    go_on = threading.Event()

    def slow_read(project_id: uuid.UUID, *, first: int | None = None) -> Board:
        go_on.wait(CEILING)  # a big board on a busy database: the screen is up meanwhile
        return read(project_id, first=first)

    monkeypatch.setattr(ui_services.plan, "board", slow_read)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan area")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        for _ in range(3):  # frames go by while the board is read: nothing else is built
            await pilot.pause()
        assert not screen.query("#plan-notes") and screen.board is None
        go_on.set()
        column = screen.query_one("#plan-col-in_progress", CardColumn)
        await wait_until(pilot, lambda: bool(column.cards), "the board's cards")
        await wait_until(
            pilot, lambda: bool(screen.query("#plan-notes")), "the notes", between=settle
        )
        await pilot.press("]")  # and the next section is there to go to
        await wait_until(pilot, lambda: screen.section == "Notes", "the Notes section")
