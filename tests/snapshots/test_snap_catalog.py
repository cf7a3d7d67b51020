"""Snapshots of the catalog (area 7) at 80x24 (tmux over SSH) and 120x40: the list with the
first item's page, a paid item opened (its first lines only), and the cart with its total.

Deterministic: a fixed clock, sequential ids, seeded SQLite in tmp_path, workers awaited.
Baselines: snapshots/test_snap_catalog/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.catalog.world import seed_catalog
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


def keys(*pressed: str, shows: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Go to the catalog (7), wait for the items, press ``pressed``; then settle until the
    page beside the list shows ``shows``."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("7")
        await wait_until(
            pilot, lambda: bool(getattr(pilot.app.screen, "items", None)), between=settle
        )
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

        def page_shows() -> bool:
            return shows in str(pilot.app.screen.query_one("#catalog-page").render())

        await wait_until(pilot, page_shows, f"the page to show {shows!r}", between=settle)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_catalog(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """Best rated first; the highlighted item's page beside the list."""
    seed_catalog(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys(shows="Preview"))


@pytest.mark.parametrize("size", SIZES)
def test_paid_item(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """A paid item opened: seller with avatar link, rating, counts, tags, image link, the
    first lines only, and its review."""
    seed_catalog(ui_services, clock)
    run = keys("enter", shows="1 view")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_cart(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """The paid item in the cart, with the total and the keys to check out."""
    seed_catalog(ui_services, clock)
    run = keys("a", "c", shows="total")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)
