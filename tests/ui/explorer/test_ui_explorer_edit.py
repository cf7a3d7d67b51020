"""Pilot tests with real key presses: create, rename, delete (and not delete) in the explorer."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from ui.fixtures import AppFactory
from ui.helpers import cursor_label, notes, settle, tree_labels, type_text, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def test_first_run_create_workspace_and_project_by_keys(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#explorer-switcher").current == "welcome"
        await pilot.press("c")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Acme")
        await pilot.press("tab")
        await type_text(pilot, "Web")
        await pilot.press("tab")
        await type_text(pilot, "Go")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert tree_labels(app)[:2] == ["Acme  1", "  Web  Go"]
        assert cursor_label(app) == "Web  Go"
        assert "Created 'Acme' with the project 'Web'." in notes(app)
    (project,) = ui_services.projects.list()
    assert (project.workspace_name, project.name, project.language) == ("Acme", "Web", "Go")


async def test_new_workspace_then_project_with_w_and_n(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await type_text(pilot, "Zeta")
        await pilot.press("enter")
        await settle(pilot)
        assert cursor_label(app) == "Zeta  0"
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen) and form.dialog_title == "New project in Zeta"
        await type_text(pilot, "Rocket")
        await pilot.press("enter")
        await settle(pilot)
        assert cursor_label(app) == "Rocket"
        assert "  Rocket" in tree_labels(app)
    assert [p.name for p in ui_services.projects.list(ui_services.workspaces.get("zeta").id)] == [
        "Rocket"
    ]


async def test_a_refused_name_stays_in_the_form_with_the_reason(
    make_app: AppFactory, ui_services: Services
) -> None:
    before = sorted(w.name for w in ui_services.workspaces.list())
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("w", "enter")  # no name
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert str(form.query_one("#error-name").render()) == "Workspace name is required."
        assert sorted(w.name for w in ui_services.workspaces.list()) == before  # none made
        await type_text(pilot, "Named")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert app.is_running
    assert sorted(w.name for w in ui_services.workspaces.list()) == sorted([*before, "Named"])


async def test_rename_a_workspace(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert cursor_label(app) == "Acme  2"  # most recently used first
        await pilot.press("r")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Acne")  # the old name is selected: typing replaces it
        await pilot.press("enter")
        await settle(pilot)
        assert cursor_label(app) == "Acne  2"
    assert ui_services.workspaces.get(world.acme).name == "Acne"


async def test_rename_a_project_with_f2(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "down", "f2")
        await type_text(pilot, "Droid")
        await pilot.press("enter")
        await settle(pilot)
        assert cursor_label(app) == "Droid  Kotlin"
    assert ui_services.projects.get(world.mobile).name == "Droid"


async def test_delete_asks_first_and_cancel_keeps_it(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert dialog.message.startswith("Delete workspace 'Acme' and its 2 projects?")
        await pilot.press("enter")  # the focus is on Cancel: a stray enter deletes nothing
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert ui_services.workspaces.get(world.acme).name == "Acme"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert ui_services.workspaces.get(world.acme).name == "Acme"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Acme  2" not in tree_labels(app)
        assert "Deleted workspace 'Acme'." in notes(app)
    assert [w.name for w in ui_services.workspaces.list()] == ["Partner Co", "Side projects"]


async def test_delete_a_project_names_its_files_and_threads(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "delete")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert dialog.message == (
            "Delete project 'Website' in 'Acme' with its 2 files and 1 thread? "
            "This cannot be undone."
        )
        await pilot.press("y")
        await settle(pilot)
        assert cursor_label(app) == "Acme  1"
    assert [p.name for p in ui_services.projects.list(world.acme)] == ["Mobile App"]


async def test_a_viewer_cannot_delete_and_is_told_why(make_app: AppFactory, world: World) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("down", "d")  # Partner Co, where ada is a viewer
        await settle(pilot)
        assert cursor_label(app) == "Partner Co  1 viewer"
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("Only the owner of 'Partner Co' can delete it" in n for n in notes(app))


async def test_names_that_look_like_markup_are_shown_as_typed(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """Names go into notifications and dialog titles: "[/]" would raise as markup, and
    "[@click=app.quit]" would become an action."""
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await type_text(pilot, "[/]Ops [@click=app.quit]x[/]")
        await pilot.press("enter")
        await settle(pilot)
        assert "Created workspace '[/]Ops [@click=app.quit]x[/]'." in notes(app)
        # The toast is drawn: read as markup, it would raise here.
        await wait_until(pilot, lambda: any(t.region for t in app.screen.query(Toast)), "a toast")
        app.export_screenshot()
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        title = form.query_one("#dialog").border_title
        assert title is not None and "[/]Ops" in str(title)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
    assert "[/]Ops [@click=app.quit]x[/]" in [w.name for w in ui_services.workspaces.list()]


async def test_a_tree_read_before_a_rename_does_not_bring_the_old_name_back(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """The tree reads again after each write; a read that started before it can answer last
    (a cancelled thread still runs) and must not be shown over it."""
    from promptterm.ui.explorer.messages import WorkspacesLoaded
    from promptterm.ui.explorer.screen import ExplorerScreen

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExplorerScreen) and cursor_label(app) == "Acme  2"
        late = screen.reads.start(), ui_services.workspaces.list()  # a read starting now...
        await pilot.press("r")
        await type_text(pilot, "Acne")
        await pilot.press("enter")
        await wait_until(pilot, lambda: cursor_label(app) == "Acne  2", between=settle)
        screen.post_message(WorkspacesLoaded(late[1], "", None, read=late[0]))  # ...answers now
        await settle(pilot)
        assert "Acme  2" not in tree_labels(app)
        assert cursor_label(app) == "Acne  2"
