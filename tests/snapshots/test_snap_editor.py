"""Snapshots of the editor's states at 80x24 (tmux over SSH) and 120x40: highlighted code,
the history panel, a diff unified and side by side, the conflict view, the binary-file
notice, the read-only view of a file too big to edit, find and replace, and no project.

Deterministic: a fixed clock, sequential ids, a seeded SQLite database in tmp_path, no
cursor blink, no watcher (the seeded project is not bound), workers awaited, toasts cleared
before the capture. Baselines: snapshots/test_snap_editor/*.svg.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.editor.scenarios import (
    MAIN_V3,
    EditorWorld,
    seed_editor,
    settle_editor,
    show_file,
    wait_until,
)
from ui.fixtures import AppFactory
from ui.helpers import type_text
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture
def site(ui_services: Services, clock: FixedClock, tmp_path: Path) -> EditorWorld:
    return seed_editor(ui_services, clock, tmp_path / "site")


def on_file(project: uuid.UUID, file_id: uuid.UUID, *keys: str, then: Steps | None = None) -> Steps:
    """A run_before: open the file in the editor, press ``keys``, run ``then``, settle."""

    async def run_before(pilot: Pilot[None]) -> None:
        await show_file(pilot, project, file_id)
        for key in keys:
            await pilot.press(key)
            await settle_editor(pilot)
        if then is not None:
            await then(pilot)
            await settle_editor(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_no_project(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    """Nothing open: where to get a project (the explorer, the palette, `promptterm open`)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        await settle_editor(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_highlighted_code(
    snap_compare: SnapCompare, make_app: AppFactory, site: EditorWorld, size: tuple[int, int]
) -> None:
    """app/main.py highlighted as Python, with README.md in a second tab and the tree."""

    async def two_tabs(pilot: Pilot[None]) -> None:
        await show_file(pilot, site.project, site.readme)
        await pilot.press("alt+left")
        await settle_editor(pilot)  # main.py's tab is in front before the typing goes to it
        await type_text(pilot, "# edited")  # the modified marker on the tab
        await pilot.press("enter")

    run = on_file(site.project, site.main, then=two_tabs)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_history_panel(
    snap_compare: SnapCompare, make_app: AppFactory, site: EditorWorld, size: tuple[int, int]
) -> None:
    """Three versions, newest first, with time, author, size and message; v1 marked."""
    run = on_file(site.project, site.main, "f4", "down", "down", "space", "up")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


def diff_of(site: EditorWorld, side_by_side: bool) -> Steps:
    async def compare(pilot: Pilot[None]) -> None:
        pilot.app.screen.diff_side_by_side = side_by_side  # type: ignore[attr-defined]
        await pilot.press("f4")
        await settle_editor(pilot)
        await pilot.press("down", "down", "space", "up", "up", "enter")  # v1 against v3

    return on_file(site.project, site.main, then=compare)


@pytest.mark.parametrize("size", SIZES)
def test_diff_unified(
    snap_compare: SnapCompare, make_app: AppFactory, site: EditorWorld, size: tuple[int, int]
) -> None:
    """Versions 1 and 3 of main.py, unified: removed lines above added ones, both numbers."""
    run = diff_of(site, side_by_side=False)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_diff_side_by_side(
    snap_compare: SnapCompare, make_app: AppFactory, site: EditorWorld, size: tuple[int, int]
) -> None:
    """The same two versions side by side, unchanged runs folded."""
    run = diff_of(site, side_by_side=True)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


def stale_save(services: Services, site: EditorWorld, *keys: str) -> Steps:
    async def collide(pilot: Pilot[None]) -> None:
        await type_text(pilot, "# mine")
        await pilot.press("enter")
        bea = services.as_user(site.bea)
        bea.files.save(site.main, MAIN_V3 + "# theirs\n", base_version=3, message="Bea's fix")
        await pilot.press("f2", "enter")
        await settle_editor(pilot)
        for key in keys:
            await pilot.press(key)

    return on_file(site.project, site.main, then=collide)


@pytest.mark.parametrize("size", SIZES)
def test_conflict(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    site: EditorWorld,
    size: tuple[int, int],
) -> None:
    """Saved on a stale base: what happened, keep mine / take theirs / see the diff."""
    run = stale_save(ui_services, site)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_conflict_with_diff(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    site: EditorWorld,
    size: tuple[int, int],
) -> None:
    """The same conflict with the diff shown: theirs on the left, my edits on the right."""
    run = stale_save(ui_services, site, "d")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_binary_notice(
    snap_compare: SnapCompare, make_app: AppFactory, site: EditorWorld, size: tuple[int, int]
) -> None:
    """A binary file: a notice in the service's words instead of its bytes."""
    run = on_file(site.project, site.logo)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_read_only_big_file(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    site: EditorWorld,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Too big to edit here: read-only, line-virtualized, with "open in $EDITOR"."""
    from promptterm.ui.editor.widgets import document

    monkeypatch.setattr(document, "READONLY_LINES", 10)

    async def lines_focused(pilot: Pilot[None]) -> None:
        # Opening asks for the lines to have focus, but the request can run before the pane
        # has built them, and then the tree keeps it: which one a capture saw depended on
        # the machine's load. Ask again now that they are there, and wait for it.
        screen = pilot.app.screen
        screen.focus_active()  # type: ignore[attr-defined]
        await wait_until(
            pilot,
            lambda: screen.focused is screen.lines_of(screen.active),  # type: ignore[attr-defined]
            "the lines focused",
        )

    run = on_file(site.project, site.main, then=lines_focused)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_find_and_replace(
    snap_compare: SnapCompare, make_app: AppFactory, site: EditorWorld, size: tuple[int, int]
) -> None:
    """The find bar in replace mode after a search: the match selected, "1 of 4"."""

    async def search(pilot: Pilot[None]) -> None:
        await type_text(pilot, "requests")
        await pilot.press("enter", "tab")
        await type_text(pilot, "hits")

    run = on_file(site.project, site.main, "ctrl+r", then=search)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)
