"""`promptterm ask --tools NAME[:TOOL] --approve` end to end: the real CLI entry point, a
SQLite file, the loopback LLM server, and a ToolSource of plain functions connected through
the registry hook (the MCP side's test double)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from promptterm.cli.main import main
from promptterm.services.chat.tools.registry import set_tool_resolver
from support.llm_server import LLMServer, Script
from support.tool_sources import FunctionTools, read_file

CALL = {"id": "call_1", "name": "files__read", "arguments": '{"path": "a\\u001b[2J.md"}'}


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> Iterator[FunctionTools]:
    source = FunctionTools("files", read=read_file)
    # In place of the MCP registry the CLI connects at start (tests/cli/test_cli_ask_mcp.py
    # runs that one for real).
    monkeypatch.setattr(
        "promptterm.cli.main.connect_chat_tools",
        lambda get_ctx: set_tool_resolver(lambda name: source if name == "files" else None),
    )
    yield source
    set_tool_resolver(None)


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def local(capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer) -> None:
    code, _, err = run(
        capsys, url, "provider", "add", "local", "--kind", "openai-compatible",
        "--base-url", llm.openai_url, "--model", "test-model",
    )  # fmt: skip
    assert code == 0, err


class Terminal(io.StringIO):
    """Standard input that is a terminal, with the user's answers typed in advance."""

    def isatty(self) -> bool:
        return True


def test_approve_runs_the_tool_and_prints_the_answer(
    capsys: pytest.CaptureFixture[str], url: str, local: None, llm: LLMServer, files: FunctionTools
) -> None:
    llm.push(Script(text="", tool_calls=[CALL]), Script(text="It is a file."))
    code, out, err = run(capsys, url, "ask", "read a", "--tools", "files", "--approve")
    assert code == 0, err
    assert out == "It is a file.\n"
    assert files.calls == [("read", {"path": "a\x1b[2J.md"})]
    assert "[tool] files:read" in err and "(approved by --approve)" in err
    assert "\x1b" not in err  # the model's arguments never reach the terminal raw
    assert "[tool result] files:read: contents of a" in err


def test_without_a_terminal_and_without_approve_calls_are_refused_in_words(
    capsys: pytest.CaptureFixture[str],
    url: str,
    local: None,
    llm: LLMServer,
    files: FunctionTools,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    llm.push(Script(text="", tool_calls=[CALL]), Script(text="I could not read it."))
    code, out, err = run(capsys, url, "ask", "read a", "--tools", "files:read")
    assert code == 0, err
    assert files.calls == []
    assert "refused the tool call files:read" in err and "pass --approve" in err
    assert out == "I could not read it.\n"


@pytest.mark.parametrize(("typed", "runs"), [("y\n", 1), ("n\n", 0), ("what\na\n", 1)])
def test_on_a_terminal_the_user_is_asked(
    capsys: pytest.CaptureFixture[str],
    url: str,
    local: None,
    llm: LLMServer,
    files: FunctionTools,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    runs: int,
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal(typed))
    llm.push(Script(text="", tool_calls=[CALL]), Script(text="ok"))
    code, _, err = run(capsys, url, "ask", "read a", "--tools", "files", "--json")
    assert code == 0, err
    assert len(files.calls) == runs
    assert "Run it? [y]es once, [a]lways in this thread, [n]o" in err
    if typed.startswith("what"):
        assert "Answer y, a or n." in err


def test_an_unknown_tool_source_is_a_clear_error_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str], url: str, local: None, llm: LLMServer, files: FunctionTools
) -> None:
    code, _, err = run(capsys, url, "ask", "hi", "--tools", "nosuch", "--approve")
    assert code != 0 and "no tool source called 'nosuch'" in err
    assert llm.requests == []
    code, _, err = run(capsys, url, "ask", "hi", "--tools", "files:nope", "--approve")
    assert code != 0 and "has no tool called 'nope'" in err
    assert llm.requests == []


def test_the_cli_connects_the_mcp_registry_so_an_unregistered_name_says_so(
    capsys: pytest.CaptureFixture[str], url: str, local: None, llm: LLMServer
) -> None:
    code, _, err = run(capsys, url, "ask", "hi", "--tools", "files")
    assert code != 0 and "Register it as an MCP server first" in err
    assert llm.requests == []


def test_the_cap_on_rounds_is_reported(
    capsys: pytest.CaptureFixture[str],
    url: str,
    local: None,
    llm: LLMServer,
    files: FunctionTools,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[tools]\nmax_rounds = 1\n")
    monkeypatch.setattr("promptterm.locations.config_file", lambda: config)
    llm.push(Script(text="", tool_calls=[CALL]))
    code, out, err = run(capsys, url, "ask", "read", "--tools", "files", "--approve", "--json")
    assert code == 1 and "Stopped after 1 tool round," in err
    assert "Stopped after 1 tool round," in json.loads(out)["notice"]
    assert files.calls == []


def test_a_presets_tools_are_set_printed_and_cleared(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    assert run(capsys, url, "component", "add", "role", "Helper", "--content", "Help.")[0] == 0
    assert run(capsys, url, "preset", "add", "Reader", "--role", "Helper")[0] == 0
    code, out, err = run(capsys, url, "preset", "tools", "Reader", "files", "web:search")
    assert code == 0, err
    assert out == "Reader: files, web:search\n"
    listed = json.loads(run(capsys, url, "preset", "tools", "Reader", "--json")[1])
    assert listed == {"preset": "Reader", "tools": ["files", "web:search"]}
    code, _, err = run(capsys, url, "preset", "tools", "Reader", "bad name!")
    assert code != 0 and "is not a tool source" in err
    assert run(capsys, url, "preset", "tools", "Reader", "--clear")[1] == "Reader: none\n"
