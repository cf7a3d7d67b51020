"""`promptterm serve`: the same app in a web browser, through textual-serve.

textual-serve is a small web server: every browser tab that connects gets its own
`promptterm` process, started from a shell command, whose screen travels over a websocket to
xterm.js in the page. So the tab runs exactly the app of the terminal, on the same database.

Whoever can reach the port can use the app, and the app holds API keys and chats: it listens
on loopback only, unless the user asks for another address twice (``--host`` and
``--public``).
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import fail

if TYPE_CHECKING:
    from promptterm.config import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve",
        help="open the app in a web browser (serves it on this machine)",
        description="Serve the full-screen app to a web browser with textual-serve. Each "
        "browser tab runs its own promptterm on the same database and settings.",
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)",
    )
    serve.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"default: {DEFAULT_PORT}"
    )
    serve.add_argument(
        "--public",
        action="store_true",
        help="allow a --host other machines can reach: anyone who reaches it can use your "
        "API keys and read your chats",
    )
    # Runs before the database is opened: a refused host touches nothing.
    serve.set_defaults(without_services=serve_app)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def is_loopback(host: str) -> bool:
    """Only this machine can connect to ``host``. Other names are not resolved: what one
    resolves to can change after the check, so only an address or "localhost" counts."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def refusal(host: str) -> str:
    return (
        f"Not serving on {host}: other machines could reach it, and the app holds your API "
        f"keys and chats. Leave out --host to serve on {DEFAULT_HOST} (this machine only), "
        "or add --public if everyone who can reach that address may use it."
    )


def app_command(database_url: str | None) -> str:
    """The shell command textual-serve starts for each tab: this Python and this promptterm,
    with the database the user named. The config and data folders, and the environment
    variables that move them, reach the child through the environment it inherits."""
    argv = [sys.executable, "-m", "promptterm"]
    if database_url:
        argv += ["--database-url", database_url]
    return shlex.join(argv)


def page_url(host: str, port: int) -> str:
    """Where the browser finds the page; the page's websocket address is built from it, so
    an IPv6 address needs its brackets."""
    bare = host.strip("[]")
    shown = f"[{bare}]" if ":" in bare else bare
    return f"http://{shown}:{port}"


def serve_app(settings: Settings, args: argparse.Namespace) -> int:
    if not args.public and not is_loopback(args.host):
        return fail(refusal(args.host), 2)
    from promptterm.cli.main import open_services

    # Upgrade the schema once, here: two tabs opened together would otherwise race to do it,
    # and a database that cannot open is reported on this terminal, not inside each tab.
    open_services(settings).close()

    from textual_serve.server import Server

    server = Server(
        app_command(args.database_url),
        host=args.host.strip("[]"),
        port=args.port,
        title="promptterm",
        public_url=page_url(args.host, args.port),
    )
    try:
        server.serve()
    except OSError as exc:
        return fail(
            f"Cannot listen on {page_url(args.host, args.port)}: {exc.strerror or exc}. "
            "Choose another --port, or stop what is using it."
        )
    return 0
