"""Pilot tests: run the open file (f5) and kill it (alt+k), a flood that the panel follows
while the user types, run a command (alt+r) and run it again (shift+f5), and git's branch
and changes on the info line and in the file tree."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.editor.screen import EditorScreen
from promptterm.ui.editor.widgets.code_area import CodeArea
from support.clock import FixedClock
from support.waiting import wait_until as wait_for
from ui.editor.scenarios import bound_site, show_file, wait_until
from ui.fixtures import AppFactory
from ui.helpers import type_text
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

SLOW = """import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print("started", child.pid, flush=True)
time.sleep(600)
"""

FLOOD = """import sys
n = 0
while True:
    sys.stdout.write("".join(f"\\x1b[32mline\\x1b[0m {i}\\n" for i in range(n, n + 1000)))
    n += 1000
"""


def editor(app: object) -> EditorScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, EditorScreen)
    return screen


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def slow_site(services: Services, clock: FixedClock, tmp_path: Path) -> tuple[uuid.UUID, uuid.UUID]:
    """A bound project with src/slow.py (a program that starts a child and never ends)."""
    folder = tmp_path / "site"
    project, _ = bound_site(services, clock, folder)
    (folder / "src" / "slow.py").write_text(SLOW, encoding="utf-8")
    services.disk_sync.scan(project)
    return project, services.files.find(project, "src/slow.py").id


async def run_slow(pilot: Pilot[None], project: uuid.UUID, slow: uuid.UUID) -> int:
    """f5 on slow.py, once it printed its child's pid (returned)."""
    await show_file(pilot, project, slow)
    panel = editor(pilot.app).run_panel
    await pilot.press("f5")
    await wait_until(pilot, lambda: "started" in panel.shown_text(), "the run's output")
    return int(panel.shown_text().split("started ", 1)[1].split()[0])


async def test_f5_runs_the_file_and_alt_k_kills_it_with_its_children(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    project, slow = slow_site(ui_services, clock, tmp_path)
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        child = await run_slow(pilot, project, slow)
        screen = editor(app)
        panel = screen.run_panel
        assert panel.running and "running" in str(panel.title())
        await pilot.press("alt+k")
        await wait_until(
            pilot, lambda: panel.outcome is not None and not screen.run_going, "the kill"
        )
        assert panel.outcome is not None and panel.outcome.status == "killed"
        assert "killed" in str(panel.title())
        await wait_until(pilot, lambda: not _alive(child), "the child killed with the run")
        await wait_until(
            pilot,
            lambda: screen.last_run is not None and screen.last_run.status == "killed",
            "the run recorded",
        )
    [run] = ui_services.runs.history(project)
    assert (run.status, run.file_path) == ("killed", "src/slow.py")


async def test_quitting_during_a_run_stops_it_and_its_children(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    """The app closes at once (it waited for the run for ever) and leaves nothing running."""
    project, slow = slow_site(ui_services, clock, tmp_path)
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        child = await run_slow(pilot, project, slow)
        screen = editor(app)
        assert screen.current_run is not None
        run_pid = screen.current_run.handle.pid
        assert run_pid is not None
        await pilot.press("ctrl+q")
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "is still running" in dialog.message and "slow.py" in dialog.message
        await pilot.press("y")
    wait_for(lambda: not _alive(run_pid) and not _alive(child), "the run stopped")


async def test_a_flood_shows_its_last_lines_while_keys_reach_the_code(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    project, _ = bound_site(ui_services, clock, folder)
    (folder / "src" / "flood.py").write_text(FLOOD, encoding="utf-8")
    ui_services.disk_sync.scan(project)
    flood = ui_services.files.find(project, "src/flood.py")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, project, flood.id)
        screen = editor(app)
        await pilot.press("f5")
        panel = screen.run_panel
        await wait_until(pilot, lambda: screen.current_run is not None, "the run")
        assert screen.current_run is not None
        handle = screen.current_run.handle
        try:
            area = screen.code_of(screen.active)
            assert area is not None
            await _follow_the_flood_and_type(pilot, screen, area)
        finally:
            handle.kill()  # also when an assertion failed: the flood never ends on its own
        await wait_until(pilot, lambda: panel.outcome is not None, "the kill")
        assert panel.outcome is not None and panel.outcome.status == "killed"
        assert panel.outcome.output_bytes > 100_000 * len("\x1b[32mline\x1b[0m 0\n")


async def _follow_the_flood_and_type(
    pilot: Pilot[None], screen: EditorScreen, area: CodeArea
) -> None:
    panel = screen.run_panel

    def newest() -> int:
        # Not the last line: the program may be writing it ("line" before its number).
        written = panel.shown_text().splitlines()[1:-1]
        return int(written[-1].split()[-1]) if written else -1

    await wait_until(pilot, lambda: newest() > 100_000, "a flood of lines")
    await type_text(pilot, "# typed")
    await wait_until(pilot, lambda: area.text.startswith("# typed"), "the keys in the code")
    assert panel.running
    # The panel shows the newest lines, in order, each with its colour taken as such (the
    # last may be a line the program is still writing).
    shown = panel.shown_text().splitlines()[1:-1]
    numbers = [int(line.removeprefix("line ")) for line in shown]
    assert len(numbers) > 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


async def test_alt_r_runs_a_command_and_shift_f5_runs_it_again(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    project, _ = bound_site(ui_services, clock, tmp_path / "site")
    app_py = ui_services.files.find(project, "src/app.py")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, project, app_py.id)
        screen = editor(app)
        await pilot.press("alt+r")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "printf '\\033[31mred\\033[0m\\n'; exit 3")
        await pilot.press("enter")
        panel = screen.run_panel
        await wait_until(
            pilot,
            lambda: screen.last_run is not None and screen.last_run.status == "failed",
            "the command to end",
        )
        assert panel.shown_text().splitlines()[1] == "red"
        assert "exit 3" in str(panel.title())
        await pilot.press("shift+f5")
        await wait_until(
            pilot,
            lambda: (
                len(ui_services.runs.history(project)) == 2
                and not screen.run_going
                and screen.last_run.status == "failed"
            ),
            "again",
        )
    commands = [r.command for r in ui_services.runs.history(project)]
    assert commands == ["printf '\\033[31mred\\033[0m\\n'; exit 3"] * 2


async def test_git_branch_on_the_info_line_and_changed_files_in_the_tree(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    project, _ = bound_site(ui_services, clock, folder)
    for args in (
        ["init", "-q", "-b", "feature"],
        ["-c", "user.email=a@b.c", "-c", "user.name=A", "add", "."],
        ["-c", "user.email=a@b.c", "-c", "user.name=A", "commit", "-qm", "one"],
    ):
        subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)
    (folder / "README.md").write_text("# Changed\n", encoding="utf-8")
    readme = ui_services.files.find(project, "README.md")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_file(pilot, project, readme.id)
        screen = editor(app)
        info = screen.query_one("#editor-info")
        await wait_until(pilot, lambda: "git feature ●1" in info.text, "git on the info line")  # type: ignore[attr-defined]
        assert screen.tree_view.git_marks == {"README.md": "M"}


async def test_a_git_read_before_a_commit_does_not_bring_its_marks_back(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    """Git is read again after each run; a read that started before can answer last (a
    cancelled thread still runs) and must not put back the marks the run cleared."""
    from promptterm.services.code import git_status
    from promptterm.ui.editor.runs import GitRead

    folder = tmp_path / "site"
    project, _ = bound_site(ui_services, clock, folder)
    who = ["-c", "user.email=a@b.c", "-c", "user.name=A"]
    for args in (["init", "-q", "-b", "main"], [*who, "add", "."], [*who, "commit", "-qm", "one"]):
        subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)
    (folder / "README.md").write_text("# Changed\n", encoding="utf-8")
    readme = ui_services.files.find(project, "README.md")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_file(pilot, project, readme.id)
        screen = editor(app)
        tree = screen.tree_view
        await wait_until(pilot, lambda: tree.git_marks == {"README.md": "M"}, "the mark")
        late = screen.git_reads.start(), git_status(folder)  # a read starting now...
        subprocess.run(
            ["git", "-C", str(folder), *who, "commit", "-qam", "two"],
            check=True,
            capture_output=True,
        )
        screen.read_git()  # as after a run
        await wait_until(pilot, lambda: tree.git_marks == {}, "the marks cleared")
        screen._git_read(GitRead(project, late[1], late[0]))  # ...answers after it
        assert tree.git_marks == {}
        assert screen.git is not None and screen.git.label == "main"


async def test_a_save_marks_the_file_changed_in_the_tree(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    """A save writes the bound folder: git's marks follow without waiting for a run."""
    folder = tmp_path / "site"
    project, _ = bound_site(ui_services, clock, folder)
    who = ["-c", "user.email=a@b.c", "-c", "user.name=A"]
    for args in (["init", "-q", "-b", "main"], [*who, "add", "."], [*who, "commit", "-qm", "one"]):
        subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)
    readme = ui_services.files.find(project, "README.md")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_file(pilot, project, readme.id)
        screen = editor(app)
        info = screen.query_one("#editor-info")
        await wait_until(pilot, lambda: "git main" in info.text, "git on the info line")  # type: ignore[attr-defined]
        assert screen.tree_view.git_marks == {}
        await type_text(pilot, "more")
        await pilot.press("enter", "f2")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the save form")
        await pilot.press("enter")
        marked = lambda: screen.tree_view.git_marks == {"README.md": "M"}  # noqa: E731
        await wait_until(pilot, marked, "the mark after the save")
        assert "git main ●1" in info.text  # type: ignore[attr-defined]
