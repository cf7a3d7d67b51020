"""Snapshots of git in the editor at 80x24 and 120x40: the open file against HEAD (alt+d),
and the history panel with the commits that touched the file beside our versions.

Deterministic: a fixed clock and ids, a repository in tmp_path whose two commits have fixed
author, committer and dates (tests/ui/editor/git_site.py), so their ids and "3 days ago"
never change. Baselines: snapshots/test_snap_editor_git/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.editor.dialogs.diff import DiffScreen
from promptterm.ui.editor.screen import EditorScreen
from support.clock import FixedClock
from ui.editor.git_site import git_site
from ui.editor.scenarios import settle_editor, show_file, wait_until
from ui.fixtures import AppFactory
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES)
def test_the_open_file_against_head(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    project = git_site(ui_services, clock, tmp_path / "site")
    app_py = ui_services.files.find(project, "src/app.py")

    async def run_before(pilot: Pilot[None]) -> None:
        await show_file(pilot, project, app_py.id)
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DiffScreen), "the diff")
        await settle_editor(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_the_history_with_the_commits(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    project = git_site(ui_services, clock, tmp_path / "site")
    app_py = ui_services.files.find(project, "src/app.py")

    async def run_before(pilot: Pilot[None]) -> None:
        await show_file(pilot, project, app_py.id)
        screen = pilot.app.screen
        assert isinstance(screen, EditorScreen)
        await pilot.press("f4")
        panel = screen.history_panel
        await wait_until(pilot, lambda: bool(panel.commits) and bool(panel.versions), "commits")
        for _ in range(len(panel.versions)):  # to the newest commit
            await pilot.press("down")
        await wait_until(pilot, lambda: panel.highlighted_commit is not None, "a commit")
        await settle_editor(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
