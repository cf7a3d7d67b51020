"""Reading and writing files of a bound directory: classify, hash, write atomically.

Nothing here touches the database. Reads say what a file is (UTF-8 text, binary, over the
size cap, not UTF-8) without ever replacing bad bytes; writes go to a temporary file in the
same folder, are fsynced, keep the old file's mode and replace it in one rename, so a crash
or a full disk leaves either the old file or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from types import EllipsisType

from promptterm.services.files.disk.ignore_rules import TEMP_SUFFIX
from promptterm.services.path_guard import OutsideFolder, inside

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
_SNIFF = 8192
# Bytes that plain text uses; more than 30% of anything else in the first 8 KiB is binary.
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\b\x1b")


@dataclass(frozen=True)
class DiskFile:
    """A file as found on disk; ``text`` only for state "text"."""

    rel: str
    state: str  # "text" | "binary" | "too_large" | "undecodable"
    size: int
    mtime_ns: int
    sha256: str | None  # of the bytes; None when too large to read
    text: str | None = None
    detail: str | None = None  # why it is not text, for people


class DiskWriteError(Exception):
    """A write to disk failed; ``message`` says what happened and what to do."""

    def __init__(self, message: str, errno_: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errno = errno_


class DiskChanged(DiskWriteError):
    """The file changed between the check before a write and its rename: nothing was
    written, so the change can be stored as a version before anything else happens."""


def read_file(root: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> DiskFile:
    """Read and classify ``root/rel``; OSError (missing, permission...) propagates."""
    path = root / rel
    info = os.stat(path, follow_symlinks=False)
    if not stat.S_ISREG(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
    if info.st_size > max_bytes:
        return _too_large(rel, info.st_size, info.st_mtime_ns, max_bytes)
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew between stat and read
        return _too_large(rel, len(data), info.st_mtime_ns, max_bytes)
    state, text, detail = classify(data)
    return DiskFile(rel, state, len(data), info.st_mtime_ns, sha256(data), text, detail)


def classify(data: bytes) -> tuple[str, str | None, str | None]:
    """("text", the text, None) or (state, None, a reason a person can read)."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return "binary", None, "binary file (it contains NUL bytes)"
    odd = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    if head and odd / len(head) > 0.3:
        return "binary", None, "binary file (mostly control bytes)"
    try:
        return "text", data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return (
            "undecodable",
            None,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "promptterm keeps it as it is on disk and does not load it",
        )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_sha(path: Path) -> str | None:
    """The SHA-256 of the file's bytes now, or None when there is no such file."""
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def atomic_write(
    path: Path, data: bytes, *, root: Path, expected_sha: str | EllipsisType | None = ...
) -> os.stat_result:
    """Replace ``path`` (under ``root``) with ``data`` atomically, keeping its mode; the
    new file's stat.

    With ``expected_sha`` the file is replaced only if its bytes still hash to that (None:
    only if there is no file), checked once the new bytes are safe in the temporary file,
    just before the rename: DiskChanged otherwise. Raises DiskWriteError with a message for
    people; the old file is then untouched and the temporary file removed.
    """
    _guard(root, path, "write")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    replaced = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = None  # a new file: 0o666 less the umask, like any editor
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if expected_sha is not ... and current_sha(path) != expected_sha:
            raise DiskChanged(f"{path} changed on disk just before promptterm wrote it.")
        os.replace(tmp, path)
        replaced = True
        _fsync_dir(path.parent)
        return os.stat(path)
    except OSError as exc:
        raise DiskWriteError(describe_error(exc, "write", path), exc.errno) from exc
    finally:
        if not replaced:
            _remove_quietly(tmp)


def remove(path: Path, *, root: Path) -> None:
    _guard(root, path, "delete")
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DiskWriteError(describe_error(exc, "delete", path), exc.errno) from exc


def make_dir(path: Path, *, root: Path) -> int:
    """Create the folder (and its parents) under ``root``; its mtime_ns."""
    _guard(root, path, "create the folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        return os.stat(path).st_mtime_ns
    except OSError as exc:
        raise DiskWriteError(describe_error(exc, "create the folder", path), exc.errno) from exc


def rename(old: Path, new: Path, *, root: Path) -> None:
    """Move ``old`` to ``new`` (both under ``root``), never over an existing file."""
    _guard(root, old, "move")
    _guard(root, new, "move a file to")
    if new.exists():
        raise DiskWriteError(
            f"Cannot move {old.name} to {new}: something is already there on disk. "
            "Move or delete it first.",
            errno.EEXIST,
        )
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, new)
    except FileNotFoundError:
        return  # gone from disk already: the database move is all there is to do
    except OSError as exc:
        raise DiskWriteError(describe_error(exc, "move", old), exc.errno) from exc


def remove_empty_dir(path: Path, *, root: Path) -> None:
    """Remove a folder under ``root`` if it is empty; leave it (and say nothing) if not,
    or if it leads out of ``root``."""
    with contextlib.suppress(OSError, OutsideFolder):
        inside(root, path, action="delete the folder").rmdir()


def _guard(root: Path, path: Path, action: str) -> None:
    """Every write, move and delete goes through the one check (path_guard.inside)."""
    try:
        inside(root, path, action=action)
    except OutsideFolder as exc:
        raise DiskWriteError(exc.message, errno.EXDEV) from exc


def describe_error(exc: OSError, action: str, path: Path) -> str:
    where = str(path)
    if exc.errno == errno.ENOSPC:
        return f"The disk is full: could not {action} {where}. Free some space and save again."
    if exc.errno == errno.EDQUOT:
        return f"Your disk quota is used up: could not {action} {where}."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Permission denied: could not {action} {where}. Check the file's permissions."
    if exc.errno == errno.EROFS:
        return f"The file system is read-only: could not {action} {where}."
    if exc.errno == errno.ENOENT:
        return f"Could not {action} {where}: its folder no longer exists."
    return f"Could not {action} {where}: {exc.strerror or exc}."


def _too_large(rel: str, size: int, mtime_ns: int, cap: int) -> DiskFile:
    detail = f"{_human(size)} is over the {_human(cap)} limit for files promptterm loads"
    return DiskFile(rel, "too_large", size, mtime_ns, None, None, detail)


def _human(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
