"""FileService's side of a bound directory: what each file action does on disk.

Order matters for "nothing is lost": before a save, a move or a delete touches the disk,
any disk change promptterm has not seen is stored as a version; structural changes (move,
delete, new folder) happen on disk inside the database transaction, so a refusal from the
disk rolls the database back; a save's version is committed first and then written, so a
full disk never costs the user their text. A save holds the folder's lock (across
processes) from that check to the end of its write, so no other promptterm sees a save
committed but not yet written, and the version records the bytes it meant to write, so
the next open writes them if promptterm stopped in between (disk/unwritten.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from promptterm.db.models import File
from promptterm.services.errors import Conflict
from promptterm.services.files import tree as file_tree
from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk import reconcile as disk_reconcile
from promptterm.services.files.disk.events import DiskConflict, FileAdded, FileChanged, FileDeleted
from promptterm.services.files.disk.folder_lock import folder_lock
from promptterm.services.files.disk.io import DiskWriteError
from promptterm.services.files.models import DiskError
from promptterm.services.files.version_store import StaleSave

if TYPE_CHECKING:
    from promptterm.services.files.service import FileService


@contextmanager
def locked(root: str | None) -> Iterator[None]:
    if root is None:
        yield
        return
    with folder_lock(Path(root)):
        yield


@contextmanager
def saving(svc: FileService, file_id: uuid.UUID, base_version: int) -> Iterator[Path | None]:
    """Hold the file's bound folder for a whole save; yields the folder (None if unbound)
    once any unseen disk change to the file is stored. If there was one the save is stale,
    and StaleSave says which version has it."""
    with svc.ctx.db.session() as session:
        file = svc._file(session, file_id, "member", "edit its files")
        root_path = svc._root(session, file.project_id)
        project_id, path, live = file.project_id, file.path, not file.is_deleted
    if root_path is None:
        yield None
        return
    root = Path(root_path)
    with folder_lock(root):
        if live and root.is_dir():
            _store_unseen_change(svc, project_id, root, path, base_version)
        yield root


def intended_sha(root: Path | None, text: str) -> str | None:
    """What a save of ``text`` will put on disk, recorded with its version (None: unbound)."""
    return None if root is None else disk_io.sha256(text.encode("utf-8"))


def _store_unseen_change(
    svc: FileService, project_id: uuid.UUID, root: Path, path: str, base_version: int
) -> None:
    event = disk_reconcile.sync_path(
        svc.ctx,
        project_id,
        root,
        path,
        max_bytes=svc.max_file_bytes,
        editing=svc.editing,
        write_pending=False,
    )
    if isinstance(event, FileDeleted) or (
        isinstance(event, DiskConflict) and event.reason == "deleted"
    ):
        raise Conflict(
            f"{path} was deleted on disk; it is in the trash with its history. Restore it, "
            "then save again to keep your text."
        )
    if isinstance(event, FileChanged | FileAdded | DiskConflict):
        version = getattr(event, "version", None) or getattr(event, "disk_version", None)
        raise StaleSave(path, base_version, version)


def write_saved(
    svc: FileService, root: Path, file_id: uuid.UUID, path: str, text: str
) -> str | None:
    """Write a committed version to disk; a message for the user when it did not get there."""
    error, _event = disk_reconcile.write_through(
        svc.ctx, file_id, root, path, text, max_bytes=svc.max_file_bytes, editing=svc.editing
    )
    return error


def require_root(root_path: str) -> Path:
    """The bound folder, or DiskError: a move or delete while it is gone (unmounted, say)
    would be undone by the next scan once it is back, so it is refused instead."""
    root = Path(root_path)
    if not root.is_dir():
        raise DiskError(
            f"The project folder {root} is gone (deleted, moved or unmounted); nothing was "
            "changed. Bring it back, or open the project's new location."
        )
    return root


def make_folder(root_path: str, row: File) -> None:
    require_root(root_path)
    try:
        row.disk_mtime_ns = disk_io.make_dir(Path(root_path) / row.path, root=Path(root_path))
    except DiskWriteError as exc:
        raise DiskError(exc.message) from exc


def move(root_path: str, old: str, new: str) -> None:
    require_root(root_path)
    try:
        disk_io.rename(Path(root_path) / old, Path(root_path) / new, root=Path(root_path))
    except DiskWriteError as exc:
        raise DiskError(f"{exc.message} Nothing was moved.") from exc


def capture_before_delete(
    svc: FileService, root_path: str, project_id: uuid.UUID, path: str
) -> None:
    """Store unseen disk edits of the files about to be deleted (they stay in history)."""
    root = Path(root_path)
    if not root.is_dir():
        return
    with svc.ctx.db.session() as session:
        paths = [
            r.path
            for r in file_tree.subtree(session, project_id, path)
            if r.type == "file" and not r.is_deleted
        ]
    for rel in paths:
        disk_reconcile.sync_path(
            svc.ctx, project_id, root, rel, max_bytes=svc.max_file_bytes, write_pending=False
        )


def remove(root_path: str, rows: Sequence[File]) -> None:
    """Delete the files of ``rows`` from disk, then their folders if empty."""
    root = require_root(root_path)
    kept = [r.path for r in rows if r.type == "file" and r.content_state != "text"]
    if kept:
        raise Conflict(
            f"{kept[0]} is a file promptterm keeps no copy of (binary, too large or not "
            "UTF-8); delete it on disk yourself if you mean to. Nothing was deleted."
        )
    for row in rows:
        if row.type == "file":
            try:
                disk_io.remove(root / row.path, root=root)
            except DiskWriteError as exc:
                raise DiskError(f"{exc.message} It stays in the project.") from exc
        row.disk_sha256 = row.disk_size_bytes = row.disk_mtime_ns = None
    for row in sorted(rows, key=lambda r: r.path.count("/"), reverse=True):
        if row.type == "folder":
            disk_io.remove_empty_dir(root / row.path, root=root)


def restore(session: Session, root_path: str, rows: Sequence[File]) -> None:
    """Put brought-back files and folders on disk again (never over an existing file)."""
    root = Path(root_path)
    if not root.is_dir():
        return
    for row in sorted(rows, key=lambda r: r.path.count("/")):
        target = root / row.path
        if row.type == "folder":
            make_folder(root_path, row)
        elif row.content_state == "text" and row.head_version > 0:
            if target.exists():
                # Something is there already: the next scan stores it as a version.
                row.disk_sha256 = None
                continue
            disk_reconcile.write_head(session, root, row)
