"""`promptterm completion bash|zsh|fish`, sourced by the real shells: subcommands and options
from the parser, names from the database through `promptterm __complete KIND`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from promptterm.cli.main import main
from support.cli_process import CEILING, Home, MigratedSqlite, run_cli

WORKSPACES = ("Acme", "Beta Team")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: MigratedSqlite) -> Home:
    """A database holding a few names of each kind, and the scripts the CLI prints."""
    home = Home(tmp_path_factory.mktemp("completion"))
    migrated_sqlite(home.data_dir / "promptterm.db")
    seed = [
        *(["workspace", "create", name] for name in WORKSPACES),
        ["project", "create", "Web app", "--workspace", "acme"],
        ["component", "add", "role", "Marketing Expert", "-c", "You are a marketer."],
        ["preset", "add", "LinkedIn Pro", "--role", "Marketing Expert"],
    ]
    for argv in seed:
        assert main(["--database-url", home.url, *argv]) == 0
    # A program the scripts can run by name, as they would an installed `promptterm`.
    bin_dir = home.root / "bin"
    bin_dir.mkdir()
    program = bin_dir / "promptterm"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m promptterm "$@"\n')
    program.chmod(0o755)
    for shell in ("bash", "zsh", "fish"):
        result = run_cli(home, "completion", shell)
        assert result.returncode == 0, result.stderr
        (home.root / f"promptterm.{shell}").write_text(result.stdout)
    return home


# Completes the words given as arguments, the last one being the word under the cursor, the
# way bash's readline would call the function, and prints one candidate a line.
BASH_DRIVER = """
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_promptterm
printf '%s\\n' "${COMPREPLY[@]}"
"""


def bash_complete(home: Home, *words: str) -> list[str]:
    script = str(home.root / "promptterm.bash")
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "bash", script, "promptterm", *words],
        env=home.env(PATH=f"{home.root / 'bin'}:/usr/bin:/bin"),
        capture_output=True,
        text=True,
        timeout=CEILING,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_bash_script_is_registered_for_promptterm(home: Home) -> None:
    script = str(home.root / "promptterm.bash")
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", f'source "{script}"; complete -p promptterm'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "complete -F _promptterm promptterm", result.stderr


def test_bash_completes_subcommands_from_the_parser(home: Home) -> None:
    top = bash_complete(home, "")
    assert {"workspace", "project", "preset", "chat", "config", "completion"} <= set(top)
    assert "__complete" not in top
    assert bash_complete(home, "wo") == ["workspace"]
    assert bash_complete(home, "workspace", "member", "") == ["list", "add", "role", "rm"]
    assert bash_complete(home, "config", "") == ["path", "show", "edit"]
    assert bash_complete(home, "completion", "") == ["bash", "zsh", "fish"]


def test_bash_completes_options_and_their_fixed_values(home: Home) -> None:
    assert bash_complete(home, "--d") == ["--database-url"]
    assert bash_complete(home, "file", "diff", "app.py", "--s") == ["--side-by-side"]
    visibility = bash_complete(home, "project", "create", "x", "--visibility", "")
    assert visibility == ["private", "team", "public"]
    # An option's value is not taken for a positional or a subcommand.
    assert bash_complete(home, "workspace", "member", "add", "acme", "bob", "--role", "a") == [
        "admin"
    ]


def test_bash_completes_names_from_the_database(home: Home) -> None:
    assert bash_complete(home, "project", "list", "--workspace", "") == ["acme", "beta-team"]
    assert bash_complete(home, "project", "list", "-w", "b") == ["beta-team"]
    # bash splits --workspace=VALUE at the "=" before calling the function.
    assert bash_complete(home, "project", "list", "--workspace", "=", "a") == ["acme"]
    assert bash_complete(home, "open", ".", "--project", "") == ["web-app"]
    # Names with a space come back quoted for the command line.
    assert bash_complete(home, "preset", "show", "Li") == ["LinkedIn\\ Pro"]
    assert bash_complete(home, "preset", "add", "X", "--role", "") == ["Marketing\\ Expert"]
    # The first positional of `workspace rm` is a workspace; `workspace create`'s is new.
    assert bash_complete(home, "workspace", "rm", "") == ["acme", "beta-team"]
    assert bash_complete(home, "workspace", "create", "") == []


def test_bash_asks_the_database_the_line_names(
    home: Home, tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    other = migrated_sqlite(tmp_path / "other.db")
    assert main(["--database-url", other, "workspace", "create", "Gamma"]) == 0
    words = ("--database-url", other, "project", "list", "-w", "")
    assert bash_complete(home, *words) == ["gamma"]


def test_complete_prints_names_and_never_creates_a_database(tmp_path: Path) -> None:
    empty = Home(tmp_path)
    result = run_cli(empty, "__complete", "workspaces")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not (empty.data_dir / "promptterm.db").exists()
    assert run_cli(empty, "__complete", "nothing").returncode == 2


def test_complete_lists_each_kind(home: Home) -> None:
    lines = {
        kind: run_cli(home, "__complete", kind).stdout.splitlines()
        for kind in ("workspaces", "projects", "presets", "components")
    }
    assert lines == {
        "workspaces": ["acme\tAcme", "beta-team\tBeta Team"],
        "projects": ["web-app\tWeb app in Acme"],
        "presets": ["LinkedIn Pro\tpreset"],
        "components": ["Marketing Expert\trole"],
    }


def test_complete_lists_threads_by_the_id_chat_list_shows(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    home = Home(tmp_path)
    services_url = migrated_sqlite(home.data_dir / "promptterm.db")
    from promptterm.services.facade import Services

    services = Services.open(services_url)
    try:
        thread = services.chat.create_thread(title="Rate limits")
    finally:
        services.close()
    result = run_cli(home, "__complete", "threads")
    assert result.stdout.splitlines() == [f"{str(thread.id)[:8]}\tRate limits"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_runs_the_same_completion_through_bashcompinit(home: Home) -> None:
    # -D: no dump file. (-d /dev/null would make compinit move its dump over /dev/null.)
    driver = (
        "autoload -U compinit && compinit -u -D\n"
        f'source "{home.root / "promptterm.zsh"}"\n'
        "COMP_WORDS=(promptterm project list -w '')\n"
        "COMP_CWORD=4\n"
        "_promptterm\n"
        'print -l -- "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["zsh", "-f", "-c", driver],
        env=home.env(PATH=f"{home.root / 'bin'}:/usr/bin:/bin"),
        capture_output=True,
        text=True,
        timeout=CEILING,
        check=False,
    )
    assert result.stdout.split() == ["acme", "beta-team"], result.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_subcommands_options_and_names(home: Home) -> None:
    def fish_complete(line: str) -> list[str]:
        result = subprocess.run(
            [
                "fish",
                "--no-config",
                "-c",
                f"source {home.root / 'promptterm.fish'}; complete -C '{line}'",
            ],
            env=home.env(PATH=f"{home.root / 'bin'}:/usr/bin:/bin"),
            capture_output=True,
            text=True,
            timeout=CEILING,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return [row.split("\t")[0] for row in result.stdout.splitlines()]

    assert fish_complete("promptterm workspace member ") == ["add", "list", "rm", "role"]
    assert "--visibility" in fish_complete("promptterm project create x --")
    assert fish_complete("promptterm project list -w ") == ["acme", "beta-team"]
    assert fish_complete("promptterm preset show ") == ["LinkedIn Pro"]
