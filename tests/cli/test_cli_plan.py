"""The board from scripts: `promptterm task|bug|feature add|list|move|set|rm`, with --json,
--project, the current folder's project, and exit statuses for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from promptterm.cli import exit_codes
from promptterm.cli.main import main
from promptterm.services.facade import Services
from support.cli_process import MigratedSqlite


@pytest.fixture
def url(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> str:
    url = migrated_sqlite(tmp_path / "cli.db")
    services = Services.open(url)
    ws = services.workspaces.create("Team")
    services.projects.create(ws.id, "Site")
    services.projects.create(ws.id, "Other")
    services.close()
    return url


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> Any:
    code, out, err = run(capsys, url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_script_fills_moves_and_empties_a_board(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    site = ("--project", "site")
    first = run_json(capsys, url, "task", "add", "Write docs", *site)
    assert (first["status"], first["priority"], first["position"]) == (
        "not_started",
        "not-prioritized",
        0,
    )
    run_json(capsys, url, "task", "add", "Ship", "--priority", "high", *site)
    bug = run_json(capsys, url, "bug", "add", "Crash", "--bug-url", "https://bugs.test/9", *site)
    assert bug["kind"] == "bug" and bug["bug_url"] == "https://bugs.test/9"
    feature = run_json(capsys, url, "feature", "add", "Themes", "-s", "in_progress", *site)
    assert feature["implementation_status"] == "in_progress"

    moved = run_json(capsys, url, "task", "move", "Ship", "not_started", "-n", "0", *site)
    assert moved["position"] == 0
    tasks = run_json(capsys, url, "task", "list", *site)
    assert [t["name"] for t in tasks] == ["Ship", "Write docs"]  # bugs are not tasks
    code, out, _ = run(capsys, url, "task", "list", *site)
    assert code == 0 and "Ship" in out and "high" in out.splitlines()[2]

    short = tasks[1]["id"].replace("-", "")[-8:]
    changed = run_json(capsys, url, "task", "set", short, "--title", "Docs", "-s", "done", *site)
    assert (changed["name"], changed["status"], changed["position"]) == ("Docs", "done", 0)
    assert run_json(capsys, url, "task", "list", "-s", "done", *site)[0]["name"] == "Docs"
    assert run_json(capsys, url, "task", "list", "-q", "doc", *site)[0]["name"] == "Docs"
    gone = run_json(capsys, url, "task", "rm", "Docs", *site)
    assert gone["deleted"]["name"] == "Docs"
    assert [t["name"] for t in run_json(capsys, url, "task", "list", *site)] == ["Ship"]
    assert run_json(capsys, url, "task", "list", "--project", "other") == []


def test_bad_input_exits_with_the_rule_that_was_broken(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    site = ("--project", "site")
    code, _, err = run(capsys, url, "task", "add", "x", "--status", "doing", *site)
    assert code == exit_codes.ERROR
    assert "not_started, in_progress, done" in err
    code, _, err = run(capsys, url, "bug", "add", "x", "--priority", "p1", *site)
    assert code == exit_codes.ERROR and "not-prioritized, low, medium, high, urgent" in err
    code, _, err = run(capsys, url, "task", "add", "x" * 201, *site)
    assert code == exit_codes.ERROR and "Title is 201 characters; the most allowed is 200" in err
    code, _, err = run(capsys, url, "task", "move", "nothing", "done", *site)
    assert code == exit_codes.ERROR and "No task 'nothing'" in err
    run(capsys, url, "task", "add", "Twin", *site)
    run(capsys, url, "task", "add", "Twin", *site)
    code, _, err = run(capsys, url, "task", "rm", "Twin", *site)
    assert code == exit_codes.CONFLICT and "give its id" in err
    code, _, err = run(capsys, url, "task", "set", "Twin", *site)
    assert code != 0
    code, _, err = run(capsys, url, "task", "list")
    assert code == exit_codes.ERROR and "Which project?" in err


def test_inside_a_bound_folder_the_project_is_that_folders(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "app"
    folder.mkdir()
    assert run(capsys, url, "open", str(folder), "--no-ui")[0] == 0
    monkeypatch.chdir(folder)
    run_json(capsys, url, "feature", "add", "Here")
    assert [f["name"] for f in run_json(capsys, url, "feature", "list")] == ["Here"]
    assert run_json(capsys, url, "feature", "list", "--project", "site") == []


def test_a_script_links_shows_and_unlinks_two_cards(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    site = ("--project", "site")
    api = run_json(capsys, url, "task", "add", "API", *site)
    crash = run_json(capsys, url, "bug", "add", "Crash", *site)
    link = run_json(capsys, url, "task", "link", "API", "Crash", "--kind", "blocks", *site)
    assert (link["relation"], link["words"], link["target_id"]) == ("blocks", "blocks", crash["id"])
    shown = run_json(capsys, url, "bug", "show", "Crash", *site)
    assert shown["card"]["name"] == "Crash"
    assert [(x["words"], x["title"], x["incoming"]) for x in shown["links"]] == [
        ("blocked by", "API", True)
    ]
    code, out, _ = run(capsys, url, "task", "show", api["id"][-8:], *site)
    assert code == 0
    assert "blocks" in out and "Crash" in out
    # Refused in words: twice, the other way round, itself, another project's card.
    code, _, err = run(capsys, url, "bug", "link", "Crash", "API", *site)
    assert code != 0 and "already linked: 'API' blocks this one" in err
    code, _, err = run(capsys, url, "task", "link", "API", "API", *site)
    assert code != 0 and "cannot link to itself" in err
    run_json(capsys, url, "task", "add", "Elsewhere", "--project", "other")
    code, _, err = run(capsys, url, "task", "link", "API", "Elsewhere", *site)
    assert code != 0 and "No card 'Elsewhere' on this project's board" in err
    code, _, err = run(capsys, url, "task", "link", "API", "Crash", "--kind", "causes", *site)
    assert code == exit_codes.ERROR and "use one of: relates, blocks, duplicates" in err
    gone = run_json(capsys, url, "bug", "unlink", "Crash", "API", *site)
    assert gone["unlinked"]["relation"] == "blocks"
    assert run_json(capsys, url, "task", "show", "API", *site)["links"] == []
    code, _, err = run(capsys, url, "task", "unlink", "API", "Crash", *site)
    assert code == exit_codes.ERROR and "not linked" in err


def test_a_script_links_a_card_to_a_file_and_a_thread(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    site = ("--project", "site")
    services = Services.open(url)
    project = services.projects.find("site")
    services.files.create(project.id, "docs/api.md", "# API\n")
    thread = services.chat.create_thread(title="API design")
    services.close()
    run_json(capsys, url, "task", "add", "API", *site)
    to_file = run_json(capsys, url, "task", "link", "API", "--file", "docs/api.md", *site)
    assert (to_file["target_kind"], to_file["title"]) == ("file", "docs/api.md")
    code, out, _ = run(capsys, url, "task", "link", "API", "--thread", str(thread.id)[:8], *site)
    assert code == 0 and "to the thread 'API design'" in out
    shown = run_json(capsys, url, "task", "show", "API", *site)
    assert [(x["words"], x["title"]) for x in shown["links"]] == [
        ("links to the file", "docs/api.md"),
        ("links to the thread", "API design"),
    ]
    # One target, said in words; a file the project lacks is named.
    code, _, err = run(capsys, url, "task", "link", "API", *site)
    assert code == exit_codes.ERROR and "Name one target" in err
    code, _, err = run(capsys, url, "task", "link", "API", "--file", "nope.md", *site)
    assert code != 0 and "no file 'nope.md'" in err
    code, _, err = run(capsys, url, "task", "link", "API", "--thread", "x", *site)
    assert code != 0 and "not a thread id" in err

    # A file since deleted: its link says so.
    services = Services.open(url)
    services.files.delete(services.files.find(project.id, "docs/api.md").id)
    services.close()
    code, out, _ = run(capsys, url, "task", "show", "API", *site)
    assert code == 0 and "docs/api.md (deleted)" in out
    shown = run_json(capsys, url, "task", "show", "API", *site)
    assert [x["gone"] for x in shown["links"]] == [True, False]
    gone = run_json(capsys, url, "task", "unlink", "API", "--file", "docs/api.md", *site)
    assert gone["unlinked"]["title"] == "docs/api.md"
    code, out, _ = run(capsys, url, "task", "unlink", "API", "--thread", str(thread.id), *site)
    assert code == 0 and "link to the thread 'API design'" in out
    assert run_json(capsys, url, "task", "show", "API", *site)["links"] == []
    code, _, err = run(capsys, url, "task", "unlink", "API", "--thread", str(thread.id), *site)
    assert code == exit_codes.ERROR and "does not link to that thread" in err
