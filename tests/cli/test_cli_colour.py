"""Colour in the command's output: on a terminal only, and never when NO_COLOR is set
(no-color.org) or TERM is dumb. The output is a real pseudo-terminal, a child's or this
process's."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.cli.main import main
from support.cli_in_process import run_on_terminal
from support.cli_process import Home, MigratedSqlite, run_cli, run_cli_on_terminal

DIFF = ("file", "diff", "app.py", "1")


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: MigratedSqlite
) -> tuple[Home, Path]:
    """A bound folder whose app.py has two versions."""
    home = Home(tmp_path_factory.mktemp("colour"))
    migrated_sqlite(home.data_dir / "promptterm.db")
    folder = home.root / "site"
    folder.mkdir()
    (folder / "app.py").write_text("print('hi')\n")
    assert main(["--database-url", home.url, "open", str(folder), "--no-ui"]) == 0
    (folder / "app.py").write_text("print('\x1b[31m two')\n")  # an escape of its own
    assert main(["--database-url", home.url, "open", str(folder), "--no-ui"]) == 0
    return home, folder


def test_a_diff_on_a_terminal_is_coloured(site: tuple[Home, Path]) -> None:
    home, folder = site
    code, out, err = run_cli_on_terminal(home, *DIFF, cwd=folder)
    assert code == 0, err
    assert "\x1b[31m-print('hi')\x1b[0m" in out
    # The file's own escape is shown, never passed on, even inside our colour.
    assert "\x1b[32m+print('^[[31m two')\x1b[0m" in out
    assert "\x1b[36m@@" in out


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "dumb"])
def test_no_colour_when_the_user_says_so(
    site: tuple[Home, Path],
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The same terminal as the child's above, with the command in this process: the case
    # differs only in a setting, and a child is a Python start (over a CPU-second).
    home, folder = site
    monkeypatch.chdir(folder)
    terminal_env = home.env(**{"TERM": "xterm-256color", **env})
    code, out = run_on_terminal(monkeypatch, terminal_env, "--database-url", home.url, *DIFF)
    assert code == 0, capsys.readouterr().err
    assert "-print('hi')" in out
    assert "\x1b" not in out


def test_no_colour_into_a_pipe(site: tuple[Home, Path]) -> None:
    home, folder = site
    result = run_cli(home, *DIFF, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "-print('hi')\n+print('^[[31m two')\n" in result.stdout
    assert "\x1b" not in result.stdout
