"""Pilot tests of exporting a thread (f8): Markdown and JSON, a file that exists, and the
folder proposed when the app runs inside a project's bound folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.export import ExportScreen
from support.clock import FixedClock
from ui.chat.scenarios import ChatWorld, open_chat, seed_chat
from ui.fixtures import AppFactory
from ui.helpers import notes, settle
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def seeded(ui_services: Services, clock: FixedClock) -> ChatWorld:
    return seed_chat(ui_services, clock)


async def test_export_markdown_and_json(
    make_app: AppFactory, seeded: ChatWorld, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        box = dialog.query_one("#export-path", Input)
        assert box.value.endswith("how-do-i-sort-a-list-of-tuples-by-age-in-python.md")
        box.value = str(tmp_path / "sorting.md")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert any("sorting.md" in n for n in notes(app))
        # JSON, into a file that exists: the second enter replaces it.
        (tmp_path / "sorting.json").write_text("old")
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-format").value = "json"  # type: ignore[attr-defined]
        dialog.query_one("#export-path", Input).value = str(tmp_path / "sorting.json")
        await pilot.press("enter")
        await settle(pilot)
        assert "exists already" in str(dialog.query_one("#export-error").render())
        await pilot.press("enter")
        await settle(pilot)
    markdown = (tmp_path / "sorting.md").read_text()
    assert "# How do I sort a list of tuples by age in Python?" in markdown
    assert "by_age = sorted(people" in markdown
    document = json.loads((tmp_path / "sorting.json").read_text())
    assert len(document["messages"]) == 2


async def test_export_proposes_documents_and_asks_before_a_bound_folder(
    make_app: AppFactory,
    seeded: ChatWorld,
    ui_services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Started inside a project's bound folder: the current directory is no place for it.
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    site = tmp_path / "site"
    site.mkdir()
    ws = ui_services.workspaces.create("Home")
    project = ui_services.projects.create(ws.id, "Site")
    ui_services.disk_sync.bind(project.id, site)
    monkeypatch.chdir(site)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        box = dialog.query_one("#export-path", Input)
        assert Path(box.value).parent == home / "Documents"
        box.value = f"{site}/./sorting.md"
        await pilot.press("enter")
        await settle(pilot)
        error = str(dialog.query_one("#export-error").render())
        assert "belongs to the project 'Site'" in error
        assert not (site / "sorting.md").exists()
        await pilot.press("enter")  # asked, and the user means it
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert (site / "sorting.md").is_file()
