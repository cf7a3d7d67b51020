"""Pilot tests of the MCP area (8): the list with status words, checking a server by key
(the row says "checking…", then the outcome with the reason), adding through the form,
switching off, removing after a confirmation, importing a prompt, and the check the app
runs by itself once the database is open."""

from __future__ import annotations

import uuid

import pytest
from textual.widgets import DataTable, Static

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from promptterm.ui.common import relative_times
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.mcp.screen import McpScreen
from support.clock import FixedClock
from support.mcp_fixtures import (
    memory_keyring,  # noqa: F401
    stdio_command,
)
from ui.fixtures import AppFactory
from ui.helpers import footer_row, settle, type_text, wait_until
from ui.scenarios import SMALL, settings_for

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("memory_keyring")]


def cells(app: PromptTermApp) -> list[list[str]]:
    table = app.screen.query_one("#mcp-list", DataTable)
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


def details(app: PromptTermApp) -> str:
    return str(app.screen.query_one("#mcp-details", Static).render())


async def test_checking_a_broken_server_by_key_says_why(
    make_app: AppFactory, ui_services: Services
) -> None:
    ui_services.mcp.add_stdio("broken", "no-such-mcp-command")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, McpScreen) and cells(app) != [])
        assert cells(app)[0][:3] == ["broken", "not checked", "never"]
        await pilot.press("c")
        await wait_until(pilot, lambda: cells(app)[0][1] == "failing", between=settle)
        assert "command not found: no-such-mcp-command (not on PATH)" in details(app)
        assert cells(app)[0][2] == "just now"


async def test_add_a_server_by_form_then_switch_it_off_and_remove_it(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, McpScreen), between=settle)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        await type_text(pilot, "notes")
        await pilot.press("tab", "tab")  # past the transport (stdio)
        await type_text(pilot, "my-server --stdio")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "TOKEN=abc123")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, McpScreen), between=settle)
        await wait_until(pilot, lambda: [r[0] for r in cells(app)] == ["notes"], between=settle)
        [server] = ui_services.mcp.list()
        assert (server.command, server.args, server.env_names) == (
            "my-server",
            ("--stdio",),
            ("TOKEN",),
        )
        await pilot.press("space")
        await wait_until(pilot, lambda: cells(app)[0][1] == "disabled", between=settle)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: ui_services.mcp.list() == [], between=settle)
        await wait_until(pilot, lambda: cells(app) == [], between=settle)


async def test_import_a_servers_prompt_into_the_library_by_key(
    make_app: AppFactory, ui_services: Services
) -> None:
    from promptterm.services.mcp import check_server

    ui_services.mcp.add_stdio("local", *stdio_command())
    checked = await check_server(ui_services.mcp, "local", 60.0)
    assert checked.status == "active", checked.last_error
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, McpScreen) and cells(app) != [])
        assert cells(app)[0][1] == "healthy"
        assert "Tools (4," in details(app) and "review(language, focus?)" in details(app)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+j")  # the prompt picker has the focus: enter would open it
        names = lambda: [p.name for p in ui_services.prompts.list()]  # noqa: E731
        await wait_until(pilot, lambda: names() == ["local · review"], between=settle)


async def test_the_app_checks_enabled_servers_once_the_database_opens(
    ui_services: Services,
) -> None:
    ui_services.mcp.add_stdio("broken", "no-such-mcp-command")
    ui_services.mcp.add_stdio("off", "no-such-mcp-command", enabled=False)
    settings = settings_for(ui_services, mcp_check_minutes=15.0)
    app = PromptTermApp(services=lambda: ui_services, settings=settings, cursor_blink=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(
            pilot, lambda: ui_services.mcp.get("broken").status == "error", between=settle
        )
        assert ui_services.mcp.get("off").status == "inactive"


async def test_a_digit_switches_areas_right_after_check_all(
    make_app: AppFactory, ui_services: Services
) -> None:
    # Reported: after C (check all), 1 did nothing until esc was pressed.
    ui_services.mcp.add_stdio("broken", "no-such-mcp-command")
    ui_services.mcp.add_stdio("other", "no-such-mcp-command-either")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, McpScreen) and cells(app) != [])
        await pilot.press("C")
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "explorer", between=settle)


async def test_a_list_read_before_a_switch_or_a_check_is_not_shown_over_it(
    make_app: AppFactory, ui_services: Services
) -> None:
    """The list reads again after each write and check; a read that started before can
    answer last (a cancelled thread still runs) and must not bring the old row back."""
    from promptterm.ui.mcp.messages import ServersLoaded

    ui_services.mcp.add_stdio("broken", "no-such-mcp-command")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, McpScreen) and cells(app) != [])
        screen = app.screen
        assert isinstance(screen, McpScreen)
        late = screen.reads.start(), ui_services.mcp.list()  # a read starting now...
        await pilot.press("c")
        await wait_until(pilot, lambda: cells(app)[0][1] == "failing", between=settle)
        screen.post_message(ServersLoaded(late[1], late[0]))  # ...answers after the check
        await settle(pilot)
        assert cells(app)[0][1] == "failing"
        late = screen.reads.start(), ui_services.mcp.list()
        await pilot.press("space")
        await wait_until(pilot, lambda: cells(app)[0][1] == "disabled", between=settle)
        screen.post_message(ServersLoaded(late[1], late[0]))  # ...and after the switch
        await settle(pilot)
        assert cells(app)[0][1] == "disabled"


async def test_the_footer_offers_edit_only_on_the_users_own_servers(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A teammate's server shared with a workspace is read, not changed: moving the cursor
    onto it takes Edit, Remove and On/off out of the footer, and back onto one's own brings
    them back (the keys follow the cursor, not the moment the list got the focus)."""
    bob = ui_services.as_user(
        create_user(ui_services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4()).id
    )
    team = ui_services.workspaces.create("Team")
    ui_services.workspaces.add_member(team.id, "bob@example.com", "member")
    ui_services.mcp.add_stdio("a-mine", "my-server")
    bob.mcp.add_http("b-bobs", "https://mcp.example.com/", workspace_id=team.id)
    # The list's minute tick redraws it, and its keys with it (the first tick at once): out
    # of the way, so that what is seen is what the cursor's move itself does.
    monkeypatch.setattr(relative_times, "TICK_SECONDS", 3600.0)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, McpScreen) and len(cells(app)) == 2)
        await wait_until(pilot, lambda: " Edit" in footer_row(pilot), "Edit for my server")
        await settle(pilot)  # the check the app runs at start is done: nothing redraws the list
        await pilot.press("down")  # onto Bob's

        def keys_for_bobs() -> bool:
            row = footer_row(pilot)
            return " Check" in row and " Edit" not in row and " Remove" not in row

        await wait_until(pilot, keys_for_bobs, "no Edit for a teammate's server")
        await pilot.press("up")
        await wait_until(pilot, lambda: " Edit" in footer_row(pilot), "Edit again for mine")
