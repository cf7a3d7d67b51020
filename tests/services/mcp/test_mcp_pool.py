"""The session pool behind the chat's tool calls, with the SDK test server over stdio: calls
share one server process (a large result too), a crashed server is replaced on the next
call, a timeout leaves the next call working, calls come from different threads' loops, and
closing the pool ends the server."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import anyio
import pytest

from promptterm.services.facade import Services
from promptterm.services.mcp import call_tool
from promptterm.services.mcp.pool import SessionPool
from services.keyring_backend import MemoryKeyring
from support.mcp_fixtures import stdio_command
from support.waiting import wait_until

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture(params=["sqlite"])
def db_backend(request: pytest.FixtureRequest) -> str:
    """SQLite only: what is tested is the pool's processes and sessions, which read a server's
    row once when a session opens; storing and guarding that row on PostgreSQL is
    test_mcp_registry.py's and test_mcp_rls.py's business. (Each variant here starts the SDK
    server two or three times, about a second of CPU apiece.)"""
    return str(request.param)


@pytest.fixture
def mortal(services: Services) -> str:
    """Registered only: a call needs no check first (the chat's tool list does), and a check
    would be one more start of the server."""
    services.mcp.add_stdio("mortal", *stdio_command("--mortal"))
    return "mortal"


@pytest.fixture
def pool() -> Iterator[SessionPool]:
    made = SessionPool()
    yield made
    made.close()


def call(services: Services, pool: SessionPool, tool: str, timeout: float = 60.0, **kw: int):  # type: ignore[no-untyped-def]
    return anyio.run(call_tool, services.ctx, "mortal", tool, kw, timeout, pool)


def test_secrets_are_read_from_the_keyring_when_a_session_opens_not_per_call(
    services: Services, pool: SessionPool, memory_keyring: MemoryKeyring
) -> None:
    # A keyring lookup can cost more than the call (a secret service over D-Bus); a value
    # cannot change under a registered server, so an open session needs none.
    services.mcp.add_stdio("keyed", *stdio_command("--mortal"), env={"API_TOKEN": "s3cret"})
    reads: list[str] = []
    lookup = memory_keyring.get_password

    def counted(service: str, username: str) -> str | None:
        reads.append(username)
        return lookup(service, username)

    memory_keyring.get_password = counted  # type: ignore[method-assign]
    for a in (1, 2, 3):
        assert anyio.run(
            call_tool, services.ctx, "keyed", "add", {"a": a, "b": 1}, 60.0, pool
        ).text == str(a + 1)
    assert len(reads) == 1 and reads[0].endswith(":env:API_TOKEN")
    # A changed registration opens a new session, with the secrets read again.
    services.mcp.edit("keyed", args=stdio_command()[1])
    assert (
        anyio.run(call_tool, services.ctx, "keyed", "add", {"a": 5, "b": 1}, 60.0, pool).text == "6"
    )
    assert len(reads) == 2


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_calls_share_one_server_and_a_crash_is_replaced_on_the_next_call(
    services: Services, mortal: str, pool: SessionPool
) -> None:
    first = int(call(services, pool, "pid").text)
    assert call(services, pool, "add", a=2, b=3).text == "5"
    # A result far larger than a pipe's buffer comes through whole, then is cut with a note.
    big = call(services, pool, "big", size=250_000)
    assert big.truncated and not big.is_error
    assert big.text.endswith("[… result cut: showing 100,000 of 250,000 characters]")
    assert int(call(services, pool, "pid").text) == first  # no new process per call
    died = call(services, pool, "die")
    assert died.is_error and "die" in died.text
    wait_until(lambda: not alive(first), "the crashed server to be gone")
    assert call(services, pool, "add", a=1, b=1).text == "2"
    second = int(call(services, pool, "pid").text)
    assert second != first
    pool.close()
    wait_until(lambda: not alive(second), "the pool to end the server at close")


def test_a_timed_out_call_leaves_the_next_one_working(
    services: Services, mortal: str, pool: SessionPool
) -> None:
    slow = call(services, pool, "slow", 1.0, seconds=30)
    assert slow.is_error and slow.text == "The tool slow did not answer within 1 s."
    assert call(services, pool, "add", a=20, b=22).text == "42"


def test_calls_from_other_threads_use_the_same_pool(
    services: Services, mortal: str, pool: SessionPool
) -> None:
    answers: list[str] = []

    def worker(n: int) -> None:
        answers.append(call(services, pool, "add", a=n, b=n).text)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(answers) == ["0", "2", "4"]
