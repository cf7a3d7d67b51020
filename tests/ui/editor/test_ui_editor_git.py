"""Pilot tests: the open file against git's HEAD (alt+d), the commits that touched it in the
history panel (f4) compared with the text now, and the run history (alt+h) with its search,
output tail and enter to run again. Against a real repository made in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from promptterm.services.facade import Services
from promptterm.ui.editor.dialogs.diff import DiffScreen
from promptterm.ui.editor.dialogs.run_history import RunHistoryScreen
from promptterm.ui.editor.screen import EditorScreen
from support.clock import FixedClock
from ui.editor.git_site import git, git_site
from ui.editor.scenarios import bound_site, show_file, wait_until
from ui.fixtures import AppFactory
from ui.helpers import footer_row, notes, type_text
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def editor(app: object) -> EditorScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, EditorScreen)
    return screen


def diff_on_top(app: object) -> DiffScreen | None:
    screen = app.screen  # type: ignore[attr-defined]
    return screen if isinstance(screen, DiffScreen) else None


async def test_alt_d_compares_the_open_file_with_head_and_then_with_unsaved_edits(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    project = git_site(ui_services, clock, folder)
    head = git(folder, "rev-parse", "--short=7", "HEAD").strip()
    app_py = ui_services.files.find(project, "src/app.py")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, project, app_py.id)
        screen = editor(app)
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: diff_on_top(app) is not None, "the diff against HEAD")
        diff = diff_on_top(app)
        assert diff is not None
        model = diff.model
        assert (model.left_label, model.right_label) == (f"HEAD ({head})", "now")
        assert (model.added, model.removed) == (1, 0)
        assert any(r.right == "    name = name.strip()" for r in model.rows)
        await pilot.press("escape")
        await wait_until(pilot, lambda: diff_on_top(app) is None, "the diff closed")
        code = screen.code_of(screen.active)
        assert code is not None and screen.focused is code
        await pilot.press("ctrl+end")
        await type_text(pilot, "# more")
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: diff_on_top(app) is not None, "the diff with the edits")
        diff = diff_on_top(app)
        assert diff is not None and diff.model.right_label == "your edits"
        assert (diff.model.added, diff.model.removed) == (2, 0)


async def test_alt_d_says_in_words_when_git_has_nothing_to_compare(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    plain = tmp_path / "plain"
    project, _ = bound_site(ui_services, clock, plain)  # not a git repository
    readme = ui_services.files.find(project, "README.md")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, project, readme.id)
        await pilot.press("alt+d")
        await wait_until(
            pilot, lambda: any("not in a git repository" in n for n in notes(app)), "the words"
        )
        assert diff_on_top(app) is None
        git(plain, "init", "-q", "-b", "main")
        git(plain, "add", "src")
        git(plain, "commit", "-qm", "Only the code")
        await pilot.press("alt+d")
        await wait_until(
            pilot,
            lambda: any("README.md is not in git yet (untracked)" in n for n in notes(app)),
            "the file outside git said so",
        )
        assert diff_on_top(app) is None


async def test_the_history_lists_the_commits_and_enter_compares_one_with_now(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    project = git_site(ui_services, clock, folder)
    first = git(folder, "rev-list", "--max-parents=0", "HEAD").strip()[:7]
    app_py = ui_services.files.find(project, "src/app.py")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_file(pilot, project, app_py.id)
        screen = editor(app)
        await pilot.press("f4")
        panel = screen.history_panel
        await wait_until(pilot, lambda: bool(panel.commits) and panel.versions, "the commits")
        assert panel.commits is not None
        assert [c.subject for c in panel.commits] == ["Greet by name", "Add the site"]
        n = len(panel.versions)  # the versions first (the disk's, then the scan's)
        assert n == 2
        prompts = [str(o.prompt) for o in panel.options._options]
        assert "git: the last commits" in prompts[n]
        assert "5 hours ago" in prompts[n + 1] and "Ada Lovelace" in prompts[n + 1]
        assert prompts[n + 2].startswith(f" {first}  3 days ago")
        assert all("\x1b" not in p for p in prompts)
        for _ in range(n + 1):  # past the versions and the heading, to the older commit
            await pilot.press("down")
        assert panel.highlighted_commit is not None
        assert panel.highlighted_commit.short == first and panel.highlighted is None
        await pilot.press("enter")
        await wait_until(pilot, lambda: diff_on_top(app) is not None, "the commit's diff")
        diff = diff_on_top(app)
        assert diff is not None
        assert (diff.model.left_label, diff.model.right_label) == (f"commit {first}", "now")
        assert diff.model.added > 5 and diff.model.removed == 1  # print('hi') became a program
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.focused is panel.options, "back in the history")


async def test_alt_h_searches_past_runs_shows_their_output_and_enter_runs_one_again(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    project, _ = bound_site(ui_services, clock, tmp_path / "site")
    runs = ui_services.runs
    for command in ("echo alpha; echo done-a", "echo beta; echo done-b"):
        active = runs.start_command(project, command)
        outcome = active.handle.wait()
        assert outcome is not None
        runs.record(active, outcome)
    readme = ui_services.files.find(project, "README.md")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, project, readme.id)
        screen = editor(app)
        await pilot.press("alt+h")
        await wait_until(pilot, lambda: isinstance(app.screen, RunHistoryScreen), "the dialog")
        dialog = app.screen
        assert isinstance(dialog, RunHistoryScreen)
        await wait_until(pilot, lambda: dialog.loaded and len(dialog.runs) == 2, "the runs")
        await wait_until(pilot, lambda: dialog.output_shown == "beta\ndone-b", "its output")
        await type_text(pilot, "alpha")
        await wait_until(pilot, lambda: len(dialog.runs) == 1, "the search")
        await wait_until(pilot, lambda: dialog.output_shown == "alpha\ndone-a", "that output")
        await type_text(pilot, "zzz")
        await wait_until(pilot, lambda: dialog.runs == [], "no match")
        assert "No run matches" in str(dialog.options.get_option_at_index(0).prompt)
        for _ in range(3):
            await pilot.press("backspace")
        await wait_until(pilot, lambda: len(dialog.runs) == 1, "the search again")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: len(runs.history(project)) == 3 and not screen.run_going,
            "the run again",
        )
        assert not isinstance(app.screen, RunHistoryScreen)
    assert runs.history(project)[0].command == "echo alpha; echo done-a"


async def test_the_history_offers_mark_and_restore_on_versions_not_on_commits(
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    """A commit is compared with the text now, never marked or restored: the footer says so
    as the cursor goes from the versions down to the commits, and back."""
    folder = tmp_path / "site"
    project = git_site(ui_services, clock, folder)
    app_py = ui_services.files.find(project, "src/app.py")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_file(pilot, project, app_py.id)
        screen = editor(app)
        await pilot.press("f4")
        panel = screen.history_panel
        await wait_until(pilot, lambda: bool(panel.commits) and panel.versions, "the commits")
        await wait_until(pilot, lambda: " Restore" in footer_row(pilot), "Restore on a version")
        for _ in range(len(panel.versions)):  # past the versions (and the heading)
            await pilot.press("down")
        assert panel.highlighted_commit is not None

        def keys_for_a_commit() -> bool:
            row = footer_row(pilot)
            return " Compare" in row and " Restore" not in row and " Mark" not in row

        await wait_until(pilot, keys_for_a_commit, "only Compare on a commit")
        keys = screen.query_one("#history-keys", Static)
        assert str(keys.render()) == "enter compare with the text now"  # the hint agrees
        await pilot.press("up", "up")
        assert panel.highlighted is not None
        await wait_until(pilot, lambda: " Restore" in footer_row(pilot), "Restore back")
        assert "space mark" in str(keys.render()) and "r restore" in str(keys.render())
