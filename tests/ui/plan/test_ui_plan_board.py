"""The plan area's board run by keyboard: open it on the project in focus, add cards by
typing a title, move them across columns and up and down, filter, edit and delete; and the
words shown when no project is chosen."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.plan.screen import PlanScreen
from promptterm.ui.plan.widgets.column import CardColumn
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.plan.world import seed_board
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _names(app: PromptTermApp, status: str) -> list[str]:
    return [c.name for c in app.screen.query_one(f"#plan-col-{status}", CardColumn).cards]


def _stored(services: Services, world: World, status: str) -> list[str]:
    return [c.name for c in services.plan.board(world.website).cards if c.status == status]


async def _open_board(app: PromptTermApp, pilot: object, services: Services, world: World) -> None:
    app.current_project = services.projects.get(world.website)
    await pilot.press("6")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
        "the board",
        between=settle,
    )


async def test_add_move_and_reorder_by_keyboard(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_board(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        assert _names(app, "in_progress") == ["Export reports as CSV", "Review the API routes"]
        assert app.screen.focused is app.screen.query_one("#plan-col-not_started")

        await pilot.press("a")
        await type_text(pilot, "Ship the beta")
        await pilot.press("enter")
        await type_text(pilot, "bug: Crash on empty cart")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: _names(app, "not_started")[-2:] == ["Ship the beta", "Crash on empty cart"],
            "two quick adds",
            between=settle,
        )
        added = ui_services.plan.find(world.website, "Crash on empty cart")
        assert (added.kind, added.status) == ("bug", "not_started")
        await pilot.press("escape")
        column = app.screen.query_one("#plan-col-not_started", CardColumn)
        assert app.screen.focused is column and column.current.name == "Crash on empty cart"

        await pilot.press("shift+up", "shift+up")  # two places up
        await wait_until(
            pilot,
            lambda: _stored(ui_services, world, "not_started")[3] == "Crash on empty cart",
            "the card two places up",
            between=settle,
        )
        await wait_until(pilot, lambda: _names(app, "not_started")[3] == "Crash on empty cart")

        await pilot.press("shift+right")  # to the top of "in progress", and the cursor follows
        await wait_until(
            pilot,
            lambda: _stored(ui_services, world, "in_progress")[0] == "Crash on empty cart",
            "the move across",
            between=settle,
        )
        await wait_until(
            pilot, lambda: app.screen.focused is app.screen.query_one("#plan-col-in_progress")
        )
        await pilot.press("shift+down")
        await wait_until(
            pilot,
            lambda: (
                _stored(ui_services, world, "in_progress")
                == ["Export reports as CSV", "Crash on empty cart", "Review the API routes"]
            ),
            "the move down",
            between=settle,
        )
        positions = [c.position for c in ui_services.plan.board(world.website).cards]
        assert positions == [0, 1, 2, 3, 4, 0, 1, 2, 0, 1]


async def test_filter_by_kind_priority_and_text(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_board(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        await pilot.press("t")  # tasks only
        await wait_until(pilot, lambda: _names(app, "done") == ["Choose a hosting provider"])
        await pilot.press("t")  # bugs only
        await wait_until(pilot, lambda: _names(app, "not_started") == ["Login fails on Safari 17"])
        assert "bugs only" in str(app.screen.query_one("#plan-sections").render())
        await pilot.press("t", "t")  # features, then every kind
        await pilot.press("p")  # urgent only
        await wait_until(pilot, lambda: _names(app, "not_started") == ["Login fails on Safari 17"])
        assert _names(app, "done") == []
        await pilot.press("x")
        await pilot.press("slash")
        await type_text(pilot, "api")
        await wait_until(pilot, lambda: _names(app, "in_progress") == ["Review the API routes"])
        assert _names(app, "not_started") == []
        await pilot.press("enter")  # back to the board, the filter stays
        assert isinstance(app.screen.focused, CardColumn)
        await pilot.press("x")
        await wait_until(pilot, lambda: len(_names(app, "not_started")) == 4)
        assert not app.screen.query_one("#plan-filter", Input).display


async def test_edit_and_delete_with_confirmation(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_board(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        await pilot.press("down", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        form = app.screen
        form.query_one("#field-name", Input).value = "x" * 201
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "most allowed is 200" in str(form.query_one("#error-name").render()),
            "the refusal at the field",
            between=settle,
        )
        form.query_one("#field-name", Input).value = "Login fails on Safari"
        form.query_one("#field-name", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), between=settle)
        await wait_until(
            pilot, lambda: _names(app, "not_started")[1] == "Login fails on Safari", between=settle
        )
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(
            pilot, lambda: "Login fails on Safari" not in _names(app, "not_started"), between=settle
        )
        assert len(_stored(ui_services, world, "not_started")) == 3


async def test_no_project_says_how_to_choose_one(make_app: AppFactory, world: World) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = None
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), between=settle)
        text = str(app.screen.query_one("#plan-empty").render())
        assert "No project is chosen" in text and "press 1" in text
        await pilot.press("a")  # nothing to add to: no error, no crash
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)


async def test_a_viewer_reads_the_board_but_is_offered_no_edits(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    bea = ui_services.as_user(world.bea)
    specs = bea.projects.list(world.partner)[0]
    bea.plan.add(specs.id, "task", "Bea's task")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(specs.id)
        await pilot.press("6")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
            between=settle,
        )
        assert _names(app, "not_started") == ["Bea's task"]
        assert "read only: you are a viewer" in str(app.screen.query_one("#plan-sections").render())
        shown = {b.id for _, b, enabled, _ in app.screen.active_bindings.values() if enabled}
        assert not shown & {"plan-add", "plan-edit", "plan-delete", "plan-move-right"}
        await pilot.press("a", "shift+right")
        await settle(pilot)
        assert not app.screen.query_one("#plan-quick-add", Input).display
        assert [c.status for c in ui_services.plan.board(specs.id).cards] == ["not_started"]


async def test_a_big_board_shows_its_top_first_then_every_card(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promptterm.ui.plan import screen as plan_screen

    monkeypatch.setattr(plan_screen, "FIRST_PAINT", 2)  # "big" is anything past two a column
    seed_board(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
            between=settle,
        )
        # Whichever read the screen shows, each column counts all of its cards.
        title = app.screen.query(".plan-column-title").first()
        assert "· 4" in str(title.render())
        await wait_until(pilot, lambda: len(_names(app, "not_started")) == 4, between=settle)
        assert app.screen.board is not None and app.screen.board.complete


async def test_a_board_read_before_a_delete_does_not_bring_the_card_back(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """Closing the confirmation reads the board again while the delete runs: the read that
    started first may answer last, and must not be shown over the newer board."""
    from promptterm.ui.plan.messages import BoardLoaded

    seed_board(ui_services, world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        doomed = _names(app, "not_started")[0]
        _, before = screen.read_board(world.website)  # read now, delivered late below
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: doomed not in _names(app, "not_started"), between=settle)
        shown = screen.reads.shown
        screen.post_message(BoardLoaded(before, None, shown - 1))
        await settle(pilot)
        assert doomed not in _names(app, "not_started")
        assert doomed not in _stored(ui_services, world, "not_started")
