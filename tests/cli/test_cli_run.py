"""`promptterm run` and `promptterm env`: output streamed and cleaned, the program's exit
status, the time limit, history; variables listed without their secrets."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from promptterm.cli import exit_codes
from promptterm.cli.main import main
from services.keyring_backend import MemoryKeyring
from support.cli_process import Home, MigratedSqlite, run_cli, run_cli_on_terminal


@pytest.fixture
def home(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Home:
    (tmp_path / "home").mkdir()
    home = Home(tmp_path / "home")
    migrated_sqlite(home.data_dir / "promptterm.db")
    return home


@pytest.fixture
def app(home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A folder bound as a project, in this process: `open` has tests of its own, and
    binding in a child cost every test here about a second of CPU."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "hello.py").write_text("import sys\nprint('\\x1b[32mhello\\x1b[0m', sys.argv[0])\n")
    assert main(["--database-url", home.url, "open", str(root), "--no-ui"]) == 0
    capsys.readouterr()
    return root


def test_a_command_streams_its_output_and_exits_with_its_status(home: Home, app: Path) -> None:
    done = run_cli(home, "run", "--", "sh", "-c", "echo one; echo two >&2; exit 5", cwd=app)
    assert done.returncode == 5
    assert done.stdout == "one\ntwo\n"
    assert "exit 5" in done.stderr and "full output:" in done.stderr


def test_a_file_runs_with_its_interpreter_colours_only_on_a_terminal(home: Home, app: Path) -> None:
    done = run_cli(home, "run", "hello.py", cwd=app)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hello hello.py\n"
    code, out, err = run_cli_on_terminal(home, "run", "hello.py", cwd=app)
    assert code == 0, err
    assert "\x1b[32mhello\x1b[0m hello.py" in out


def test_a_time_limit_and_a_missing_program_have_their_own_statuses(
    home: Home, app: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    done = run_cli(home, "run", "--timeout", "0.5", "--", "sleep", "600", cwd=app)
    assert done.returncode == exit_codes.RUN_TIMED_OUT
    assert "timed out" in done.stderr
    # A status from the words alone: in this process.
    monkeypatch.chdir(app)
    assert main(["--database-url", home.url, "run", "--", "no-such-program-xyz"]) == 127
    capsys.readouterr()


# The rest runs the entry point in this process, as most CLI tests do: what they check is
# what the command prints and its status, which a child adds nothing to (the tests above
# keep the child where it matters: streamed output, a terminal, the time limit's kill).


def test_history_lists_and_searches_past_runs(
    home: Home, app: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(app)
    url = ["--database-url", home.url]
    assert main([*url, "run", "--", "echo", "first"]) == 0
    assert main([*url, "run", "--", "echo", "second"]) == 0
    capsys.readouterr()
    assert main([*url, "run", "history", "--json", "--search", "first"]) == 0
    assert [r["command"] for r in json.loads(capsys.readouterr().out)] == ["echo first"]
    assert main([*url, "run", "history"]) == 0
    out = capsys.readouterr().out
    assert "echo second" in out and "echo first" in out


def test_nothing_to_run_and_no_project_are_said_in_words(
    home: Home, app: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = ["--database-url", home.url]
    monkeypatch.chdir(app)
    assert main([*url, "run"]) == exit_codes.ERROR
    assert "What should run?" in capsys.readouterr().err
    monkeypatch.chdir(home.root)
    assert main([*url, "run", "--", "true"]) == exit_codes.ERROR
    assert "Which project?" in capsys.readouterr().err


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_env_set_list_rm_never_prints_a_secret(
    home: Home,
    app: Path,
    memory: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(app)
    url = ["--database-url", home.url]
    assert main([*url, "env", "set", "MODE", "debug"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cr3t-token\n"))
    assert main([*url, "env", "set", "TOKEN", "--secret"]) == 0
    assert main([*url, "env", "list"]) == 0
    out = capsys.readouterr().out
    assert "TOKEN  ••••   yes" in out and "MODE   debug" in out and "s3cr3t" not in out
    assert main([*url, "env", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(v["name"], v["value"]) for v in listed] == [("MODE", "debug"), ("TOKEN", "••••")]
    # A secret on the command line would stay in the shell's history: refused.
    assert main([*url, "env", "set", "TOKEN", "plain-sight", "--secret"]) == exit_codes.ERROR
    assert "shell's history" in capsys.readouterr().err
    # Applied to a run, and masked in what it prints.
    assert main([*url, "run", "--", "sh", "-c", "echo $MODE $TOKEN"]) == 0
    assert capsys.readouterr().out == "debug ••••\n"
    assert main([*url, "env", "rm", "TOKEN"]) == 0
    assert memory.passwords == {}
