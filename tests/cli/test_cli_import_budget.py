"""What a command loads: its own parser and domain, never the TUI, the send stack or every
other command (docs/architecture.md, Start-up). Checked in a fresh interpreter through
``sys.modules``, not with a stopwatch: a module that starts loading where it should not
fails here on any machine, however fast. `benchmarks/cli.py` has the times."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from promptterm.cli.main import COMMANDS, build_parser
from promptterm.services.facade import Services
from support.cli_process import MigratedSqlite

CHILD = """
import contextlib, io, json, sys
from promptterm.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# Never before a command's answer: the full-screen app, HTTP and the providers, Alembic,
# the keyring, syntax highlighting, the send stack, the disk watcher.
NEVER = (
    "textual",
    "httpx",
    "alembic",
    "keyring",
    "pygments",
    "watchfiles",
    "promptterm.app",
    "promptterm.ui",
    "promptterm.providers",
    "promptterm.services.chat.send",
    "promptterm.services.files.disk",
)
# The lean reads (db/lean.py): not even SQLAlchemy, pydantic or the tables.
NEVER_LEAN = (
    *NEVER,
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "promptterm.db.models",
    "promptterm.db.engine",
    "promptterm.services.facade",
)
THREAD_ID = uuid.UUID("5eed0000-0000-4000-8000-000000000001")  # `chat show` names it
LEAN_READS = [
    ("workspace", "list", "--json"),
    ("preset", "show", "Full", "--json"),
    ("preset", "list", "--json"),
    ("component", "list", "--json"),
    ("component", "list", "--type", "role", "--sort", "recent"),
    ("chat", "list", "--json"),
    ("chat", "list", "--archived", "--limit", "5"),
    ("project", "list", "--json"),
    ("component", "show", "Expert", "--json"),
    ("prompt", "list", "--json"),
    ("prompt", "list", "--trash", "--sort", "recent"),
    ("prompt", "show", "Draft", "--json"),
    ("prompt", "show", "Draft"),
    ("provider", "list", "--json"),
    ("db", "info"),
    ("db", "info", "--json"),
    ("chat", "show", "5eed0000", "--json"),
    ("chat", "show", str(THREAD_ID), "--last", "1"),
    ("usage",),
    ("usage", "--json"),
    ("billing", "status"),
    ("billing", "status", "--json"),
]
READS = [
    ("component", "list", "--search", "exp"),
    ("prompt", "list", "--tag", "draft"),
    ("billing", "spend"),
    ("project", "list", "--workspace", "Acme"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: MigratedSqlite) -> Path:
    """A home with a database holding a workspace, components and a preset."""
    home = tmp_path_factory.mktemp("home")
    services = Services.open(migrated_sqlite(home / "cli.db"))
    try:
        acme = services.workspaces.create("Acme")
        services.projects.create(acme.id, "Site")
        role = services.components.create("role", "Expert", "You are an expert.")
        services.presets.create("Full", role=role.id)
        services.prompts.create("Draft")
        hello = services.chat.create_thread(title="Hello")
    finally:
        services.close()
    with sqlite3.connect(home / "cli.db") as conn:
        conn.execute("UPDATE conversations SET id = ? WHERE id = ?", (THREAD_ID.hex, hello.id.hex))
    services = Services.open(f"sqlite:///{home / 'cli.db'}")
    try:
        services.chat.add_message(THREAD_ID, "user", "Hello?")
    finally:
        services.close()
    return home


def loaded(home: Path, argv: tuple[str, ...]) -> list[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    env.pop("PROMPTTERM_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "--database-url", f"sqlite:///{home / 'cli.db'}", *argv],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["code"] == 0, result.stderr
    return list(report["modules"])


def _offenders(modules: list[str], never: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in never))


def _other_commands(modules: list[str], word: str) -> list[str]:
    own = COMMANDS[word]
    return sorted(
        name
        for name in set(COMMANDS.values())
        if name != own and f"promptterm.cli.{name}" in modules
    )


@pytest.mark.parametrize("argv", LEAN_READS, ids=" ".join)
def test_a_lean_read_loads_no_sqlalchemy_no_tables_no_tui(
    home: Path, argv: tuple[str, ...]
) -> None:
    modules = loaded(home, argv)
    assert _offenders(modules, NEVER_LEAN) == []
    assert _other_commands(modules, argv[0]) == []


@pytest.mark.parametrize("argv", READS, ids=" ".join)
def test_a_read_loads_its_own_command_and_domain_only(home: Path, argv: tuple[str, ...]) -> None:
    modules = loaded(home, argv)
    assert _offenders(modules, NEVER) == []
    assert _other_commands(modules, argv[0]) == []


def test_each_command_module_registers_exactly_the_words_listed_for_it() -> None:
    for name in set(COMMANDS.values()):
        parser = argparse.ArgumentParser()
        commands = parser.add_subparsers()
        as_json = argparse.ArgumentParser(add_help=False)
        importlib.import_module(f"promptterm.cli.{name}").register(commands, as_json)
        listed = [word for word, module in COMMANDS.items() if module == name]
        assert sorted(commands.choices) == sorted(listed), name


def test_help_lists_every_command_and_one_command_builds_only_its_own() -> None:
    def words(parser: argparse.ArgumentParser) -> list[str]:
        [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return list(action.choices)

    assert words(build_parser()) == list(COMMANDS)
    assert words(build_parser("project")) == ["workspace", "project", "demo"]
    assert words(build_parser("no-such-command")) == list(COMMANDS)
