"""Snapshots of the run panel at 80x24 and 120x40: a file run with f5 whose output has
colours, the panel's title with the exit status, time and memory.

Deterministic: a fixed clock and ids, a bound folder in tmp_path (not a git repository),
the program's output fixed; the run's time and peak memory, which vary with the machine,
are set to fixed figures before the capture. Baselines: snapshots/test_snap_editor_runs/.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.editor.screen import EditorScreen
from support.clock import FixedClock
from ui.editor.scenarios import bound_site, settle_editor, show_file, wait_until
from ui.fixtures import AppFactory
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]

PROGRAM = """import sys
for n in range(1, 31):
    colour = 32 if n % 3 else 31
    print(f"\\x1b[{colour}mtest_{n:02d}\\x1b[0m {'ok' if n % 3 else 'FAILED'}")
print("\\x1b]0;a title\\x07\\x1b[2Jdone: 20 passed, 10 failed")
sys.exit(1)
"""


@pytest.mark.parametrize("size", SIZES)
def test_run_panel_after_a_failing_run(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    folder = tmp_path / "site"
    project, _ = bound_site(ui_services, clock, folder)
    (folder / "src" / "checks.py").write_text(PROGRAM, encoding="utf-8")
    ui_services.disk_sync.scan(project)
    checks = ui_services.files.find(project, "src/checks.py")

    async def run_before(pilot: Pilot[None]) -> None:
        await show_file(pilot, project, checks.id)
        screen = pilot.app.screen
        assert isinstance(screen, EditorScreen)
        # The folder watcher starts in its own thread; the info line says so once it has.
        await wait_until(pilot, lambda: screen.watching, "the folder to be watched")
        await pilot.press("f5")
        await wait_until(
            pilot,
            lambda: screen.last_run is not None and screen.last_run.status == "failed",
            "the run to end",
        )
        panel = screen.run_panel
        assert panel.outcome is not None
        panel.outcome = dataclasses.replace(panel.outcome, duration_ms=1234, memory_kb=10240)
        panel.refresh()
        await settle_editor(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
