"""Snapshots of the plan area's Flows section at 80x24 (tmux over SSH) and 120x40: a seeded
flow of five pages with arrows, one page highlighted and its line under the picture.

Deterministic: a fixed clock, sequential ids, seeded SQLite in tmp_path, config in tmp_path,
workers awaited. Baselines: snapshots/test_snap_plan_flows/.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.plan.flow_view import FlowView
from promptterm.ui.plan.screen import PlanScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.plan.flow_world import seed_flow
from ui.scenarios import LARGE, SMALL, World

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES)
def test_flow(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    world: World,
    size: tuple[int, int],
) -> None:
    """Boxes by rank of position, arrows in the gaps, Sign up highlighted."""
    seed_flow(ui_services, world.website)

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, PromptTermApp)
        await settle(pilot)
        app.current_project = ui_services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
            "the board",
            between=settle,
        )
        await pilot.press("left_square_bracket", "left_square_bracket")
        view = app.screen.query_one(FlowView)
        await wait_until(pilot, lambda: view.picture is not None, "the flow", between=settle)
        await pilot.press("right")
        await wait_until(
            pilot, lambda: view.current is not None and view.current.name == "Sign up", "Sign up"
        )
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
