"""Pilot tests of the editor with real key presses: type, save with a message, the history,
diffs of any two versions, restore, find and replace, go to line, wrap, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets.text_area import Selection

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.editor.dialogs.diff import DiffScreen
from promptterm.ui.editor.screen import EditorScreen
from promptterm.ui.editor.widgets.code_area import CodeArea
from promptterm.ui.editor.widgets.diff_view import DiffView
from support.clock import FixedClock
from ui.editor.scenarios import (
    MAIN_V1,
    MAIN_V2,
    MAIN_V3,
    EditorWorld,
    seed_editor,
    settle_editor,
    show_file,
    wait_until,
)
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text
from ui.scenarios import LARGE, SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def site(ui_services: Services, clock: FixedClock, tmp_path: Path) -> EditorWorld:
    return seed_editor(ui_services, clock, tmp_path / "site")


def highlighted_command(app: object) -> str:
    """The command the palette would run on enter ("" while it still searches)."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)  # type: ignore[attr-defined]
    option = found.first().highlighted_option if found else None
    return "" if option is None else str(option.prompt)


def editor(app: object) -> EditorScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, EditorScreen)
    return screen


def code(app: object) -> CodeArea:
    area = editor(app).code_of(editor(app).active)
    assert area is not None
    return area


async def test_without_a_project_the_editor_says_where_to_open_one(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = editor(app)
        assert screen.query_one("#editor-switcher").current == "editor-empty"
        assert "explorer (press 1" in str(screen.query_one("#no-project-card Static").render())
        # Nothing to save, find or diff: those keys are not offered.
        assert screen.check_action("save", ()) is False
        assert screen.check_action("history", ()) is False
        await pilot.press("1")
        assert app.current_mode == "explorer"


async def test_type_then_save_with_a_message(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        assert code(app).language == "python"
        assert screen.tabs_bar.labels[0].modified is False
        await type_text(pilot, "# tuned")
        await pilot.press("enter")
        assert screen.active is not None and screen.active.dirty
        assert screen.tabs_bar.labels[0].modified  # the tab shows the marker at once
        await pilot.press("f2")
        form = app.screen
        assert isinstance(form, FormScreen) and "version 4" in (form.intro or "")
        await type_text(pilot, "Tune the title")
        await pilot.press("enter")
        await settle_editor(pilot)
        assert editor(app).active.dirty is False  # type: ignore[union-attr]
        assert editor(app).tabs_bar.labels[0].modified is False
        assert "Saved app/main.py as version 4: Tune the title." in notes(app)
        # ctrl+s too (paired with f2, which survives every terminal); nothing new to store.
        await pilot.press("ctrl+s", "enter")
        await settle_editor(pilot)
        assert "No changes to save: app/main.py is still version 4." in notes(app)
    latest = ui_services.files.versions(site.main)[0]
    assert (latest.number, latest.message, latest.author) == (4, "Tune the title", "ada")
    assert ui_services.files.read(site.main).text == "# tuned\n" + MAIN_V3


async def test_undo_back_to_the_saved_text_clears_the_marker(
    make_app: AppFactory, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        await type_text(pilot, "xy")
        assert editor(app).active.dirty  # type: ignore[union-attr]
        await pilot.press("ctrl+z")
        assert code(app).text.startswith("# Website")
        # The check runs after a pause in typing (a timer): wait for it, however late.
        await wait_until(pilot, lambda: editor(app).active.dirty is False)  # type: ignore[union-attr]
        await pilot.press("ctrl+y")
        assert code(app).text.startswith("xy# Website")


async def test_history_lists_versions_and_diffs_any_two(
    make_app: AppFactory, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        await show_file(pilot, site.project, site.main)
        await pilot.press("f4")
        await settle_editor(pilot)
        panel = editor(app).history_panel
        assert [(v.number, v.message, v.author) for v in panel.versions] == [
            (3, "Count requests", "ada"),
            (2, "Add a health check", "Bea Stone"),
            (1, "Entry point", "ada"),
        ]
        # enter: the highlighted version against the one before it.
        await pilot.press("enter")
        await settle_editor(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        assert (diff.model.left_label, diff.model.right_label) == ("version 2", "version 3")
        assert diff.view.side_by_side  # 120 columns: side by side
        await pilot.press("s")
        assert diff.view.side_by_side is False
        await pilot.press("escape")
        # space marks one end, enter compares it with the highlighted version.
        await pilot.press("down", "down", "space", "up", "up", "enter")
        await settle_editor(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        assert (diff.model.left_label, diff.model.right_label) == ("version 1", "version 3")
        assert diff.model.added > 0 and "health" in str(diff.model.right)


async def test_a_history_read_before_a_save_does_not_hide_the_new_version(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    """The history reads again after a save; a read that started before it can answer last
    (a cancelled thread still runs) and must not take the new version off the list."""
    from promptterm.ui.editor.messages import HistoryLoaded

    app = make_app()
    async with app.run_test(size=LARGE, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        await type_text(pilot, "# tuned")
        await pilot.press("f4")
        await settle_editor(pilot)
        assert [v.number for v in screen.history_panel.versions] == [3, 2, 1]
        late = screen.reads["history"].start()  # a read starting now, before the save...
        before = ui_services.files.versions(site.main)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the save form")
        await pilot.press("enter")
        numbers = lambda: [v.number for v in screen.history_panel.versions]  # noqa: E731
        await wait_until(pilot, lambda: numbers() == [4, 3, 2, 1], "the new version")
        screen.post_message(HistoryLoaded(site.main, before, late))  # ...answers after it
        await settle_editor(pilot)
        assert numbers() == [4, 3, 2, 1]


async def test_restore_makes_a_new_version_and_the_editor_shows_it(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        await pilot.press("f4")
        await settle_editor(pilot)
        await pilot.press("down", "r")  # version 2
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and "new version 4" in confirm.message
        await pilot.press("y")
        await settle_editor(pilot)
        assert code(app).text == MAIN_V2
        assert editor(app).active.base_version == 4  # type: ignore[union-attr]
        assert "Version 2 restored as version 4." in notes(app)
        assert editor(app).history_panel.versions[0].message == "Restored version 2"
    numbers = [(v.number, v.message) for v in ui_services.files.versions(site.main)]
    assert numbers[0] == (4, "Restored version 2") and len(numbers) == 4  # nothing rewritten
    assert ui_services.files.read(site.main, 3).text == MAIN_V3


async def test_unified_diff_at_80_columns(make_app: AppFactory, site: EditorWorld) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        await pilot.press("f4")
        await settle_editor(pilot)
        await pilot.press("enter")
        await settle_editor(pilot)
        view = app.screen.query_one(DiffView)
        assert view.side_by_side is False  # two 38-column halves read badly: unified
        assert view.model is not None and (view.model.added, view.model.removed) == (5, 1)


async def test_go_to_line_find_and_replace(make_app: AppFactory, site: EditorWorld) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        await pilot.press("ctrl+g")
        await type_text(pilot, "99")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)  # refused in place: there is no line 99
        assert "no line 99" in str(form.query_one("#error-line").render())
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "16")
        await pilot.press("enter")
        await settle(pilot)
        assert code(app).cursor_location == (15, 0)
        await pilot.press("ctrl+f")
        await type_text(pilot, "requests")  # lower case: any case matches
        await pilot.press("enter")
        assert code(app).selected_text == "REQUESTS"
        # None after line 16: the search wrapped around to the first one.
        assert code(app).selection == Selection((5, 0), (5, 8))
        assert str(editor(app).query_one("#find-status").render()) == "1 of 4"
        await pilot.press("enter")
        assert code(app).selection == Selection((10, 11), (10, 19))
        await pilot.press("escape")
        assert app.focused is code(app)
        await pilot.press("ctrl+r")  # the selection fills "find"; typing goes to "replace with"
        await type_text(pilot, "HITS")
        await pilot.press("f8")  # replace all
        assert "REQUESTS" not in code(app).text and code(app).text.count("HITS") == 4
        await pilot.press("escape", "ctrl+z")
        assert code(app).text == MAIN_V3  # one undo takes all of them back


async def test_soft_wrap_toggles_for_every_open_file(
    make_app: AppFactory, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        assert code(app).soft_wrap is False
        await pilot.press("f9")
        assert code(app).soft_wrap is True
        assert "wrap" in editor(app).query_one("#editor-info").text  # type: ignore[attr-defined]


async def test_tabs_switch_and_close(make_app: AppFactory, site: EditorWorld) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        await show_file(pilot, site.project, site.readme)
        screen = editor(app)
        assert [label.name for label in screen.tabs_bar.labels] == ["main.py", "README.md"]
        await pilot.press("alt+left")
        assert screen.active is not None and screen.active.path == "app/main.py"
        await type_text(pilot, "x")
        await wait_until(pilot, lambda: screen.active is not None and screen.active.dirty, "edit")
        await pilot.press("alt+w")
        assert isinstance(app.screen, ConfirmScreen)  # unsaved edits: asks first
        await pilot.press("n")
        assert len(screen.docs) == 2
        await pilot.press("alt+w", "y")
        await settle_editor(pilot)
        assert [d.path for d in screen.docs.values()] == ["README.md"]


async def test_a_key_typed_right_behind_a_tab_switch_goes_to_the_file_switched_to(
    make_app: AppFactory, site: EditorWorld
) -> None:
    """Both keys queued at once, as a fast typist or a paste over SSH sends them."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        await show_file(pilot, site.project, site.readme)
        screen = editor(app)
        app.post_message(events.Key("alt+left", None))
        app.post_message(events.Key("x", "x"))
        await wait_until(pilot, lambda: any(d.dirty for d in screen.docs.values()), "the edit")
        assert [d.path for d in screen.docs.values() if d.dirty] == ["app/main.py"]
        main = screen.code_of(screen.active)
        assert main is not None and main.text.startswith("x")


async def test_the_file_tree_opens_files(make_app: AppFactory, site: EditorWorld) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        await pilot.press("ctrl+o")
        screen = editor(app)
        assert app.focused is screen.tree_view
        assert screen.tree_view.select_path("static/site.css")
        await pilot.press("enter")
        await settle_editor(pilot)
        assert screen.active is not None and screen.active.path == "static/site.css"
        assert code(app).language == "css"
        await pilot.press("ctrl+o", "ctrl+o")  # to the tree, then hide it
        assert screen.tree_view.display is False
        assert app.focused is code(app)


async def test_a_binary_file_shows_a_notice_instead_of_loading(
    make_app: AppFactory, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.logo)
        screen = editor(app)
        doc = screen.active
        assert doc is not None and doc.kind == "unavailable"
        assert not screen.query(CodeArea)
        assert "binary file" in doc.notice
        assert screen.check_action("save", ()) is False
        assert screen.tabs_bar.labels[0].flag == "not loaded"


async def test_too_big_to_edit_opens_read_only_and_edits_in_editor(
    make_app: AppFactory,
    ui_services: Services,
    site: EditorWorld,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from promptterm.ui.editor.widgets import document

    monkeypatch.setattr(document, "READONLY_LINES", 10)  # main.py has 20
    script = tmp_path / "fake-editor.sh"
    script.write_text('#!/bin/sh\nprintf "# from vi\\n" >> "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        doc = screen.active
        assert doc is not None and doc.kind == "readonly" and "too big" in doc.notice
        lines = screen.lines_of(doc)
        assert lines is not None and lines.line_count() == MAIN_V3.count("\n")
        # Pilot cannot hand the terminal over; run the program without suspending.
        import subprocess

        monkeypatch.setattr(screen, "run_external", subprocess.call)
        await pilot.press("f10")
        await settle_editor(pilot)
        doc = screen.active
        assert doc is not None and doc.kind == "readonly" and doc.base_version == 4
        lines = screen.lines_of(doc)
        assert lines is not None and lines.lines[-1] == "# from vi"  # the view shows it
    latest = ui_services.files.versions(site.main)[0]
    assert (latest.number, latest.message) == (4, "Edited in fake-editor.sh")
    assert ui_services.files.read(site.main).text == MAIN_V3 + "# from vi\n"
    assert MAIN_V1 != MAIN_V3  # the seed is what the test believes


async def test_the_palette_offers_the_editor_keys(make_app: AppFactory, site: EditorWorld) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        await pilot.press("ctrl+p")
        await type_text(pilot, "editor: history")
        await wait_until(pilot, lambda: "History" in highlighted_command(app), "the command")
        await pilot.press("enter")
        await settle_editor(pilot)
        assert editor(app).history_shown
        assert [v.number for v in editor(app).history_panel.versions] == [3, 2, 1]


async def test_ctrl_home_and_ctrl_end_go_to_the_start_and_end_of_the_file(
    make_app: AppFactory, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        area = code(app)
        await pilot.press("down", "right")
        await pilot.press("ctrl+end")
        assert area.cursor_location == area.document.end
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("f1")
        await settle(pilot)
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Start of file" in keys and "editor-file-start" in keys
        assert "End of file" in keys and "editor-file-end" in keys
