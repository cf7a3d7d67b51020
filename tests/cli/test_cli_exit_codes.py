"""Exit statuses, each caused for real in a child process: 0 ok, 1 error, 2 usage, 3 limit
reached, 4 conflict; and the table that documents them in the help and in README."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from promptterm.cli import exit_codes
from promptterm.cli.main import main
from promptterm.services.errors import LimitReached
from promptterm.services.facade import Services
from support.cli_process import Home, MigratedSqlite, run_cli
from support.waiting import CEILING

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Home:
    home = Home(tmp_path)
    migrated_sqlite(home.data_dir / "promptterm.db")
    assert main(["--database-url", home.url, "workspace", "create", "Acme"]) == 0
    return home


def test_ok_is_0(home: Home) -> None:
    result = run_cli(home, "workspace", "list")
    assert result.returncode == 0, result.stderr
    assert "acme" in result.stdout


def test_an_error_is_1(home: Home) -> None:
    result = run_cli(home, "preset", "show", "Nope")
    assert result.returncode == 1
    assert "no preset named 'Nope'" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_command_line_is_2(home: Home) -> None:
    result = run_cli(home, "workspace", "frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_a_plan_limit_reached_is_3(home: Home) -> None:
    # Fill the plan's projects in this process; whatever the limit is, the next one is refused.
    services = Services.open(home.url)
    try:
        workspace = services.workspaces.get("acme")
        with pytest.raises(LimitReached):
            for n in range(1, 1000):
                services.projects.create(workspace.id, f"Project {n}")
    finally:
        services.close()
    result = run_cli(home, "project", "create", "One more", "--workspace", "acme")
    assert result.returncode == 3, result.stderr
    assert "plan allows" in result.stderr


def test_a_conflict_is_4(home: Home) -> None:
    result = run_cli(home, "workspace", "create", "Acme")
    assert result.returncode == 4, result.stderr
    assert "is taken" in result.stderr


def test_help_ends_with_the_table() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "promptterm", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    table = result.stdout.split("exit status:\n", 1)[1]
    assert re.findall(r"^  (\d+) ", table, re.MULTILINE) == [
        "0",
        "1",
        "2",
        "3",
        "4",
        "124",
        "127",
        "130",
    ]
    assert "limit reached" in table and "conflict" in table


def test_readme_documents_every_exit_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\d+)` \| (.+?) \|$", readme, re.MULTILINE))
    assert sorted(int(code) for code in rows) == sorted(code for code, _ in exit_codes.TABLE)
    assert "limit" in rows["3"] and "conflict" in rows["4"].lower()


def test_a_reader_that_stops_early_ends_it_quietly(home: Home) -> None:
    """`promptterm usage | head -2`: the pipe closes before promptterm has written all; it
    ends with 0 and says nothing (it used to print 'lost sys.stderr' and an object dump)."""
    from support.cli_process import promptterm_command

    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        child = subprocess.run(
            promptterm_command("usage"),
            env=home.env(),
            cwd=home.root,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=CEILING,
            check=False,
        )
    finally:
        os.close(write)
    assert (child.returncode, child.stderr) == (0, "")
