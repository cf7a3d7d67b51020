"""`promptterm mcp ...` in a child process, against the real MCP test server; a planted
token never reaches the database file or any --json output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptterm.cli.main import main
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


def test_register_check_list_call_and_remove(home: Home, mcp_http: HttpServer) -> None:
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
    code, out, err = mcp(
        home,
        "add",
        "hosted",
        "--url",
        mcp_http.url,
        "--header",
        "Authorization",
        "--json",
        MCP_HEADER_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert code == 0, err
    assert json.loads(out)["header_names"] == ["Authorization"]

    code, out, err = mcp(home, "check", "--json", START_TIMEOUT)
    assert code == 0, err
    assert [(s["name"], s["status"]) for s in json.loads(out)] == [
        ("hosted", "active"),
        ("local", "active"),
    ]
    code, out, _ = mcp(home, "call", "hosted", "add", "--arg", "a=20", "--arg", "b=22")
    assert (code, out) == (0, "42\n")
    code, out, _ = mcp(home, "call", "local", "fail")
    assert code == 1 and "fail" in out

    outputs = [out]
    for argv in (("list", "--json"), ("show", "hosted", "--json"), ("tools", "--json")):
        code, out, err = mcp(home, *argv)
        assert code == 0, err
        outputs.append(out)
    # The secrets are in the keyring and nowhere else: not in the database, not in JSON.
    stored = json.loads((home.root / "keyring.json").read_text())
    assert sorted(stored.values()) == sorted([f"Bearer {TOKEN}", ENV_SECRET])
    files = list(home.data_dir.glob("promptterm.db*"))
    assert files
    for secret in (TOKEN, ENV_SECRET):
        assert not any(secret.encode() in f.read_bytes() for f in files)
        assert not any(secret in text for text in outputs)

    assert mcp(home, "rm", "hosted")[0] == 0
    assert list(json.loads((home.root / "keyring.json").read_text()).values()) == [ENV_SECRET]


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
