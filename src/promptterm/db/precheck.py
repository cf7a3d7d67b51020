"""A fast look at the database URL before the full-screen app starts.

Opening the database for real needs SQLAlchemy, which takes longer to import than Textual
takes to draw its first frame. So the app draws first and opens the database in a worker;
this check, with the standard library only, catches the common mistakes (a malformed URL,
a folder that cannot be written, a server that is not listening) while the terminal is
still a terminal, so the message lands on stderr rather than inside a screen.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import unquote, urlsplit

from promptterm.db.errors import DatabaseUnavailable
from promptterm.db.read_only import cannot_create

CONNECT_TIMEOUT = 3.0
URL_HELP = (
    "Use sqlite:///PATH or postgresql+psycopg://USER@HOST/DBNAME (--database-url, "
    "PROMPTTERM_DATABASE_URL or [database] url in the config file)."
)


def precheck(url: str) -> None:
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        _check_sqlite(url)
    elif scheme in ("postgresql", "postgres"):
        _check_postgres(url)
    else:
        raise DatabaseUnavailable(
            f"The database URL {url!r} is not one promptterm can use. {URL_HELP}"
        )


def _check_sqlite(url: str) -> None:
    raw = url.split(":///", 1)[1] if ":///" in url else ""
    path = raw.split("?", 1)[0]
    if not path or path == ":memory:":
        return
    file = Path(path).expanduser()
    folder = file.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        raise DatabaseUnavailable(f"Cannot create the folder {folder} for the database. {URL_HELP}")
    if not os.access(existing, os.W_OK | os.X_OK) and not folder.exists():
        raise DatabaseUnavailable(
            f"Cannot create the folder {folder}: {existing} is not writable. Choose another "
            "place with --database-url sqlite:///PATH."
        )
    # A database that can be read but not written opens read-only (db/read_only.py).
    if file.exists() and not os.access(file, os.R_OK):
        raise DatabaseUnavailable(
            f"The database file {file} is not readable by you. Fix its permissions or choose "
            "another file with --database-url sqlite:///PATH."
        )
    refused = cannot_create(file)
    if refused is not None:
        raise DatabaseUnavailable(refused)


def _check_postgres(url: str) -> None:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 5432
    except ValueError as exc:
        raise DatabaseUnavailable(f"The database URL is not valid: {exc}. {URL_HELP}") from exc
    if not host or host.startswith("/") or unquote(host).startswith("/"):
        return  # a Unix socket: psycopg will say what is wrong, if anything
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DatabaseUnavailable(
            f"Cannot reach the PostgreSQL server at {host}:{port} ({reason}). Check that it "
            "is running and reachable from here, or use the local SQLite database by "
            "leaving --database-url out."
        ) from exc
