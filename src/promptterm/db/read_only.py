"""A SQLite database in a folder (or a file) the user may only read: opened read-only, so
that listing and showing still work, while every write is refused in words.

Opened normally, SQLite would refuse even to read: WAL mode needs to create ``-shm`` beside
the file. Read-only with ``mode=ro`` it creates that file when the folder allows it, with
the database's read-only mode, which then blocks writes after the user fixes the database's
permissions. So a database with no pending WAL is opened ``immutable`` (no side files at
all); one whose WAL still holds changes (a crash) is opened ``mode=ro`` to read them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

_READ_ONLY_WORDS = ("attempt to write a readonly database", "readonly database")


def read_only_reason(file: Path) -> str | None:
    """The words for a database that exists and can be read but not written, else None."""
    folder = file.parent
    if not file.is_file() or not os.access(file, os.R_OK):
        return None
    if os.access(file, os.W_OK) and os.access(folder, os.W_OK | os.X_OK):
        return None
    what = "its folder" if os.access(file, os.W_OK) else "the database file"
    return (
        f"The data folder is read-only: {what} cannot be written ({file}), so promptterm "
        "shows your data but cannot save anything. Make them writable "
        f"(chmod u+w {folder} {file}) or choose another database with "
        "--database-url sqlite:///PATH."
    )


def cannot_create(file: Path) -> str | None:
    """The words for a database not made yet in a folder that exists but cannot be written."""
    folder = file.parent
    if file.exists() or not folder.is_dir() or os.access(folder, os.W_OK | os.X_OK):
        return None
    return (
        f"The data folder is read-only: the database cannot be created in {folder}. Make it "
        f"writable (chmod u+w {folder}) or choose another place with "
        "--database-url sqlite:///PATH."
    )


def read_only_url(file: Path) -> str:
    """A SQLAlchemy URL that opens ``file`` for reading only, creating no file beside it."""
    return f"sqlite:///{read_only_uri(file)}&uri=true"


def read_only_uri(file: Path) -> str:
    """The SQLite URI (``sqlite3.connect(..., uri=True)``) that opens ``file`` for reading
    only, creating no file beside it."""
    wal = file.with_name(file.name + "-wal")
    pending = wal.is_file() and wal.stat().st_size > 0
    mode = "mode=ro" if pending else "immutable=1"
    return f"file:{quote(str(file))}?{mode}"


def is_read_only_error(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(words in text for words in _READ_ONLY_WORDS)
