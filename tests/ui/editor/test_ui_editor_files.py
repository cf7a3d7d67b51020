"""Pilot tests: create, rename, move and delete files and folders from the editor's file tree,
and bring a deleted file back from the trash with its history."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.editor.dialogs.trash import TrashScreen
from promptterm.ui.editor.screen import EditorScreen
from support.clock import FixedClock
from ui.editor.scenarios import EditorWorld, seed_editor, settle_editor, show_file, wait_until
from ui.fixtures import AppFactory
from ui.helpers import footer_row, notes, type_text
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def site(ui_services: Services, clock: FixedClock, tmp_path: Path) -> EditorWorld:
    return seed_editor(ui_services, clock, tmp_path / "site")


def editor(app: object) -> EditorScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, EditorScreen)
    return screen


def paths(services: Services, site: EditorWorld) -> list[str]:
    return [f.path for f in services.files.list_files(site.project)]


async def test_new_file_in_the_folder_of_the_current_file(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        await pilot.press("ctrl+n")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["path"] == "app/"  # the folder of the file being edited
        await pilot.press("end")
        await type_text(pilot, "routes.py")
        await pilot.press("enter")
        await settle_editor(pilot)
        screen = editor(app)
        assert screen.active is not None and screen.active.path == "app/routes.py"
        assert "app/routes.py" in screen.tree_view.paths
        assert "Created the file app/routes.py." in notes(app)
    assert "app/routes.py" in paths(ui_services, site)


async def test_a_refused_path_stays_in_the_form(make_app: AppFactory, site: EditorWorld) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        await pilot.press("ctrl+n", "end", "ctrl+u")
        await type_text(pilot, "README.md")  # taken
        await pilot.press("enter")
        await settle_editor(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "already has a file" in str(form.query_one("#form-error").render())


async def test_new_folder_rename_and_move_from_the_tree(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        screen = editor(app)
        await pilot.press("ctrl+o")
        await pilot.press("f7", "end", "ctrl+u")
        await type_text(pilot, "docs")
        await pilot.press("enter")
        await settle_editor(pilot)
        assert "docs" in screen.tree_view.paths
        # Rename the open file from the tree: the tab follows.
        assert screen.tree_view.select_path("README.md")
        await pilot.press("f2")  # the old path is selected: typing replaces it
        await type_text(pilot, "READ.md")
        await pilot.press("enter")
        await settle_editor(pilot)
        assert [label.name for label in screen.tabs_bar.labels] == ["READ.md"]
        assert screen.tree_view.select_path("READ.md")
        await pilot.press("f6", "end", "ctrl+u")
        await type_text(pilot, "docs")
        await pilot.press("enter")
        await settle_editor(pilot)
        assert screen.active is not None and screen.active.path == "docs/READ.md"
    moved = ui_services.files.get(site.readme)
    assert moved.path == "docs/READ.md" and moved.head_version == 2  # history moved along


async def test_delete_to_the_trash_and_bring_back_with_history(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        await pilot.press("ctrl+o")
        assert screen.tree_view.select_path("app/main.py")
        await pilot.press("f8")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and "trash" in confirm.message
        await pilot.press("n")  # no: nothing happens
        assert "app/main.py" in paths(ui_services, site)
        await pilot.press("delete", "y")
        # Each answer comes back through a dialog's callback, a worker and a message.
        await wait_until(pilot, lambda: "is in the trash" in " ".join(notes(app)), "the delete")
        assert not screen.docs  # its tab closed
        assert "app/main.py" not in paths(ui_services, site)
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen), "the trash")
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        assert [f.path for f in trash.items if not f.is_folder] == ["app/main.py"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.active is not None, "the file back in a tab")
        assert screen.active is not None and screen.active.path == "app/main.py"
        assert screen.active.base_version == 3
        assert "app/main.py is back, with its history." in notes(app)
    assert [v.number for v in ui_services.files.versions(site.main)] == [3, 2, 1]


async def test_tree_keys_do_not_fire_while_typing(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        await type_text(pilot, "dtrmN")  # letters are text in the code area
        assert not isinstance(app.screen, ConfirmScreen | FormScreen | TrashScreen)
        code = editor(app).code_of(editor(app).active)
        assert code is not None and code.text.startswith("dtrmN")
    assert "README.md" in paths(ui_services, site)


async def test_ctrl_o_goes_to_the_tree_and_letters_there_filter_it(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        screen = editor(app)
        tree = screen.tree_view
        tree.focus()  # as when a project opens with no file: the tree has the focus
        await pilot.pause()
        await pilot.press("ctrl+o")  # focuses it (it is there): does not hide it
        assert tree.display and app.focused is tree
        await type_text(pilot, "main")  # m was "Move": now it filters
        assert not isinstance(app.screen, FormScreen | ConfirmScreen | TrashScreen)
        assert tree.filter_text == "main"
        assert tree.cursor_path == "app/main.py"
        shown = [str(line.node.label) for line in tree._tree_lines]
        assert [s for s in shown if s.endswith(".py")] == ["main.py"]
        await pilot.press("enter")  # opens the match
        await settle_editor(pilot)
        assert screen.active is not None and screen.active.path == "app/main.py"
        await pilot.press("ctrl+o", "escape")  # esc clears the filter first
        assert tree.filter_text == "" and app.focused is tree
        assert len(tree.paths) == len([f for f in tree.paths])
        await pilot.press("ctrl+o")  # a second press in a row hides it
        assert not tree.display
        assert app.focused is screen.code_of(screen.active)
        await pilot.press("f1")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditorScreen), "help")
        keys = str(app.screen.query_one("#help-keys").render()).splitlines()
        for key, action, binding_id in [
            ("f2", "Rename", "editor-tree-rename"),
            ("f6", "Move", "editor-tree-move"),
            ("f7", "New folder", "editor-tree-new-folder"),
            ("f8 del", "Delete", "editor-tree-delete"),
        ]:
            assert any(
                line.startswith(key + " ") and action in line and line.endswith(binding_id)
                for line in keys
            ), binding_id
    assert "app/main.py" in paths(ui_services, site)


async def test_rename_and_delete_leave_the_footer_when_the_tree_filter_matches_nothing(
    make_app: AppFactory, site: EditorWorld
) -> None:
    """The tree's keys follow its cursor: a filter that matches nothing leaves Rename and
    Delete nothing to act on, and clearing it brings them back."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        tree = editor(app).tree_view
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: " Rename" in footer_row(pilot), "the tree's keys")
        await type_text(pilot, "zzz")
        assert tree.cursor_info is None  # "filter: zzz  0 matches"

        def nothing_to_rename() -> bool:
            row = footer_row(pilot)
            return " New file" in row and " Rename" not in row and " Delete" not in row

        await wait_until(pilot, nothing_to_rename, "no Rename or Delete without a match")
        await pilot.press("escape")
        await wait_until(pilot, lambda: " Rename" in footer_row(pilot), "Rename back")


async def test_a_tree_read_before_a_delete_does_not_bring_the_file_back(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    """The tree reads again after each write; a read that started before it can answer last
    (a cancelled thread still runs) and must not show the deleted file."""
    from promptterm.ui.editor.messages import TreeLoaded

    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        late = screen.reads["tree"].start()  # a read starting now, before the delete...
        before = ui_services.files.list_files(site.project, include_folders=True)
        await pilot.press("ctrl+o")
        assert screen.tree_view.select_path("app/main.py")
        await pilot.press("delete", "y")
        await wait_until(pilot, lambda: "app/main.py" not in screen.tree_view.paths, "the delete")
        screen.post_message(TreeLoaded(site.project, before, late))  # ...answers after it
        await settle_editor(pilot)
        assert "app/main.py" not in screen.tree_view.paths
