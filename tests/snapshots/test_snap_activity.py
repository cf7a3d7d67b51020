"""Snapshots of the activity log at 80x24 (tmux over SSH) and 120x40: the list of calls and
errors over the explorer, and one error entry whole.

Deterministic: a fixed clock, seeded SQLite in tmp_path, workers awaited (entry ids are
never drawn: they carry random bits). Baselines: snapshots/test_snap_activity/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from promptterm.services.facade import Services
from promptterm.ui.activity.entry import EntryScreen
from support.clock import FixedClock
from ui.activity.scenarios import seed_log
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


def open_log(*then: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "activity log")
        await settle(pilot)
        await pilot.press("enter")

        def rows() -> int:
            tables = app.screen.query("#activity-list")
            return tables.first(DataTable).row_count if tables else 0

        await wait_until(pilot, lambda: rows() == 6, "the log", between=settle)
        for key in then:
            await pilot.press(key)
            await settle(pilot)
        if then:
            await wait_until(
                pilot, lambda: isinstance(app.screen, EntryScreen), "the entry", between=settle
            )

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_activity_log_list(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """Newest first: an error, then calls with status, duration, tokens; the filter line."""
    seed_log(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=open_log())


@pytest.mark.parametrize("size", SIZES)
def test_activity_log_error_entry(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """The error whole: type, message (its escape sequence stripped), area, traceback."""
    seed_log(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=open_log("enter"))
