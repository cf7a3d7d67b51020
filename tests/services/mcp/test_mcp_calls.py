"""What chat gets from MCP: tool definitions from the last check, calling a tool for real
(fast, failing, slow past its timeout, a large result cut with a note), a resource's text,
and a server's prompt imported into the library with typed variables.

Each stdio server start costs about a CPU-second (the SDK's import), so each test starts
only the processes its point needs: the check whose answer the tests stand on runs once per
module, for real, and each test records that answer on its own server row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import anyio
import pytest
from sqlalchemy import event

from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.mcp import call_tool, import_prompt, read_resource, tool_definitions
from promptterm.services.mcp.probe import Probe, probe
from promptterm.services.mcp.spec import ServerSpec
from promptterm.services.mcp.tool_source import tool_resolver
from support.mcp_fixtures import TOKEN, HttpServer, stdio_command

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture(params=["sqlite"])
def db_backend(request: pytest.FixtureRequest) -> str:
    """SQLite only: what is tested is talking to the server; the server rows these read are
    stored and guarded on PostgreSQL in test_mcp_registry.py, test_mcp_checks.py (a real
    check's tools, prompts and resources) and test_mcp_rls.py."""
    return str(request.param)


@pytest.fixture(scope="module")
def checked() -> Probe:
    """What a real check of the stdio test server finds (the server is stateless: any start
    of it answers the same)."""
    command, args = stdio_command()
    spec = ServerSpec(uuid.uuid4(), "local", "stdio", command, tuple(args))
    found = anyio.run(probe, spec, 60.0)
    assert found.ok, found.error
    return found


@pytest.fixture
def local(services: Services, checked: Probe) -> str:
    """The stdio test server registered and checked (the module's check, recorded as
    check_server records its own)."""
    made = services.mcp.add_stdio("local", *stdio_command())
    assert services.mcp.record(made.id, checked).status == "active"
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
    # A process of its own for each call: one that answers, one stopped at its timeout.
    # (What a result becomes, an error or one cut, is the same code whichever the transport:
    # the next test, on the shared HTTP server; a large result over a pipe: test_mcp_pool.)
    ctx = services.ctx
    assert anyio.run(call_tool, ctx, local, "add", {"a": 2, "b": 40}, 60.0).text == "42"
    slow = anyio.run(call_tool, ctx, local, "slow", {"seconds": 30}, 2.0)
    assert slow.is_error and slow.text == "The tool slow did not answer within 2 s."


def test_calling_tools_over_http_and_reading_a_resource(
    services: Services, mcp_http: HttpServer
) -> None:
    ctx = services.ctx
    services.mcp.add_http("hosted", mcp_http.url, headers={"Authorization": f"Bearer {TOKEN}"})
    result = anyio.run(call_tool, ctx, "hosted", "add", {"a": 1, "b": 1}, 60.0)
    assert (result.text, result.is_error) == ("2", False)
    failed = anyio.run(call_tool, ctx, "hosted", "fail", {}, 60.0)
    assert failed.is_error and "fail" in failed.text
    big = anyio.run(call_tool, ctx, "hosted", "big", {"size": 250_000}, 60.0)
    assert big.truncated and not big.is_error
    assert big.text.endswith("[… result cut: showing 100,000 of 250,000 characters]")
    text = anyio.run(read_resource, ctx, "hosted", "notes://readme")
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
