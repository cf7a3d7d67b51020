"""Fixtures for MCP tests: the SDK test server over stdio (its command line) and over
streamable HTTP on a free loopback port, and an in-memory keyring for the secrets.

tests/conftest.py loads this module as a plugin, so its fixtures are there for every test.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.mcp_zygote import SPAWN, socket_path
from support.waiting import wait_until

SERVER = Path(__file__).with_name("mcp_server.py")
TOKEN = "planted-secret-token-7f3a9c"


def stdio_command(*extra: str) -> tuple[str, list[str]]:
    """The command and arguments that start the test server over stdio: forked from a
    process that has imported the SDK already (support/mcp_zygote.py), on the pipes of the
    command started. A cold start, ~1.5 s of CPU, is what test_ui_chat_attach's server has."""
    return sys.executable, ["-I", "-S", str(SPAWN), socket_path(), "--stdio", *extra]


@dataclass(frozen=True)
class HttpServer:
    url: str
    token: str | None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def start_http(token: str | None = None) -> tuple[subprocess.Popen[bytes], HttpServer]:
    port = _free_port()
    argv = [sys.executable, str(SERVER), "--http", str(port)]
    if token:
        argv += ["--token", token]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(
            lambda: process.poll() is not None or _accepts(port), "the MCP test server to listen"
        )
    except BaseException:
        process.kill()
        raise
    assert process.poll() is None, "the MCP test server exited at start"
    return process, HttpServer(f"http://127.0.0.1:{port}/mcp", token)


@pytest.fixture(scope="session")
def mcp_http() -> Iterator[HttpServer]:
    """The test server over streamable HTTP, answering only with the bearer TOKEN.

    One per process (xdist worker), started by the first test that asks: its start (the
    SDK's import) costs about a CPU-second, and no test changes it (its tools keep no state;
    a stdio server is where a test may kill one)."""
    process, server = start_http(TOKEN)
    yield server
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def memory_keyring() -> Iterator[object]:
    import keyring

    from services.keyring_backend import MemoryKeyring

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)
