"""Snapshots of the plan area's board at 80x24 (tmux over SSH) and 120x40: a seeded board
with every kind, status and priority; a filtered one; and the area with no project chosen.

Deterministic: a fixed clock, sequential ids, seeded SQLite in tmp_path, config in tmp_path,
workers awaited. Baselines: snapshots/test_snap_plan/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.plan.screen import PlanScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.plan.world import seed_board
from ui.scenarios import LARGE, SMALL, World

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


def board(
    services: Services, world: World | None, *pressed: str
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Choose Website (or no project), go to plan (6), press ``pressed``, settle."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, PromptTermApp)
        await settle(pilot)
        app.current_project = services.projects.get(world.website) if world else None
        await pilot.press("6")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, PlanScreen)
                and (world is None or app.screen.board is not None)
            ),
            "the board",
            between=settle,
        )
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_board(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """Three columns; each card its title, then its kind and priority in words."""
    seed_board(ui_services, world.website)
    assert snap_compare(
        make_app(), terminal_size=size, run_before=board(ui_services, world, "down")
    )


@pytest.mark.parametrize("size", SIZES)
def test_board_filtered_to_bugs(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """The top line says what the filter hides; the counts read "1 of 4"."""
    seed_board(ui_services, world.website)
    run_before = board(ui_services, world, "t", "t")
    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_no_project(
    snap_compare: SnapCompare, make_app: AppFactory, ui_services: Services, world: World
) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=board(ui_services, None))


def _link_cards(services: Services, world: World) -> None:
    """The guide blocks the API review and relates to the Safari bug; a duplicate of it."""
    ids = seed_board(services, world.website)
    guide, safari, _, tracking, _, routes = ids[:6]
    services.plan_links.link(guide, card_id=routes, relation="blocks")
    services.plan_links.link(guide, card_id=safari)
    services.plan_links.link(tracking, card_id=guide, relation="duplicates")


@pytest.mark.parametrize("size", SIZES)
def test_board_with_links(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """A linked card shows "⛓" and how many cards it is linked to, at the right, whole."""
    _link_cards(ui_services, world)
    assert snap_compare(make_app(), terminal_size=size, run_before=board(ui_services, world))


@pytest.mark.parametrize("size", SIZES)
def test_card_links(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """o on a card: its own links (blocks, relates), then the one to it (duplicated by)."""
    _link_cards(ui_services, world)

    async def run_before(pilot: Pilot[None]) -> None:
        from promptterm.ui.plan.dialogs.card_links import CardLinksScreen

        await board(ui_services, world, "o")(pilot)
        await wait_until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, CardLinksScreen) and len(pilot.app.screen.links) == 3
            ),
            "the card's links",
            between=settle,
        )

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_card_links_to_files_and_threads(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """o on a card linked to a file, a thread and a file since deleted (struck, "deleted")."""
    guide = seed_board(ui_services, world.website)[0]
    main = ui_services.files.find(world.website, "app/main.py")
    readme = ui_services.files.find(world.website, "README.md")
    thread = next(t for t in ui_services.chat.list_threads() if t.title == "API design review")
    ui_services.plan_links.link(guide, file_id=main.id)
    ui_services.plan_links.link(guide, thread_id=thread.id)
    ui_services.plan_links.link(guide, file_id=readme.id)
    ui_services.files.delete(readme.id)

    async def run_before(pilot: Pilot[None]) -> None:
        from promptterm.ui.plan.dialogs.card_links import CardLinksScreen

        await board(ui_services, world, "o")(pilot)
        await wait_until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, CardLinksScreen) and len(pilot.app.screen.links) == 3
            ),
            "the card's links",
            between=settle,
        )

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_link_picker_on_files(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """L then tab three times: "… links to the file …" over the project's files."""
    seed_board(ui_services, world.website)

    async def run_before(pilot: Pilot[None]) -> None:
        from promptterm.ui.plan.dialogs.link_picker import LinkPickerScreen

        await board(ui_services, world, "L")(pilot)
        await wait_until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, LinkPickerScreen)
                and pilot.app.screen.targets is not None
            ),
            "the picker with the project's files",
            between=settle,
        )
        for _ in range(3):
            await pilot.press("tab")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
