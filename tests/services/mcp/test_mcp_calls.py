"""What chat gets from MCP: tool definitions from the last check, calling a tool for real
(fast, failing, slow past its timeout, a large result cut with a note), a resource's text,
and a server's prompt imported into the library with typed variables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio
import pytest
from sqlalchemy import event

from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.mcp import (
    call_tool,
    check_server,
    import_prompt,
    read_resource,
    tool_definitions,
)
from promptterm.services.mcp.tool_source import tool_resolver
from support.mcp_fixtures import TOKEN, HttpServer, stdio_command

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def local(services: Services) -> str:
    services.mcp.add_stdio("local", *stdio_command())
    info = anyio.run(check_server, services.mcp, "local", 60.0)
    assert info.status == "active", info.last_error
    return "local"


def test_tool_definitions_come_from_the_last_check(services: Services, local: str) -> None:
    every = tool_definitions(services.ctx, [local])
    assert sorted(d.name for d in every) == ["add", "big", "fail", "slow"]
    [add] = tool_definitions(services.ctx, ["local:add"])
    assert (add.server, add.description) == ("local", "Add two integers.")
    assert add.input_schema["required"] == ["a", "b"] and add.tokens > 0
    with pytest.raises(NotFound, match="has no tool 'nope'"):
        tool_definitions(services.ctx, ["local:nope"])
    services.mcp.set_enabled(local, False)
    with pytest.raises(ValidationError, match="disabled"):
        tool_definitions(services.ctx, [local])


def test_calling_tools_over_stdio(services: Services, local: str) -> None:
    ctx = services.ctx
    assert anyio.run(call_tool, ctx, local, "add", {"a": 2, "b": 40}, 60.0).text == "42"
    failed = anyio.run(call_tool, ctx, local, "fail", {}, 60.0)
    assert failed.is_error and "fail" in failed.text
    slow = anyio.run(call_tool, ctx, local, "slow", {"seconds": 30}, 2.0)
    assert slow.is_error and slow.text == "The tool slow did not answer within 2 s."
    big = anyio.run(call_tool, ctx, local, "big", {"size": 250_000}, 60.0)
    assert big.truncated and not big.is_error
    assert big.text.endswith("[… result cut: showing 100,000 of 250,000 characters]")


def test_calling_a_tool_over_http_and_reading_a_resource(
    services: Services, mcp_http: HttpServer
) -> None:
    services.mcp.add_http("hosted", mcp_http.url, headers={"Authorization": f"Bearer {TOKEN}"})
    result = anyio.run(call_tool, services.ctx, "hosted", "add", {"a": 1, "b": 1}, 60.0)
    assert (result.text, result.is_error) == ("2", False)
    text = anyio.run(read_resource, services.ctx, "hosted", "notes://readme")
    assert text.startswith("These are the test server's notes.")


def test_a_server_prompt_becomes_a_library_prompt_with_its_arguments_as_variables(
    services: Services, local: str
) -> None:
    made = import_prompt(services.ctx, local, "review")
    assert made.name == "local · review"
    variables = {v.name: v for v in made.variables}
    assert set(variables) == {"language", "focus"}
    assert variables["language"].required and not variables["focus"].required
    rendered = services.prompts.render(made.id, values={"language": "Go", "focus": "leaks"})
    assert "Review this Go code, looking for leaks." in rendered


@contextmanager
def server_reads(services: Services) -> Iterator[list[str]]:
    """The statements that read the mcp_servers table while the block runs."""
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM mcp_servers" in statement:
            seen.append(statement)

    engine = services.ctx.db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_send_reads_the_server_once_for_its_tools_and_once_per_call(
    services: Services, local: str
) -> None:
    # What a tool round trip costs that is MCP's own: the chat resolves the server and takes
    # its definitions from that read; a call reads it once (enabled? how to connect?).
    with server_reads(services) as seen:
        source = tool_resolver(lambda: services.ctx)(local)
        assert source is not None
        assert sorted(d.name for d in source.definitions()) == ["add", "big", "fail", "slow"]
    assert len(seen) == 1
    with server_reads(services) as seen:
        assert anyio.run(call_tool, services.ctx, local, "add", {"a": 1, "b": 2}, 60.0).text == "3"
    assert len(seen) == 1
