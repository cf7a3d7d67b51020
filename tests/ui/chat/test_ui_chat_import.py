"""Pilot tests of importing history from the chat area: the palette's "chat: Import
history…" opens the dialog; Enter checks the file and stores nothing; Ctrl+J imports it,
closes with a notification and the threads appear in the list; a file that is not the
source's is said in place and what was typed stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Select, Static

from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.import_history import ImportHistoryScreen
from support.clock import FixedClock
from support.import_fixtures import CHATGPT, sqlite_source
from ui.chat.scenarios import ChatWorld, chat, open_chat, seed_chat, wait_for
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def seeded(ui_services: Services, clock: FixedClock) -> ChatWorld:
    return seed_chat(ui_services, clock)


def result(dialog: ImportHistoryScreen) -> str:
    return str(dialog.query_one("#import-result", Static).render())


async def test_check_then_import_from_the_palette(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "import history")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ImportHistoryScreen)
        await type_text(pilot, str(CHATGPT))
        await pilot.press("enter")  # check: stores nothing
        await wait_for(pilot, lambda: result(dialog).startswith("Would add"))
        assert "3 new threads and 10 messages" in result(dialog)
        assert "not imported: conversation 3 (Broken export)" in result(dialog)
        assert (
            ui_services.chat_import.import_file("chatgpt", CHATGPT, dry_run=True).new_threads == 3
        )

        await pilot.press("ctrl+j")  # import
        await wait_for(pilot, lambda: not isinstance(app.screen, ImportHistoryScreen))
        await settle(pilot)
        assert any(n.startswith("Added 3 new threads and 10 messages") for n in notes(app))
        titles = [t.title for t in chat(app).threads.threads]
        assert {"Sourdough starter", "Pasta water"} <= set(titles)


async def test_a_file_that_is_not_the_source_is_said_in_place(
    make_app: AppFactory, seeded: ChatWorld, tmp_path: Path
) -> None:
    logs = sqlite_source(tmp_path, "llm_logs")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f5")
        dialog = app.screen
        assert isinstance(dialog, ImportHistoryScreen)
        await type_text(pilot, str(logs))
        await pilot.press("enter")  # still ChatGPT: an SQLite file is not its export
        await wait_for(pilot, lambda: dialog.query_one("#import-result").has_class("-error"))
        assert result(dialog).endswith("is it a ChatGPT export?")
        assert dialog.query_one("#import-path", Input).value == str(logs)  # nothing lost
        dialog.query_one("#import-source", Select).value = "llm"
        await pilot.press("enter")
        await wait_for(pilot, lambda: result(dialog).startswith("Would add"))
        assert "2 new threads and 7 messages" in result(dialog)


async def test_the_workspace_picked_is_where_the_threads_go(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    team = ui_services.workspaces.create("Team Space", slug="team")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f5")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ImportHistoryScreen)
        picker = dialog.query_one("#import-workspace", Select)
        picker.value = "team"  # refused (InvalidSelectValueError) unless it was offered
        await type_text(pilot, str(CHATGPT))
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: not isinstance(app.screen, ImportHistoryScreen))
    (project,) = ui_services.projects.list(team.id)
    assert project.name == "ChatGPT history"
    assert len(ui_services.chat.list_threads(project_id=project.id)) == 3
