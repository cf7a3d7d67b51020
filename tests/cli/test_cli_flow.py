"""User flows from scripts: `promptterm flow add|list|show|set|link|unlink|rm|draw`, with
--json, and refusals in words with the input error's exit status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from promptterm.cli import exit_codes
from promptterm.cli.main import main
from promptterm.services.facade import Services
from support.cli_process import MigratedSqlite

SITE = ("--project", "site")


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


def test_a_script_builds_links_draws_and_empties_a_flow(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    home = run_json(capsys, url, "flow", "add", "Home", "-f", "hero, login button", *SITE)
    assert home["features"] == ["hero", "login button"] and home["x"] == 0
    run_json(capsys, url, "flow", "add", "Login", "-x", "300", "-s", "done", *SITE)
    link = run_json(capsys, url, "flow", "link", "Home", "Login", *SITE)
    assert link["source_id"] == home["id"]
    listed = run_json(capsys, url, "flow", "list", *SITE)
    assert [p["name"] for p in listed["pages"]] == ["Home", "Login"]
    assert len(listed["connections"]) == 1
    code, out, _ = run(capsys, url, "flow", "show", "Home", *SITE)
    assert code == 0 and "Leads to:" in out and "Login" in out and "hero, login button" in out
    code, out, _ = run(capsys, url, "flow", "draw", *SITE)
    assert code == 0 and "│Home" in out and "▶" in out and "● done" in out
    drawn = run_json(capsys, url, "flow", "draw", *SITE)
    assert any("▶" in line for line in drawn["lines"])
    moved = run_json(capsys, url, "flow", "set", "Login", "-y", "5", "--name", "Sign in", *SITE)
    assert (moved["name"], moved["x"], moved["y"]) == ("Sign in", 300, 5)
    run_json(capsys, url, "flow", "unlink", "Home", "Sign in", *SITE)
    run_json(capsys, url, "flow", "rm", "Home", *SITE)
    assert [p["name"] for p in run_json(capsys, url, "flow", "list", *SITE)["pages"]] == ["Sign in"]


def test_bad_links_are_refused_in_words(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run_json(capsys, url, "flow", "add", "Home", *SITE)
    run_json(capsys, url, "flow", "add", "Away", "--project", "other")
    code, _, err = run(capsys, url, "flow", "link", "Home", "Home", *SITE)
    assert code == exit_codes.ERROR and "cannot lead to itself" in err
    code, _, err = run(capsys, url, "flow", "link", "Home", "Away", *SITE)
    assert code != 0 and "No flow page 'Away'" in err
    code, _, err = run(capsys, url, "flow", "add", "Half", "-x", "1.5", *SITE)
    assert code == exit_codes.ERROR and "whole number" in err
