"""`promptterm mcp ...` against the real MCP test server, in a child process where the
process matters (secrets from its environment, servers it starts, its exit status) and in
this one otherwise; a planted token never reaches the database file or any --json output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from promptterm.cli.main import main
from support.cli_in_process import run, run_json
from support.cli_process import Home, MigratedSqlite, run_cli
from support.mcp_fixtures import TOKEN, HttpServer, stdio_command

TESTS = Path(__file__).parents[1]
ENV_SECRET = "env-secret-value-52b1e0"


# A loaded test machine can take longer than the default 10 s to start the SDK server;
# how long is not what these tests check (the timeout tests set their own).
START_TIMEOUT = "--timeout=120"


@pytest.fixture
def home(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Home:
    home = Home(tmp_path)
    migrated_sqlite(home.data_dir / "promptterm.db")
    return home


def mcp(home: Home, *argv: str, **env: str) -> tuple[int, str, str]:
    keyring_env = {
        "PYTHONPATH": str(TESTS),
        "PYTHON_KEYRING_BACKEND": "support.file_keyring.FileKeyring",
        "PROMPTTERM_TEST_KEYRING": str(home.root / "keyring.json"),
    }
    done = run_cli(home, "mcp", *argv, **keyring_env, **env)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def keyring_file(home: Home, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The children's keyring file, also this process's keyring for the steps run here."""
    import keyring

    from support.file_keyring import FileKeyring

    path = home.root / "keyring.json"
    monkeypatch.setenv("PROMPTTERM_TEST_KEYRING", str(path))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield path
    keyring.set_keyring(previous)


def test_register_check_list_call_and_remove(
    home: Home,
    mcp_http: HttpServer,
    keyring_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In a child: a registration that takes its secret from the process's environment and
    # checks the server it starts, and a check that reads both secrets back from the keyring
    # (the hosted server answers only with the token). The other steps need no process of
    # their own: they run in this process (each child is about 1.5 s of CPU), on the same
    # folders and keyring file.
    command, args = stdio_command()
    code, out, err = mcp(
        home,
        "add",
        "local",
        "--command",
        command,
        *[f"--arg={a}" for a in args],
        "--env",
        "DEMO_SECRET",
        "--check",
        START_TIMEOUT,
        DEMO_SECRET=ENV_SECRET,
    )
    assert code == 0, err
    assert out.startswith("Registered local: healthy,") and "4 tools" in out
    monkeypatch.setenv("MCP_HEADER_AUTHORIZATION", f"Bearer {TOKEN}")
    hosted = ["mcp", "add", "hosted", "--url", mcp_http.url, "--header", "Authorization"]
    assert run_json(capsys, home.url, *hosted)["header_names"] == ["Authorization"]
    monkeypatch.delenv("MCP_HEADER_AUTHORIZATION")

    code, out, err = mcp(home, "check", "--json", START_TIMEOUT)
    assert code == 0, err
    assert [(s["name"], s["status"]) for s in json.loads(out)] == [
        ("hosted", "active"),
        ("local", "active"),
    ]
    outputs = [out]
    code, out, _ = run(
        capsys, home.url, "mcp", "call", "hosted", "add", "--arg", "a=20", "--arg", "b=22"
    )
    assert (code, out) == (0, "42\n")
    code, out, _ = run(capsys, home.url, "mcp", "call", "local", "fail")
    assert code == 1 and "fail" in out
    outputs.append(out)

    for argv in (("list", "--json"), ("show", "hosted", "--json"), ("tools", "--json")):
        code, out, err = run(capsys, home.url, "mcp", *argv)
        assert code == 0, err
        outputs.append(out)
    # The secrets are in the keyring and nowhere else: not in the database, not in JSON.
    stored = json.loads(keyring_file.read_text())
    assert sorted(stored.values()) == sorted([f"Bearer {TOKEN}", ENV_SECRET])
    files = list(home.data_dir.glob("promptterm.db*"))
    assert files
    for secret in (TOKEN, ENV_SECRET):
        assert not any(secret.encode() in f.read_bytes() for f in files)
        assert not any(secret in text for text in outputs)

    assert run(capsys, home.url, "mcp", "rm", "hosted")[0] == 0
    assert list(json.loads(keyring_file.read_text()).values()) == [ENV_SECRET]


def test_a_failing_server_fails_the_check_with_words_and_status_1(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    # The registration and the two refusals hold no secret and start no server: they run
    # in this process (a child each cost about a second of CPU); the check runs in a child.
    url = ["--database-url", home.url]
    assert main([*url, "mcp", "add", "broken", "--command", "no-such-mcp-command"]) == 0
    code, out, err = mcp(home, "check")
    assert code == 1, err
    assert "command not found: no-such-mcp-command (not on PATH)" in out
    capsys.readouterr()
    assert main([*url, "mcp", "show", "nope"]) == 1
    assert "There is no MCP server 'nope'" in capsys.readouterr().err
    assert main([*url, "mcp", "add", "broken", "--url", "http://x.test/mcp"]) == 4
    assert "already have an MCP server called 'broken'" in capsys.readouterr().err
