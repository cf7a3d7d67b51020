"""One lock per bound folder, held across threads and across processes.

The watcher, saves, moves and deletes read what the disk holds, compare it with what the
database last saw there, write, and record what they wrote. Two of them interleaving (two
terminals saving one file, the TUI's watcher and a CLI save) could put older text back on
disk, so each of those steps runs under this lock: a re-entrant thread lock for the threads
of one process and, taken by the outermost holder, an OS file lock (``flock`` on POSIX,
``msvcrt.locking`` on Windows) for other processes. The lock file lives in promptterm's data
folder, named by a hash of the folder's path, so nothing appears in the user's folder; the
OS drops the lock when a process dies, so a crash never leaves a folder locked.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from promptterm import locations
from promptterm.db import private_files

_guard = threading.Lock()


class _FolderLock:
    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.depth = 0  # nesting of the holding thread; only that thread changes it
        self.fd: int | None = None


_locks: dict[str, _FolderLock] = {}


@contextlib.contextmanager
def folder_lock(root: Path) -> Iterator[None]:
    """Hold the bound folder ``root`` against every other thread and promptterm process."""
    with _guard:
        lock = _locks.setdefault(str(root), _FolderLock())
    with lock.thread_lock:
        if lock.depth == 0:
            lock.fd = _lock_file(root)
        lock.depth += 1
        try:
            yield
        finally:
            lock.depth -= 1
            if lock.depth == 0 and lock.fd is not None:
                _unlock_file(lock.fd)
                lock.fd = None


def lock_path(root: Path) -> Path:
    """Where the lock file of ``root`` lives (the data folder, out of the user's sight)."""
    key = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return locations.data_dir() / "locks" / f"{key}.lock"


def _lock_file(root: Path) -> int | None:
    """The locked file's descriptor; None when no lock file can be made (a read-only data
    folder on a team database): the writes then rely on write_through's hash checks alone,
    as refusing every save would cost more than the rare race the lock closes."""
    path = lock_path(root)
    try:
        private_files.make_folder(path.parent.parent)  # the data folder: only the user's
        private_files.make_folder(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, private_files.PRIVATE_FILE)
    except OSError:
        return None
    try:
        _os_lock(fd)
    except OSError:
        os.close(fd)
        return None
    return fd


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import errno
    import msvcrt
    import time

    def _os_lock(fd: int) -> None:
        # LK_LOCK gives up after ten one-second tries; keep trying, as flock would wait.
        while True:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError as exc:
                if exc.errno != errno.EDEADLOCK:
                    raise
                time.sleep(0.05)

    def _unlock_file(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)

else:
    import fcntl

    def _os_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_file(fd: int) -> None:
        os.close(fd)  # closing the only descriptor releases the flock
