"""Pilot tests: a role change, a removal or a rename made from a stale view is refused in
words (what changed, what to do), the form keeps what the user chose or typed, and the list
behind it shows the teammate's change; a second, deliberate submit goes through."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select, Static

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.explorer.dialogs.members import MembersScreen
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _bea(ui_services: Services, world: World):  # type: ignore[no-untyped-def]
    return next(
        m for m in ui_services.workspaces.members(world.acme) if m.display_name == "Bea Stone"
    )


async def test_a_stale_role_change_is_refused_in_the_form(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")  # Acme: ada owns it, Bea is a viewer
        await settle(pilot)
        members = app.screen
        assert isinstance(members, MembersScreen)
        await pilot.press("down", "r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        # Meanwhile a co-admin, in another window, makes Bea a member.
        ui_services.workspaces.set_role(world.acme, _bea(ui_services, world).user_id, "member")
        await pilot.press("enter", "up", "up", "enter")  # viewer -> admin
        await pilot.press("tab", "tab", "enter")  # Save
        await wait_until(
            pilot,
            lambda: "changed elsewhere" in str(form.query_one("#form-error", Static).render()),
            "the refusal in the form",
            between=lambda p: settle(p),
        )

        shown = str(form.query_one("#form-error", Static).render())
        assert "Bea Stone's membership was changed elsewhere since you opened it" in shown
        assert "role 'viewer' → 'member'" in shown and "look again" in shown
        assert app.screen is form and form.query_one("#field-role", Select).value == "admin"
        assert _bea(ui_services, world).role == "member"  # the co-admin's change stands
        table = members.query_one(DataTable)
        await wait_until(pilot, lambda: table.get_row_at(1)[1] == "member", "the list reloaded")

        await pilot.press("ctrl+j")  # read it, and still mean it: saved
        await wait_until(pilot, lambda: app.screen is members, "the form closed", between=settle)
        assert "Bea Stone is now an admin." in notes(app)
    assert _bea(ui_services, world).role == "admin"


async def test_removing_someone_whose_role_changed_meanwhile_is_refused(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down", "x")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Remove Bea Stone (viewer)" in app.screen.message
        ui_services.workspaces.set_role(world.acme, _bea(ui_services, world).user_id, "admin")
        await pilot.press("y")
        await wait_until(
            pilot, lambda: any("changed elsewhere" in n for n in notes(app)), between=settle
        )
        note = next(n for n in notes(app) if "changed elsewhere" in n)
        assert "role 'viewer' → 'admin'" in note and "your change was not saved" in note
        table = app.screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.get_row_at(1)[1] == "admin", "the list reloaded")
    assert _bea(ui_services, world).role == "admin"


async def test_a_stale_workspace_rename_is_refused_and_keeps_the_typed_name(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        ui_services.workspaces.rename(world.acme, "Acme Corp")  # a teammate, meanwhile
        await type_text(pilot, "ACME")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "changed elsewhere" in str(form.query_one("#form-error", Static).render()),
            between=settle,
        )
        assert "name 'Acme' → 'Acme Corp'" in str(form.query_one("#form-error", Static).render())
        assert app.screen is form and form.values()["name"] == "ACME"
    assert ui_services.workspaces.get(world.acme).name == "Acme Corp"


async def test_a_member_list_read_before_a_removal_does_not_bring_them_back(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """The members read again after each change; a read that started before it can answer
    last (a cancelled thread still runs) and must not show the removed member."""
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        members = app.screen
        assert isinstance(members, MembersScreen)
        late = members.reads.start(), ui_services.workspaces.members(world.acme)  # now...
        await pilot.press("down", "x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        table = members.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == len(late[1]) - 1, between=settle)
        members.post_message(MembersScreen.Loaded(late[1], late[0]))  # ...answers after it
        await settle(pilot)
        assert table.row_count == len(late[1]) - 1
        assert "Bea Stone" not in [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
