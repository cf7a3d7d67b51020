"""Snapshots of every explorer state that matters, at 80x24 (tmux over SSH) and 120x40.

Deterministic: a fixed clock, sequential ids, a seeded SQLite database in tmp_path, config
and data dirs in tmp_path, no cursor blink, no animation, workers awaited before capture.
Baselines: snapshots/test_snap_explorer/*.svg (see conftest.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import LARGE, SMALL, World

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


def keys(*pressed: str, text: str = "") -> Callable[[Pilot[None]], Awaitable[None]]:
    """A run_before that settles, presses ``pressed`` (then types ``text``), and settles."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        if text:
            await type_text(pilot, text)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_welcome(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    """First run on an empty database: create a workspace, or load the demo."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_explorer_with_data(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """Workspaces recent first, Acme expanded, its details and members on the right."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("right"))


@pytest.mark.parametrize("size", SIZES)
def test_project_details(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """Website selected and expanded: files and threads; metadata and members."""
    run = keys("right", "down", "right")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_new_project_form(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """The new-project form after the service refused an empty name (shown in place)."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("n", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_confirm_delete(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """The question names what goes: the workspace and its two projects."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("d"))


@pytest.mark.parametrize("size", SIZES)
def test_members_dialog(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """The owner's view of Acme's members, with the keys to manage them."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("m"))


@pytest.mark.parametrize("size", SIZES)
def test_help(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """Every key, generated from the bindings, with the ids for [keymap]."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_command_palette(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """The palette finding workspaces, projects, files and threads by fuzzy name."""
    run = keys("ctrl+p", text="web")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_error_message(
    snap_compare: SnapCompare, make_app: AppFactory, world: World, size: tuple[int, int]
) -> None:
    """A viewer trying to delete someone else's workspace is told why, in words."""
    refuse = keys("down", "d")

    async def run(pilot: Pilot[None]) -> None:
        await refuse(pilot)

        # The refusal comes back from a worker as a toast: capture it once it is laid out.
        def shown() -> bool:
            return any(t.region for t in pilot.app.screen.query(Toast))

        await wait_until(pilot, shown, "the toast saying why", between=settle)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)
