"""Snapshots of the plan area's Notes, PRD (rendered and its form) and Customers sections at
80x24 and 120x40, on a seeded PRD, three scored profiles (one selected) and two notes.

Deterministic: a fixed clock, sequential ids, seeded SQLite in tmp_path, workers awaited.
Baselines: snapshots/test_snap_plan_docs/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.plan.screen import PlanScreen
from ui.fixtures import AppFactory
from ui.helpers import footer_row, settle, wait_until
from ui.plan.world import seed_docs
from ui.scenarios import LARGE, SMALL, World

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


def section(
    services: Services, world: World, steps: int, ready: Callable[[PlanScreen], bool], *keys: str
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Choose Website, go to plan (6), press ] ``steps`` times, wait for ``ready``, press
    ``keys``, settle."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, PromptTermApp)
        await settle(pilot)
        app.current_project = services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
            "the board",
            between=settle,
        )
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        for _ in range(steps):
            await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: ready(plan), "the section", between=settle)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def _listed(widget_id: str, count: int) -> Callable[[PlanScreen], bool]:
    return lambda plan: plan.query_one(widget_id, OptionList).option_count == count


def _prd_read(plan: PlanScreen) -> bool:
    return "version 1" in str(plan.query_one("#prd-info", Static).render())


@pytest.mark.parametrize("size", SIZES)
def test_notes(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """The notes listed on the left, the highlighted one open (enter) on the right."""
    seed_docs(ui_services, world.website)
    run_before = section(ui_services, world, 1, _listed("#notes-list", 2), "enter")
    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_prd_rendered(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    seed_docs(ui_services, world.website)
    run_before = section(ui_services, world, 2, _prd_read)
    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_prd_form(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    seed_docs(ui_services, world.website)

    async def run_before(pilot: Pilot[None]) -> None:
        await section(ui_services, world, 2, _prd_read, "e")(pilot)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the form")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_customers_ranked(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """Best total first, the selected one marked; the highlighted profile's scores as bars."""
    seed_docs(ui_services, world.website)
    listed = _listed("#customers-list", 3)

    async def run_before(pilot: Pilot[None]) -> None:
        await section(ui_services, world, 3, listed)(pilot)
        # The keys follow the list's load a refresh or two later.
        await wait_until(pilot, lambda: "Select" in footer_row(pilot), "the keys", between=settle)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
