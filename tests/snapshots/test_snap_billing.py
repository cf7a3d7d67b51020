"""Snapshots of the billing screen at 80x24 (tmux over SSH) and 120x40: the Free plan near its
limits, Pro with a budget and history, over budget, invoices and payments, the plan picker and
the downgrade question; and the token meter on another area's status line.

Deterministic: a fixed clock (stopped on 2026-01-27 15:00 UTC), sequential ids, seeded SQLite
in tmp_path, config in tmp_path, workers awaited. Baselines: snapshots/test_snap_billing/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.billing.widgets.plan_picker import PlanPicker
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from support.clock import FixedClock
from ui.billing import world as billing_world
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import LARGE, SMALL, World

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


def keys(
    *pressed: str, until: Callable[[Pilot[None]], bool] | None = None
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Settle, go to billing (5), press ``pressed`` one by one, settling after each; then
    settle until ``until`` holds (a dialog's answer arrives by callback, worker, message)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in ("5", *pressed):
            await pilot.press(key)
            await settle(pilot)
        if until is not None:
            await wait_until(pilot, lambda: until(pilot), "the state to capture", between=settle)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_free_plan_near_its_limits(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """Tokens at 86% and presets at 80% in the warning colour, components full; no budget."""
    billing_world.free_near_limit(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_pro_plan(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """Pro, unlimited items; a token budget at 91% tightens the meter to the budget."""
    billing_world.pro_plan(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_over_budget(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """Both caps passed: error colour, "cap passed", and what happens to sends."""
    billing_world.over_budget(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_spend_and_chart(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """Scrolled to spend by provider and model (one unpriced) and the day chart."""
    billing_world.free_near_limit(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("s"))


@pytest.mark.parametrize("size", SIZES)
def test_invoices(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """i: invoices (paid, open) and payments, a declined one with the processor's reason."""
    billing_world.pro_plan(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("i"))


@pytest.mark.parametrize("size", SIZES)
def test_running_draft_statement(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """i, enter: the open period's running draft, the Pro trial's proration and the usage at
    cost by provider and model, with the export keys (no pay: the period is open)."""
    from promptterm.ui.billing.dialogs.statement import StatementScreen

    billing_world.pro_plan(ui_services, clock)
    opened = keys("i", "enter", until=lambda p: isinstance(p.app.screen, StatementScreen))
    assert snap_compare(make_app(), terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_downgrade_question(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """p, then Free: the question says what is kept and what gets blocked."""
    billing_world.pro_plan(ui_services, clock)
    picker = keys("p", until=lambda pilot: isinstance(pilot.app.screen, PlanPicker))

    async def run_before(pilot: Pilot[None]) -> None:
        await picker(pilot)
        await pilot.press("up", "enter")
        await wait_until(
            pilot,
            lambda: isinstance(pilot.app.screen, ConfirmScreen),
            "the question after picking Free",
            between=settle,
        )

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_meter_on_the_explorer(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    world: World,
    size: tuple[int, int],
) -> None:
    """The status line of every area carries the meter; here at 87%, in the warning colour."""
    billing_world.free_near_limit(ui_services, clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
