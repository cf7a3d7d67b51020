"""The SQLite file holds every chat, file and key nickname: only its owner may read it.

A new data folder is made 0700 and a new database file 0600 before SQLite opens it; SQLite
gives its -wal and -shm files the database file's mode. Older versions left promptterm's own
data folder 0755 and its database 0644 (readable by every local user): those are tightened
when opened. A database the user put somewhere else keeps the modes they gave it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
SIDECARS = ("-wal", "-shm", "-journal")


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and any missing parents) if needed, the folder itself private.

    Raises OSError as ``Path.mkdir`` does."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    _chmod(folder, PRIVATE_FOLDER)  # mkdir's mode passes through the umask


def create_file(file: Path) -> None:
    """Create an empty, private database file unless one exists (SQLite takes an empty file
    as an empty database). Any failure is left to SQLite to report when it opens the file."""
    with contextlib.suppress(OSError):
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        _chmod(file, PRIVATE_FILE)


def tighten(file: Path) -> None:
    """Take group and other access away from ``file``'s folder, the file and its sidecars,
    where we own them (an upgrade from a version that left them open)."""
    _restrict(file.parent, PRIVATE_FOLDER)
    for path in (file, *(file.with_name(file.name + suffix) for suffix in SIDECARS)):
        _restrict(path, PRIVATE_FILE)


def _restrict(path: Path, mode: int) -> None:
    try:
        status = path.stat()
    except OSError:
        return
    if status.st_uid == os.geteuid() and status.st_mode & 0o077:
        _chmod(path, mode)


def _chmod(path: Path, mode: int) -> None:
    # Best effort: a file system without POSIX modes (or a file we do not own) keeps its own.
    with contextlib.suppress(OSError):
        os.chmod(path, mode)
