"""Opening an SDK client on a ServerSpec: stdio (through the launcher) or streamable HTTP."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from promptterm.services.mcp.spec import ServerSpec

if TYPE_CHECKING:
    from mcp.client import Client

LAUNCHER = Path(__file__).with_name("launcher.py")


@dataclass
class Noticed:
    """What the transport saw that the SDK does not pass on: output that is not MCP (a
    server printing text on stdout) and the last HTTP error status."""

    garbled: list[str] = field(default_factory=list)
    http_status: int | None = None


def open_client(
    spec: ServerSpec, errlog: IO[str], timeout: float, noticed: Noticed | None = None
) -> Client:
    """An SDK ``Client`` (not yet entered). stdio servers get the registered command and
    nothing else: the launcher only reports how it ended. ``timeout`` bounds every read."""
    # The SDK is imported here: a command or screen that never talks MCP never loads it.
    from mcp.client import Client
    from mcp.types import Implementation

    from promptterm import __version__

    quiet_sdk_logs()
    info = Implementation(name="promptterm", version=__version__)

    async def note(message: object) -> None:
        if isinstance(message, Exception) and noticed is not None:
            words = str(message).splitlines()
            noticed.garbled.append(words[0] if words else type(message).__name__)

    if spec.transport == "stdio":
        from mcp.client.stdio import StdioServerParameters, stdio_client

        assert spec.command is not None
        params = StdioServerParameters(
            command=sys.executable,
            args=["-I", "-S", str(LAUNCHER), spec.command, *spec.args],
            env=dict(spec.env),
            cwd=spec.cwd,
        )
        transport = stdio_client(params, errlog=errlog)
    else:
        assert spec.url is not None
        transport = _http_transport(spec.url, dict(spec.headers), noticed)
    return Client(transport, read_timeout_seconds=timeout, client_info=info, message_handler=note)


def quiet_sdk_logs() -> None:
    """The SDK logs a server's bad output with tracebacks; the check says it in words on the
    server's row instead, so none of it reaches the terminal (Python's last-resort handler
    would print it on stderr, over the app)."""
    import logging

    sdk = logging.getLogger("mcp")
    if not sdk.handlers:
        sdk.addHandler(logging.NullHandler())
        sdk.propagate = False


@asynccontextmanager
async def _http_transport(
    url: str, headers: dict[str, str], noticed: Noticed | None
) -> AsyncIterator[Any]:
    """The SDK's streamable HTTP transport over an HTTP client carrying the headers; a client
    handed to the SDK stays ours to close."""
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    async def status(response: Any) -> None:
        # The SDK turns a 401 into "Server returned an error response": keep the number.
        if response.status_code >= 400 and noticed is not None:
            noticed.http_status = response.status_code

    http = create_mcp_http_client(headers=headers)
    http.event_hooks["response"].append(status)
    async with (
        http,
        streamable_http_client(url, http_client=http) as streams,
    ):
        yield streams
