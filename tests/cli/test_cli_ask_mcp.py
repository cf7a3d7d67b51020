"""`promptterm ask --tools SERVER` end to end, nothing faked: the real command, a server
registered with `mcp add`, the SDK test server over stdio and over streamable HTTP, and the
loopback LLM server asking for the tool in OpenAI's format and in Anthropic's. What the
model is sent back is read from the LLM server's requests.

The ask runs in a child process where the process is part of the point: the whole path
from a shell (over stdio), a tool server the command must stop, an input that is not a
terminal, a resource read by the command's own server process. Elsewhere it runs through
the in-process entry point, as the registrations before an ask do (`mcp add --check`,
`provider add`, a preset), on the same folders: each child spared is a Python start and the
MCP client's import (together ~2 s of CPU). The stdio server is registered and checked once
per module, into a database each test gets a copy of (a check starts the SDK server, about
a CPU-second). The commands themselves, in a child, are test_cli_mcp.py's and
test_cli.py's business."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from promptterm.cli.main import main
from support.cli_process import CEILING, Home, MigratedSqlite, promptterm_command
from support.llm_server import LLMServer, Script
from support.mcp_fixtures import TOKEN, HttpServer, stdio_command

TESTS = Path(__file__).parents[1]


# A loaded test machine can take longer than the default 10 s to start the SDK server;
# how long is not what these tests check (the timeout tests set their own).
START_TIMEOUT = "--timeout=120"


def add_call(a: int, b: int, name: str = "local__add") -> dict[str, str]:
    return {"id": "call_1", "name": name, "arguments": json.dumps({"a": a, "b": b})}


@pytest.fixture
def home(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Home:
    home = Home(tmp_path)
    migrated_sqlite(home.data_dir / "promptterm.db")
    return home


@pytest.fixture(autouse=True)
def _llm_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The provider's key, for the asks run in this process (a child gets it from ``cli``)."""
    monkeypatch.setenv("LLM_KEY", "sk-test-loopback")


@pytest.fixture(scope="module")
def checked_local(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: MigratedSqlite
) -> Iterator[Path]:
    """A database with the stdio test server registered and checked (healthy, its tools
    listed), made once for the module; ``register_stdio`` gives a test a copy of it."""
    root = tmp_path_factory.mktemp("checked-local")
    path = root / "data" / "promptterm.db"
    url = migrated_sqlite(path)
    command, args = stdio_command()
    with pytest.MonkeyPatch.context() as env:
        # Module-scoped, so before the tests' own folders are set: folders of its own.
        env.setenv("PROMPTTERM_CONFIG_DIR", str(root / "config"))
        env.setenv("PROMPTTERM_DATA_DIR", str(root / "data"))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(
                ["--database-url", url, "mcp", "add", "local", "--command", command,
                 *[f"--arg={a}" for a in args], "--check", START_TIMEOUT]
            )  # fmt: skip
    assert code == 0 and "healthy" in out.getvalue(), out.getvalue()
    yield path


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


def cli(home: Home, *argv: str, **extra: str) -> tuple[int, str, str]:
    """The command with the test keyring (a file in the home), its input not a terminal."""
    env = home.env(
        PYTHONPATH=str(TESTS),
        PYTHON_KEYRING_BACKEND="support.file_keyring.FileKeyring",
        PROMPTTERM_TEST_KEYRING=str(home.root / "keyring.json"),
        LLM_KEY="sk-test-loopback",
        **extra,
    )
    done = subprocess.run(
        promptterm_command(*argv),
        env=env,
        cwd=home.root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=CEILING,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def here(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The command through the in-process entry point, on the test's folders."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def setup(home: Home, *argv: str) -> str:
    """A step before the ask, in this process, on the folders the child uses (the autouse
    environment points at the test's tmp_path, the home's root); what it printed."""
    assert os.environ["PROMPTTERM_CONFIG_DIR"] == str(home.config_dir)
    assert os.environ["PROMPTTERM_DATA_DIR"] == str(home.data_dir)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    assert code == 0, (argv, out.getvalue())
    return out.getvalue()


def register_stdio(home: Home, checked_local: Path) -> None:
    """`mcp add local --command ... --check` on the home's database: a copy of the module's."""
    shutil.copyfile(checked_local, home.data_dir / "promptterm.db")


def register_provider(home: Home, llm: LLMServer, kind: str = "openai-compatible") -> None:
    url = llm.openai_url if kind == "openai-compatible" else llm.url
    if kind == "anthropic":  # the Free plan sends to OpenAI-compatible providers only
        setup(home, "billing", "plan", "set", "pro")
    argv = ["provider", "add", "local-llm", "--kind", kind, "--base-url", url]
    model = "test-model" if kind == "openai-compatible" else "claude-test"
    setup(home, *argv, "--model", model, "--key-env", "LLM_KEY")


def tool_results(body: Any) -> list[dict[str, Any]]:
    """What the model was sent back for its calls, in either API's shape."""
    found: list[dict[str, Any]] = []
    for message in body.get("messages") or []:
        if message.get("role") == "tool":
            found.append({"text": message["content"], "is_error": None})
        content = message.get("content")
        if isinstance(content, list):
            for block in content:
                if block.get("type") == "tool_result":
                    text = block["content"]
                    if isinstance(text, list):
                        text = "".join(part.get("text", "") for part in text)
                    found.append({"text": text, "is_error": block.get("is_error", False)})
    return found


def test_ask_over_stdio_runs_the_tool_and_answers(
    home: Home, llm: LLMServer, checked_local: Path
) -> None:
    register_stdio(home, checked_local)
    register_provider(home, llm)
    llm.push(Script(text="", tool_calls=[add_call(2, 40)]), Script(text="The sum is 42."))
    code, out, err = cli(home, "ask", "what is 2+40?", "--tools", "local", "--approve")
    assert code == 0, err
    assert out.startswith("The sum is 42.\n")
    assert "[tool] local:add" in err and "(approved by --approve)" in err
    assert "[tool result] local:add: 42" in err
    offered = [t["function"]["name"] for t in llm.requests[0].body["tools"]]
    assert sorted(offered) == ["local__add", "local__big", "local__fail", "local__slow"]
    assert tool_results(llm.requests[1].body) == [{"text": "42", "is_error": None}]


@pytest.mark.usefixtures("memory_keyring")
def test_ask_over_http_in_anthropic_format_sends_a_failing_tools_error_to_the_model(
    home: Home,
    llm: LLMServer,
    mcp_http: HttpServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In this process (the token in its keyring): what is tested is what the model is sent.
    monkeypatch.setenv("MCP_HEADER_AUTHORIZATION", f"Bearer {TOKEN}")
    code, out, err = here(
        capsys, "mcp", "add", "hosted", "--url", mcp_http.url, "--header", "Authorization",
        "--check", START_TIMEOUT,
    )  # fmt: skip
    assert code == 0 and "healthy" in out, out + err
    register_provider(home, llm, "anthropic")
    fail = {"id": "toolu_1", "name": "hosted__fail", "arguments": '{"reason": "disk on fire"}'}
    add = {"id": "toolu_2", "name": "hosted__add", "arguments": '{"a": 1, "b": 2}'}
    llm.push(Script(text="", tool_calls=[fail, add]), Script(text="One failed, 1+2 is 3."))
    code, out, err = here(capsys, "ask", "try both", "--tools", "hosted", "--approve")
    assert code == 0, err
    assert out.startswith("One failed, 1+2 is 3.\n")
    failed, added = tool_results(llm.requests[1].body)
    # The SDK server words the exception itself; it comes back marked as an error.
    assert failed == {"text": "Error executing tool fail", "is_error": True}
    assert added == {"text": "3", "is_error": False}
    assert "[tool error] hosted:fail" in err


def test_a_tool_past_the_timeout_is_stopped_and_the_model_told(
    home: Home, llm: LLMServer, checked_local: Path
) -> None:
    home.config_dir.mkdir(parents=True, exist_ok=True)
    (home.config_dir / "config.toml").write_text("[tools]\ntimeout = 2\n", encoding="utf-8")
    register_stdio(home, checked_local)
    register_provider(home, llm)
    slow = {"id": "call_1", "name": "local__slow", "arguments": '{"seconds": 60}'}
    llm.push(Script(text="", tool_calls=[slow]), Script(text="It took too long."))
    code, out, err = cli(home, "ask", "wait", "--tools", "local:slow", "--approve")
    assert code == 0, err
    assert out.startswith("It took too long.\n")
    [result] = tool_results(llm.requests[1].body)
    assert "2 s" in result["text"], result
    assert [t["function"]["name"] for t in llm.requests[0].body["tools"]] == ["local__slow"]


def test_without_a_terminal_and_without_approve_the_call_is_refused(
    home: Home, llm: LLMServer, checked_local: Path
) -> None:
    register_stdio(home, checked_local)
    register_provider(home, llm)
    llm.push(Script(text="", tool_calls=[add_call(2, 2)]), Script(text="I may not add."))
    code, out, err = cli(home, "ask", "2+2?", "--tools", "local")
    assert code == 0, err
    assert "refused the tool call local:add" in err and "--approve" in err
    [result] = tool_results(llm.requests[1].body)
    assert "denied" in result["text"]
    assert out.startswith("I may not add.\n")


def test_an_unregistered_server_is_refused_before_any_thread(
    home: Home, llm: LLMServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Refused from the registry alone, before any server or model: in this process.
    register_provider(home, llm)
    code, _, err = here(capsys, "ask", "hi", "--tools", "nowhere", "--approve")
    assert code != 0
    assert "no tool source called 'nowhere'" in err and "Register it as an MCP server" in err
    assert llm.requests == []
    code, out, err = here(capsys, "chat", "list", "--json")
    assert (code, json.loads(out)) == (0, []), err


def test_a_presets_tools_apply_to_a_new_thread_and_approve_covers_them(
    home: Home, llm: LLMServer, checked_local: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # In this process: what is tested is which tools the new thread offers.
    register_stdio(home, checked_local)
    register_provider(home, llm)
    setup(home, "component", "add", "role", "adder", "--content", "You add.")
    setup(home, "preset", "add", "sums", "--role", "adder")
    setup(home, "preset", "tools", "sums", "local:add")
    llm.push(Script(text="", tool_calls=[add_call(5, 6)]), Script(text="Eleven."))
    code, out, err = here(capsys, "ask", "5+6?", "--preset", "sums", "--approve")
    assert code == 0, err
    assert out.startswith("Eleven.\n")
    assert [t["function"]["name"] for t in llm.requests[0].body["tools"]] == ["local__add"]
    assert tool_results(llm.requests[1].body) == [{"text": "11", "is_error": None}]


def test_ask_attaches_a_resource_read_from_the_server(
    home: Home, llm: LLMServer, checked_local: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register_stdio(home, checked_local)
    register_provider(home, llm)
    llm.push(Script(text="Noted."))
    code, out, err = cli(home, "ask", "summarise", "--resource", "local:notes://readme")
    assert code == 0, err
    assert out.startswith("Noted.\n")
    sent = llm.requests[0].body["messages"][-1]["content"]
    assert sent.startswith('summarise\n\n<resource source="local:notes://readme">\n')
    assert sent.endswith("\n</resource>")
    # The refusals in this process: one from the server's answer, one from the words alone.
    code, _, err = here(capsys, "ask", "again", "--resource", "local:notes://nothing-here")
    assert code != 0 and "Could not read notes://nothing-here from local" in err
    code, _, err = here(capsys, "ask", "again", "--resource", "readme")
    assert code != 0 and "write SERVER:URI" in err
    assert len(llm.requests) == 1  # neither refusal reached the model
