"""A real MCP server written with the official SDK, for the tests and the benchmark.

    python -m support.mcp_server --stdio           (from tests/, or by path)
    python tests/support/mcp_server.py --http PORT [--token SECRET]

Tools: ``add`` (fast), ``slow`` (sleeps the seconds asked), ``fail`` (always an error),
``big`` (a result of the size asked); a prompt with arguments (``review``) and a resource
(``notes://readme``). With ``--token`` the HTTP server answers only requests that carry
``Authorization: Bearer SECRET``, as a hosted server would. With ``--mortal`` it also has
``die`` (the process exits at once, as a crashing server does) and ``pid``. With
``--linger S`` it waits S seconds after its input ends before exiting (a slow shutdown). With
``--resources`` it also has a long text resource (``notes://long``, BIG characters) and a
binary one (``files://logo.png``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

NAME, VERSION = "promptterm-test", "1.2.3"
README = "These are the test server's notes.\nSecond line.\n"
BIG = 30_000  # characters of notes://long: more than a message carries


def build(mortal: bool = False, resources: bool = False) -> MCPServer:
    # Imported here: the SDK costs about a CPU-second to import, which --crash (a server that
    # fails at start) and the tests that read BIG or README have no use for.
    from mcp.server.mcpserver import MCPServer

    server = MCPServer(NAME, version=VERSION)
    if resources:

        @server.resource("notes://long", name="long notes", mime_type="text/plain")
        def long_notes() -> str:
            return "n" * BIG

        @server.resource("files://logo.png", name="logo", mime_type="image/png")
        def logo() -> bytes:
            return b"\x89PNG\r\n\x1a\n"

    if mortal:

        @server.tool()
        def die() -> str:
            """Exit at once."""
            os._exit(3)

        @server.tool()
        def pid() -> int:
            """This server's process id."""
            return os.getpid()

    @server.tool()
    def add(a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    @server.tool()
    def slow(seconds: float) -> str:
        """Wait, then answer (for timeouts)."""
        time.sleep(seconds)
        return f"waited {seconds} s"

    @server.tool()
    def fail(reason: str = "on purpose") -> str:
        """Always fails."""
        raise ValueError(f"this tool fails {reason}")

    @server.tool()
    def big(size: int) -> str:
        """A result of ``size`` characters."""
        return "x" * size

    @server.prompt()
    def review(language: str, focus: str = "bugs") -> str:
        """Review code in a language."""
        return f"Review this {language} code, looking for {focus}."

    @server.resource("notes://readme", name="readme", mime_type="text/plain")
    def readme() -> str:
        return README

    return server


def _bearer_only(app: object, token: str) -> object:
    async def guarded(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            if headers.get(b"authorization") != f"Bearer {token}".encode():
                await send({"type": "http.response.start", "status": 401, "headers": []})  # type: ignore[operator]
                await send({"type": "http.response.body", "body": b"unauthorized"})  # type: ignore[operator]
                return
        await app(scope, receive, send)  # type: ignore[operator]

    return guarded


def serve_http(port: int, token: str | None) -> None:
    import uvicorn

    app = build().streamable_http_app(host="127.0.0.1")
    wrapped = _bearer_only(app, token) if token else app
    uvicorn.run(wrapped, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stdio", action="store_true")
    parser.add_argument("--http", type=int, metavar="PORT")
    parser.add_argument("--token")
    parser.add_argument("--crash", type=int, metavar="CODE", help="exit at once with CODE")
    parser.add_argument("--mortal", action="store_true", help="add the die and pid tools")
    parser.add_argument("--resources", action="store_true", help="add a long and a binary one")
    parser.add_argument(
        "--linger", type=float, default=0.0, help="seconds to wait after stdin ends (a slow exit)"
    )
    args = parser.parse_args(argv)
    if args.crash is not None:
        print("test server: refusing to start (asked to crash)", file=sys.stderr)
        return args.crash
    if args.http:
        serve_http(args.http, args.token)
    else:
        build(args.mortal, args.resources).run("stdio")
        time.sleep(args.linger)
    return 0


if __name__ == "__main__":
    sys.exit(main())
