"""`promptterm chat import SOURCE PATH` end to end through the real entry point: a dry run
that stores nothing, the import, a second run that adds nothing, the workspace chosen, the
JSON for scripts, and a file that is not the source's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptterm.db.engine import create_database
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from support.cli_in_process import run
from support.cli_process import MigratedSqlite
from support.clock import FixedClock
from support.import_fixtures import CHATGPT, sqlite_source


@pytest.fixture
def url(tmp_path: Path, fixed_clock: FixedClock, migrated_sqlite: MigratedSqlite) -> str:
    url = migrated_sqlite(tmp_path / "cli.db")
    services = Services.for_database(
        create_database(url), clock=fixed_clock, new_id=SequentialIds()
    )
    services.workspaces.create("Home")
    services.workspaces.create("Team Space", slug="team")
    services.close()
    return url


def test_dry_run_then_import_then_nothing_new(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, _ = run(
        capsys, url, "chat", "import", "chatgpt", str(CHATGPT), "-w", "Home", "--dry-run"
    )
    assert code == 1  # one conversation cannot be imported: named, the rest would be
    assert out.splitlines() == [
        "Would import ChatGPT history into project 'ChatGPT history' of Home:",
        "  new        Sourdough starter     6 messages, 1 earlier branch",
        "             (2 hidden, tool or non-text messages left out)",
        "  new        Escape ]0;pwned test  2 messages",
        "  new        Pasta water           2 messages",
        "",
        "Not imported (1; the rest was):",
        "  conversation 3 (Broken export): it has no message tree (its 'mapping' is missing"
        " or not an object)",
        "",
        "3 new threads, 10 messages to add; 0 already imported; 1 problem.",
        "Nothing was stored (--dry-run).",
    ]
    assert run(capsys, url, "chat", "list")[1].startswith("No threads yet")

    code, out, _ = run(capsys, url, "chat", "import", "chatgpt", str(CHATGPT), "-w", "Home")
    assert code == 1
    assert "3 new threads, 10 messages added; 0 already imported; 1 problem." in out
    listed = json.loads(run(capsys, url, "chat", "list", "--json")[1])
    assert [t["title"] for t in listed] == [
        "Pasta water",
        "Escape ]0;pwned test",
        "Sourdough starter",
    ]
    hits = json.loads(run(capsys, url, "chat", "search", "sourdough", "--json")[1])
    assert [h["thread_title"] for h in hits] == ["Sourdough starter"]
    # The answer's escape sequences were stored as they came, and are shown, not obeyed.
    escape = next(t["id"] for t in listed if t["title"].startswith("Escape"))
    shown = run(capsys, url, "chat", "show", escape)[1]
    assert "^[[31mred^[[0m and ^[[2J" in shown and "\x1b" not in shown

    code, out, _ = run(capsys, url, "chat", "import", "chatgpt", str(CHATGPT), "-w", "Home")
    assert "0 new threads, 0 messages added; 3 already imported; 1 problem." in out
    assert len(json.loads(run(capsys, url, "chat", "list", "--json")[1])) == 3


def test_json_report_and_the_chosen_workspace(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    logs = sqlite_source(tmp_path, "llm_logs")
    code, out, _ = run(
        capsys, url, "chat", "import", "llm", str(logs), "--workspace", "team", "--json"
    )
    assert code == 1
    report = json.loads(out)
    assert (report["workspace"], report["project"], report["dry_run"]) == (
        "Team Space",
        "llm history",
        False,
    )
    assert [(t["title"], t["status"], t["messages"]) for t in report["threads"]] == [
        ("Haiku about tea", "new", 5),
        ("What is a kettle?", "new", 2),
    ]
    assert report["problems"] == [
        {
            "item": "conversation 01j1bad0000000000000000000",
            "message": "response 01j1bad0000000000000000001 has no prompt or no response text",
        }
    ]
    projects = json.loads(run(capsys, url, "project", "list", "--workspace", "team", "--json")[1])
    assert [p["name"] for p in projects] == ["llm history"]


def test_a_file_that_is_not_the_source_is_refused(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, err = run(capsys, url, "chat", "import", "elia", str(CHATGPT))
    assert (code, out) == (1, "")
    assert "chatgpt_conversations.json is not a readable SQLite database" in err
    code, _, err = run(capsys, url, "chat", "import", "claude", str(CHATGPT.parent / "missing"))
    assert code == 1 and "There is no" in err


def test_the_command_offers_every_source_the_service_reads() -> None:
    from promptterm.cli.commands_chat_import import SOURCES, WHERE
    from promptterm.services.chat import IMPORT_SOURCES

    assert SOURCES == IMPORT_SOURCES == tuple(WHERE)
