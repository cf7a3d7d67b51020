"""Notes, the PRD and customer profiles from scripts: `promptterm note|prd|customer ...` with
--json, personal notes, versions, search, export inside the folder, and refusals."""

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


SITE = ("--project", "site")


def test_a_script_writes_edits_and_finds_notes(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    note = run_json(capsys, url, "note", "add", "Launch", "--content", "Ship on Monday", *SITE)
    assert (note["title"], note["version"]) == ("Launch", 1)
    run_json(capsys, url, "note", "add", "Diary", "-c", "monday blues", "--personal")
    body = tmp_path / "launch.md"
    body.write_text("Ship on Tuesday\n", encoding="utf-8")
    saved = run_json(capsys, url, "note", "edit", "Launch", "--file", str(body), *SITE)
    assert saved["version"] == 2 and saved["content"] == "Ship on Tuesday"
    code, out, _ = run(capsys, url, "note", "show", note["id"][-8:], *SITE)
    assert code == 0 and out == "# Launch\n\nShip on Tuesday\n"
    versions = run_json(capsys, url, "note", "show", "Launch", "--versions", *SITE)
    assert [v["number"] for v in versions] == [2, 1]
    found = run_json(capsys, url, "note", "list", "--search", "MONDAY")
    assert [n["title"] for n in found] == ["Diary"]
    assert [n["title"] for n in run_json(capsys, url, "note", "list", "--personal")] == ["Diary"]
    code, _, err = run(capsys, url, "note", "edit", "Launch", *SITE)
    assert code == exit_codes.ERROR and "Nothing to change" in err


def test_a_script_writes_and_exports_a_prd(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run_json(
        capsys, url, "prd", "set", "--problem", "Lost notes", "--target-audience", "Solo devs",
        "--section", "Risks=Scope creep", *SITE,
    )  # fmt: skip
    assert (first["version"], first["custom_sections"]) == (
        1,
        [{"name": "Risks", "content": "Scope creep"}],
    )
    second = run_json(capsys, url, "prd", "set", "--solution", "A plan area", *SITE)
    assert (second["version"], second["problem"]) == (2, "Lost notes")
    code, out, _ = run(capsys, url, "prd", "show", *SITE)
    assert out.startswith("# Site\n") and "## Solution\n\nA plan area" in out
    monkeypatch.chdir(tmp_path)
    written = run_json(capsys, url, "prd", "export", "docs/prd.md", *SITE)
    assert Path(written["path"]).read_text(encoding="utf-8") == out
    code, _, err = run(capsys, url, "prd", "export", "../out.md", *SITE)
    assert code != 0 and "Refused to export the PRD to" in err
    code, _, err = run(capsys, url, "prd", "set", "--section", "no equals sign", *SITE)
    assert code == exit_codes.ERROR and "needs NAME=TEXT" in err


def test_a_script_scores_and_selects_customers(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    run_json(capsys, url, "customer", "add", "Indie", "--scoring", '{"budget": 2}', *SITE)
    run_json(capsys, url, "customer", "add", "Agency", "--scoring", '{"budget": 9}', *SITE)
    ranked = run_json(capsys, url, "customer", "list", *SITE)
    assert [p["name"] for p in ranked] == ["Agency", "Indie"]
    assert run_json(capsys, url, "customer", "select", "Indie", *SITE)["is_selected"]
    code, _, err = run(capsys, url, "customer", "select", "Agency", *SITE)
    assert code == exit_codes.CONFLICT and "'Indie' is already the selected" in err
    code, _, err = run(capsys, url, "customer", "set", "Agency", "--scoring", "{oops", *SITE)
    assert code == exit_codes.ERROR and "Scoring is not JSON" in err
    code, out, _ = run(capsys, url, "customer", "show", "Indie", *SITE)
    assert "Indie (selected)" in out and "budget 2 (total 2)" in out
