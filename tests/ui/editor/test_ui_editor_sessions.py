"""Pilot tests: the editor session (tabs, active file, cursor, scroll, soft wrap) comes back
when the project is opened again, in a new app; jumping to a file opens its project."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.services.facade import Services
from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.editor.screen import EditorScreen
from support.clock import FixedClock
from ui.editor.scenarios import EditorWorld, open_editor, seed_editor, settle_editor, show_file
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def site(ui_services: Services, clock: FixedClock, tmp_path: Path) -> EditorWorld:
    return seed_editor(ui_services, clock, tmp_path / "site")


def editor(app: object) -> EditorScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, EditorScreen)
    return screen


async def test_tabs_active_file_cursor_and_wrap_come_back_in_a_new_app(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        await show_file(pilot, site.project, site.main)
        await pilot.press("ctrl+g")
        await type_text(pilot, "17:5")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f9")  # soft wrap on
        await pilot.press("alt+left")  # README.md active
        await settle_editor(pilot)  # its tab is shown before the cursor moves in it
        await pilot.press("down", "down")
        await settle_editor(pilot)
    # Closing the app stored the session, even within the save delay.
    state = ui_services.editor_sessions.load(site.project)
    assert [t.file_id for t in state.tabs] == [site.readme, site.main]
    assert state.active_file_id == site.readme
    assert [t.cursor for t in state.tabs] == [(2, 0), (16, 4)]

    again = make_app()
    async with again.run_test(size=SMALL) as pilot:
        await open_editor(pilot, site.project)
        screen = editor(again)
        assert [d.path for d in screen.docs.values()] == ["README.md", "app/main.py"]
        assert screen.active is not None and screen.active.path == "README.md"
        readme = screen.code_of(screen.active)
        assert readme is not None
        # The tab is shown first; its cursor is put back once the text has loaded into it.
        await wait_until(pilot, lambda: readme.cursor_location == (2, 0), "README's cursor")
        assert readme.soft_wrap is True
        await pilot.press("alt+right")
        await wait_until(
            pilot,
            lambda: screen.active is not None and screen.active.path == "app/main.py",
            "app/main.py's tab in front",
        )
        main = screen.code_of(screen.active)
        assert main is not None
        # Like README's: the cursor comes back once main.py's text has loaded into its tab.
        await wait_until(pilot, lambda: main.cursor_location == (16, 4), "main.py's cursor")
        assert again.focused is main


async def test_jumping_to_a_file_of_another_project_opens_that_project(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    other = ui_services.projects.create(site.workspace, "Docs")
    guide = ui_services.files.create(other.id, "guide.md", "# Guide\n")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        target = JumpTarget(
            "file", guide.id, "editor: Open file", "", site.workspace, other.id, area="editor"
        )
        await app.jump(target)
        await settle_editor(pilot)
        screen = editor(app)
        # The other project's tree loads, then the file opens: wait for the file itself.
        await wait_until(
            pilot,
            lambda: screen.active is not None and screen.active.path == "guide.md",
            "guide.md open",
            between=settle_editor,
        )
        assert app.current_project is not None and app.current_project.id == other.id
        assert screen.project is not None and screen.project.id == other.id


async def test_unsaved_edits_wait_while_another_project_is_open(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    other = ui_services.projects.create(site.workspace, "Docs")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.readme)
        await type_text(pilot, "draft ")
        app.current_project = ui_services.projects.get(other.id)
        await settle_editor(pilot)
        assert not editor(app).docs
        app.current_project = ui_services.projects.get(site.project)
        # The draft comes back into its tab, then is marked unsaved: wait for both.
        await wait_until(
            pilot,
            lambda: editor(app).active is not None and editor(app).active.dirty,  # type: ignore[union-attr]
            "the draft back as unsaved",
            between=settle_editor,
        )
        screen = editor(app)
        doc = screen.active
        code = screen.code_of(doc)
        assert doc is not None and doc.dirty and code is not None
        assert code.text.startswith("draft # Website")
    assert ui_services.files.read(site.readme).text.startswith("# Website")  # not saved


async def test_e_in_the_explorer_opens_the_project_in_the_editor(
    make_app: AppFactory, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "e")
        await settle_editor(pilot)
        assert app.current_mode == "editor"
        screen = editor(app)
        assert screen.project is not None and screen.project.id == site.project
        assert "README.md" in screen.tree_view.paths
