"""Health checks against a real MCP server (the SDK's, tests/support/mcp_server.py) over
stdio and streamable HTTP, and every way a check fails, said in words."""

from __future__ import annotations

import socket
import sys
import time
from typing import Any

import anyio
import pytest

from promptterm.services.facade import Services
from promptterm.services.mcp import check_server, run_checks
from promptterm.services.mcp.probe import Probe
from promptterm.services.mcp.spec import ServerSpec
from support.mcp_fixtures import TOKEN, HttpServer, stdio_command
from support.waiting import CEILING

pytestmark = pytest.mark.usefixtures("memory_keyring")

# For what a check finds and how it says so, not for how the row is stored: the stored check
# is test_mcp_registry.py's on both backends, and the first test below stores a real one's
# tools, prompts and resources on both. (Each of these starts a process, some the SDK server.)
SQLITE_ONLY = pytest.mark.parametrize("db_backend", ["sqlite"])


def test_a_stdio_server_is_checked_with_everything_it_offers(services: Services) -> None:
    command, args = stdio_command()
    services.mcp.add_stdio("local", command, args)
    info = anyio.run(check_server, services.mcp, "local", 60.0)
    assert info.status == "active", info.last_error
    assert info.last_error is None and info.latency_ms is not None
    assert info.server_version == "promptterm-test 1.2.3"
    assert info.protocol_version
    assert (info.tool_count, info.prompt_count, info.resource_count) == (4, 1, 1)
    assert sorted(t.name for t in info.tools) == ["add", "big", "fail", "slow"]
    assert info.tools_tokens == sum(t.tokens for t in info.tools) > 0
    [review] = info.prompts
    assert review.arguments == (("language", "", True), ("focus", "", False))
    assert [r.uri for r in info.resources] == ["notes://readme"]
    assert info.last_health_check == services.ctx.now()
    assert [c.status for c in services.mcp.history("local")] == ["active"]


@SQLITE_ONLY
def test_the_latency_is_the_servers_answer_not_its_shutdown(services: Services) -> None:
    # The server takes at least LINGER seconds to exit once its input closes; the row's
    # latency is the time to everything listed, so it leaves that shutdown out.
    linger = 0.5
    services.mcp.add_stdio("slow-exit", *stdio_command("--linger", str(linger)))
    started = time.perf_counter()
    info = anyio.run(check_server, services.mcp, "slow-exit", 60.0)
    total_ms = (time.perf_counter() - started) * 1000
    assert info.status == "active", info.last_error
    assert info.latency_ms is not None
    assert info.latency_ms <= total_ms - linger * 1000


def test_the_next_check_starts_while_an_answered_server_shuts_down(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One check at a time: "first" has answered and is still exiting (an SDK server takes
    # ~1 s), and it exits only once "second" has started. Holding the slot until the exit
    # would wait for ever (here: until the ceiling).
    started: dict[str, anyio.Event] = {}
    order: list[str] = []

    async def probe(spec: ServerSpec, timeout: float, on_listed: Any = None) -> Probe:
        for name in ("first", "second"):
            started.setdefault(name, anyio.Event())
        order.append(f"{spec.name} answered")
        started[spec.name].set()
        if on_listed is not None:
            on_listed()
        if spec.name == "first":
            with anyio.fail_after(CEILING):
                await started["second"].wait()
        order.append(f"{spec.name} closed")
        return Probe(ok=True, latency_ms=1)

    monkeypatch.setattr("promptterm.services.mcp.checks.probe", probe)
    for name in ("first", "second"):
        services.mcp.add_stdio(name, *stdio_command())
    infos = run_checks(services.mcp, ["first", "second"], concurrency=1)
    assert [i.status for i in infos] == ["active", "active"]
    assert order == ["first answered", "second answered", "second closed", "first closed"]


def test_an_http_server_is_checked_with_the_bearer_token_from_the_keyring(
    services: Services, mcp_http: HttpServer
) -> None:
    services.mcp.add_http("hosted", mcp_http.url, headers={"Authorization": f"Bearer {TOKEN}"})
    services.mcp.add_http("tokenless", mcp_http.url)
    [hosted, tokenless] = run_checks(services.mcp, ["hosted", "tokenless"], timeout=60.0)
    assert hosted.status == "active", hosted.last_error
    assert hosted.tool_count == 4
    assert tokenless.status == "error"
    assert tokenless.last_error == (
        "refused: HTTP 401 unauthorized (check the Authorization header's token)"
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("register", "words"),
    [
        (lambda m: m.add_stdio("x", "no-such-command-here"), "command not found: no-such-command"),
        (
            lambda m: m.add_stdio("x", *stdio_command("--crash", "3")),
            "exited with code 3 at initialize — stderr: test server: refusing to start",
        ),
        (
            lambda m: m.add_stdio("x", sys.executable, ["-c", "print('hello'); input()"]),
            "not an MCP server",
        ),
        (lambda m: m.add_stdio("x", "cat"), "not an MCP server"),
        (
            lambda m: m.add_http("x", f"http://127.0.0.1:{_closed_port()}/mcp"),
            "connection refused at http://127.0.0.1:",
        ),
    ],
    ids=["missing", "crash", "prints-text", "echo", "refused"],
)
def test_a_failing_server_says_why(services: Services, register: object, words: str) -> None:
    register(services.mcp)  # type: ignore[operator]
    info = anyio.run(check_server, services.mcp, "x", 60.0)
    assert info.status == "error"
    assert words in (info.last_error or ""), info.last_error


@SQLITE_ONLY
def test_a_server_that_hangs_at_initialize_times_out_in_words(services: Services) -> None:
    # It reads its input and never answers; it ends when its input does (one that ignored
    # that too would add the SDK's 2 s shutdown grace, which is not what is tested here).
    services.mcp.add_stdio("x", sys.executable, ["-c", "import sys; sys.stdin.read()"])
    info = anyio.run(check_server, services.mcp, "x", 1.0)
    assert info.last_error == "timed out at initialize after 1 s"
