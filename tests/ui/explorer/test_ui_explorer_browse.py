"""Pilot tests: browsing the explorer by keyboard — lazy loading, filter, open, palette, errors."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.common.help import HelpScreen
from promptterm.ui.explorer.dialogs.members import MembersScreen
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import cursor_label, notes, settle, tree_labels, type_text
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def test_recent_first_and_children_load_on_expand(make_app: AppFactory, world: World) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        # Workspaces by their most recently opened project; nothing below them loaded yet.
        assert tree_labels(app) == ["Acme  2", "Partner Co  1 viewer", "Side projects  1"]
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "right")
        await settle(pilot)
        assert tree_labels(app)[:8] == [
            "Acme  2",
            "  Website  Python",  # opened on the 14th, Mobile App never: Website first
            "    Files (2)",
            "      README.md  v1",
            "      app/main.py  v1",
            "    Threads (1)",
            "      API design review  120 tok",
            "  Mobile App  Kotlin",
        ]


async def test_filter_narrows_the_tree_and_esc_restores_it(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "mob")
        await settle(pilot)
        assert tree_labels(app) == ["Acme  2", "  Mobile App  Kotlin"]
        assert cursor_label(app) == "Mobile App  Kotlin"
        await pilot.press("escape")
        await settle(pilot)
        assert tree_labels(app) == ["Acme  2", "Partner Co  1 viewer", "Side projects  1"]
        await pilot.press("slash")
        await type_text(pilot, "side")  # a workspace name matches too
        await settle(pilot)
        assert tree_labels(app) == ["Side projects  1"]
        await type_text(pilot, "zz")
        await settle(pilot)
        assert tree_labels(app) == ["No match."]


async def test_enter_opens_a_project_and_records_it(
    make_app: AppFactory, ui_services: Services, world: World, clock: FixedClock
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.current_project is not None and app.current_project.name == "Mobile App"
        assert "    No files or threads yet." in tree_labels(app)  # opening expands it
    assert ui_services.projects.get(world.mobile).last_accessed_at == clock()


async def test_e_on_an_empty_projects_note_opens_it_in_the_editor(
    make_app: AppFactory, world: World
) -> None:
    """The project's details say "e edit files"; on its "No files or threads yet." line
    below, e does that too (it did nothing), and the details say how to add a file."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Mobile App: opens, expands
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert cursor_label(app) == "No files or threads yet."
        details = str(app.screen.query_one("#details-body").render())
        assert "e opens the project in the editor" in details
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "EditorScreen"
        assert app.current_project is not None and app.current_project.id == world.mobile


async def test_palette_jumps_to_a_project(make_app: AppFactory, world: World) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "blog")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert cursor_label(app) == "Blog  Markdown"


async def test_palette_runs_screen_actions(make_app: AppFactory, world: World) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "new wo")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)


async def test_a_service_error_is_a_notification_not_a_crash(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        ui_services.projects.delete(world.mobile)  # someone else deletes it meanwhile
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        said = "That project does not exist or you cannot see it."
        assert any(note.startswith(said) for note in notes(app))  # then where its details are
        assert app.is_running


async def test_help_lists_every_binding_of_the_screen_and_app(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = str(help_screen.query_one("#help-keys").render())
        ids = [b.id for b in (*type(screen).BINDINGS, *type(app).BINDINGS) if b.id]  # type: ignore[union-attr]
        assert ids and all(binding_id in text for binding_id in ids)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_members_dialog_refuses_a_viewer(make_app: AppFactory, world: World) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("down", "m")  # Partner Co: ada is a viewer there
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MembersScreen)
        refusal = str(dialog.query_one("#members-refusal").render())
        assert "Only an owner or admin of 'Partner Co'" in refusal and "you are a viewer" in refusal
        await pilot.press("a")
        assert app.screen is dialog  # no form: refused, with the reason
        assert any("you are a viewer" in n for n in notes(app))


async def test_owner_adds_and_changes_a_member(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    from promptterm.services.workspaces.users import create_user

    create_user(
        ui_services.ctx.db,
        "Cy Park",
        "cy@example.com",
        ui_services.ctx.now(),
        ui_services.ctx.new_id(),
    )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "cy@example.com")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MembersScreen)
        roles = {m.display_name: m.role for m in ui_services.workspaces.members(world.acme)}
        assert roles == {"ada": "owner", "Bea Stone": "viewer", "Cy Park": "member"}


async def test_owner_changes_a_members_role_by_keys(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")  # Acme: ada owns it, Bea is a viewer
        await settle(pilot)
        await pilot.press("down", "r")  # Bea's row
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.dialog_title == "Role of Bea Stone"
        await pilot.press("enter", "up", "up", "enter")  # open the choices: viewer -> admin
        await pilot.press("tab", "tab", "enter")  # past Cancel to Save
        await settle(pilot)
        assert isinstance(app.screen, MembersScreen)
        assert "Bea Stone is now an admin." in notes(app)
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(1)[:2] == ["Bea Stone", "admin"]
    roles = {m.display_name: m.role for m in ui_services.workspaces.members(world.acme)}
    assert roles == {"ada": "owner", "Bea Stone": "admin"}


async def test_owner_removes_a_member_after_confirming(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down", "x")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "Remove Bea Stone (viewer) from 'Acme'?" in confirm.message
        await pilot.press("escape")  # changed their mind: nobody is removed
        await settle(pilot)
        assert len(ui_services.workspaces.members(world.acme)) == 2
        await pilot.press("x", "y")
        await settle(pilot)
        assert "Removed Bea Stone from Acme." in notes(app)
        assert app.screen.query_one(DataTable).row_count == 1
    assert [m.display_name for m in ui_services.workspaces.members(world.acme)] == ["ada"]


async def test_enter_on_a_file_opens_it_in_the_editor(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    from promptterm.ui.editor.widgets.code_area import CodeArea
    from ui.editor.scenarios import settle_editor, wait_until

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "right")  # Website: its files and threads
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Files (2) > README.md
        await settle_editor(pilot)
        assert app.current_mode == "editor"
        assert app.current_project is not None and app.current_project.id == world.website

        def shown() -> bool:
            areas = list(app.screen.query(CodeArea))
            return any(a.text == "# Website\n" and a.display for a in areas)

        await wait_until(pilot, shown)
        await pilot.press("alt+1")  # back to the explorer (a plain 1 is text in the editor)
        await settle(pilot)
        assert app.current_mode == "explorer" and cursor_label(app) == "README.md  v1"
