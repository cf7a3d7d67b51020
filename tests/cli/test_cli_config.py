"""`promptterm config path|show|edit`: where the files are, the settings in force, and the
config file opened in the user's $VISUAL / $EDITOR (a small script here)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from promptterm.cli.main import main
from support.cli_process import CEILING, Home, run_cli


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    home = Home(tmp_path)
    for name, value in home.env().items():
        monkeypatch.setenv(name, value)
    for name in ("NO_COLOR", "PROMPTTERM_DATABASE_URL", "VISUAL", "EDITOR", "TEXTUAL_LOG"):
        monkeypatch.delenv(name, raising=False)
    return home


def editor(tmp_path: Path, body: str) -> str:
    """An editor that records the file it was given and runs ``body`` on it ($1)."""
    script = tmp_path / "fake-editor"
    script.write_text(f'#!/bin/sh\necho "$1" >> "{tmp_path}/edited"\n{body}\n')
    script.chmod(0o755)
    return str(script)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_path_says_where_everything_is(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "path", "--json")
    assert code == 0
    assert json.loads(out) == {
        "config": str(home.config_dir / "config.toml"),
        "config_exists": False,
        "data": str(home.data_dir),
        "database": home.url,
        "database_from": "default",
        "log": None,
    }
    code, out, _ = run(capsys, "config", "path")
    assert f"config    {home.config_dir / 'config.toml'}  (not created yet" in out
    assert "log       none (set TEXTUAL_LOG=FILE" in out
    # Nothing was opened or created to say so.
    assert not home.data_dir.exists() and not home.config_dir.exists()


def test_path_hides_a_database_password(
    home: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMPTTERM_DATABASE_URL", "postgresql+psycopg://al:secret@db/pt")
    code, out, _ = run(capsys, "config", "path", "--json")
    assert code == 0
    assert json.loads(out)["database"] == "postgresql+psycopg://al:***@db/pt"
    assert "secret" not in out and json.loads(out)["database_from"] == "env"


def test_show_prints_the_settings_in_force(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    home.config_dir.mkdir(parents=True)
    (home.config_dir / "config.toml").write_text(
        '[ui]\ntheme = "nord"\n\n[keymap]\nchat-send = "ctrl+j,f5"\n\n'
        "[budget]\nmonthly_tokens = 500000\n"
    )
    shown = json.loads(run(capsys, "config", "show", "--json")[1])
    assert shown["ui"] == {"theme": "nord"}
    assert shown["keymap"] == {"chat-send": "ctrl+j,f5"}
    assert shown["budget"] == {"monthly_spend_usd": None, "monthly_tokens": 500000}
    assert shown["database"] == {"url": home.url, "from": "default"}
    # A flag wins over the file and the environment, and `show` says so.
    code, out, _ = run(capsys, "--database-url", "sqlite:////tmp/x.db", "config", "show")
    assert code == 0
    assert 'url = "sqlite:////tmp/x.db"  # from: flag' in out
    assert 'theme = "nord"' in out and 'chat-send = "ctrl+j,f5"' in out
    # What it prints is TOML a person could paste back (the comments aside).
    assert tomllib.loads(out)["budget"] == {"monthly_tokens": 500000}


def test_show_reports_a_broken_file_with_status_2(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    home.config_dir.mkdir(parents=True)
    (home.config_dir / "config.toml").write_text("[ui\n")
    code, out, err = run(capsys, "config", "show")
    assert code == 2 and out == ""
    assert "is not valid TOML" in err and "Traceback" not in err


def test_edit_creates_the_file_from_the_template_and_opens_it_in_editor(
    home: Home, tmp_path: Path
) -> None:
    # A real child process: the editor is started the way a person's would be.
    result = run_cli(home, "config", "edit", EDITOR=editor(tmp_path, ""))
    assert result.returncode == 0, result.stderr
    config = home.config_dir / "config.toml"
    assert (tmp_path / "edited").read_text() == f"{config}\n"
    text = config.read_text()
    assert text.startswith("# promptterm's settings.")
    assert "# monthly_tokens = 500000" in text
    # Every line is a comment or a table header: nothing is set until the user sets it.
    assert tomllib.loads(text) == {
        "database": {},
        "ui": {},
        "keymap": {},
        "tools": {},
        "budget": {},
        "mcp": {},
        "run": {"interpreters": {}},
    }
    assert '# python = "python3 -X dev {file}"' in text
    assert f"Saved {config}." in result.stdout


# The editor cases below differ from the one above only in the editor's settings and what
# it does: the command runs in this process (each child spared is a Python start, over a
# CPU-second); the editor is still a real process it starts.


def test_visual_wins_over_editor_and_may_carry_arguments(
    home: Home,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visual = editor(tmp_path, 'printf "[ui]\\ntheme = \\"nord\\"\\n" > "$2"')
    monkeypatch.setenv("VISUAL", f"{visual} --wait")
    monkeypatch.setenv("EDITOR", "false")
    code, _, err = run(capsys, "config", "edit")
    assert code == 0, err
    # The editor got its own argument first, then the file; what it wrote is kept.
    config = home.config_dir / "config.toml"
    assert (tmp_path / "edited").read_text() == "--wait\n"
    assert tomllib.loads(config.read_text()) == {"ui": {"theme": "nord"}}


def test_edit_keeps_an_existing_file_and_says_when_the_result_is_broken(
    home: Home,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home.config_dir.mkdir(parents=True)
    config = home.config_dir / "config.toml"
    config.write_text('[ui]\ntheme = "nord"\n')
    monkeypatch.setenv("EDITOR", editor(tmp_path, 'echo "[ui" >> "$1"'))
    code, _, err = run(capsys, "config", "edit")
    assert code == 1
    assert config.read_text() == '[ui]\ntheme = "nord"\n[ui\n'
    assert "is not valid TOML" in err and "promptterm config edit" in err


def test_an_editor_that_fails_is_reported(
    home: Home,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, "exit 3"))
    code, _, err = run(capsys, "config", "edit")
    assert code == 1
    assert "exited with status 3" in err


def test_config_works_when_the_database_cannot_be_opened(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--database-url", "postgresql://me@127.0.0.1:1/x", "config", "path")
    assert code == 0 and "postgresql://me@127.0.0.1:1/x" in out


@pytest.mark.parametrize("argv", [("config", "path"), ("config", "show"), ("completion", "bash")])
def test_commands_without_a_database_load_no_database_modules(
    home: Home, argv: tuple[str, ...]
) -> None:
    # A fresh interpreter: what this one has imported says nothing about the command.
    probe = (
        "import contextlib, io, sys\n"
        "from promptterm.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({list(argv)!r})\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'textual', 'httpx', 'keyring')\n"
        "print(code, [m for m in heavy if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=home.env(),
        capture_output=True,
        text=True,
        timeout=CEILING,
        check=False,
    )
    assert result.stdout == "0 []\n", result.stderr
