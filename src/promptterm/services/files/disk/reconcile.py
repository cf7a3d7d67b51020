"""One path of a bound directory brought in step with the database, and saves written out.

The rule that keeps both sides: a difference between the disk and what promptterm last saw
there (``files.disk_sha256``) is always stored as a new version before anything else
happens, so neither the disk's text nor any saved version can be overwritten unseen. One
lock per bound folder (disk/folder_lock.py), held across threads and processes, keeps the
watcher, saves, moves and deletes from interleaving between reading the disk, writing it
and recording what they wrote; the conditional head UPDATE of version_store orders the
saves themselves. A save whose write never landed (promptterm stopped between the commit
and the write) is found by disk/unwritten.py and written on the next look.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from promptterm.db.models import File
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict
from promptterm.services.files import tree as file_tree
from promptterm.services.files import version_store
from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk import unwritten
from promptterm.services.files.disk.events import (
    DiskConflict,
    EditingFiles,
    FileAdded,
    FileChanged,
    FileDeleted,
    FileWritten,
    RootMissing,
    SyncEvent,
    SyncProblem,
    WriteRecovered,
)
from promptterm.services.files.disk.folder_lock import folder_lock
from promptterm.services.files.disk.io import DiskChanged, DiskFile, DiskWriteError
from promptterm.services.files.models import parent_of
from promptterm.services.path_guard import OutsideFolder, inside

CHANGED_ON_DISK = "Changed on disk"
CREATED_ON_DISK = "Created on disk"
IMPORTED = "Imported from disk"


def sync_path(
    ctx: ServiceContext,
    project_id: uuid.UUID,
    root: Path,
    rel: str,
    *,
    max_bytes: int,
    editing: EditingFiles | None = None,
    created_message: str = CREATED_ON_DISK,
    write_pending: bool = True,
    quick: bool = False,
) -> SyncEvent | None:
    """Bring ``rel`` in step; the event for the UI, or None when nothing changed.

    ``quick`` trusts an unchanged size and mtime (rescans of big trees); ``write_pending``
    writes a version the disk lacks (off for the check before a save).
    """
    try:
        inside(root, rel, action="read")
    except OutsideFolder as exc:
        # A folder became a link out of the project: what is there is not ours to store.
        return SyncProblem(path=rel, message=exc.message)
    with folder_lock(root):
        for _attempt in range(3):
            try:
                with ctx.db.session() as session:
                    row = file_tree.find(session, project_id, rel)
                    try:
                        disk = _read(root, rel, row, max_bytes, quick)
                    except OSError as exc:
                        return SyncProblem(
                            path=rel, message=disk_io.describe_error(exc, "read", root / rel)
                        )
                    if disk == "unchanged":
                        return None
                    return _reconcile(
                        session,
                        ctx,
                        _Target(project_id, root, rel),
                        row,
                        disk,
                        editing,
                        created_message,
                        write_pending,
                    )
            except (Conflict, IntegrityError):
                # Another process stored this file or a version of it meanwhile: look again.
                continue
        return SyncProblem(path=rel, message=f"{rel} keeps changing; it will be synced later.")


def write_through(
    ctx: ServiceContext,
    file_id: uuid.UUID,
    root: Path,
    rel: str,
    text: str,
    *,
    max_bytes: int,
    editing: EditingFiles | None = None,
) -> tuple[str | None, SyncEvent | None]:
    """Write a just-stored version to disk; (a message for the user if it did not, event).

    Under the folder's lock, and only while ``text`` is still the newest version: once
    another process has saved a newer one, that save writes it (or the next look does, see
    disk/unwritten.py), and writing this one would put older text on disk. Refuses to
    overwrite a disk change promptterm has not seen (compare-and-swap on the file's hash,
    checked again just before the rename): that change is stored as a version on top
    instead, and the message says so.
    """
    data = text.encode("utf-8")
    new_sha = disk_io.sha256(data)
    path = root / rel
    if not root.is_dir():
        # Never recreate a vanished (or unmounted) project folder by writing into it.
        return _record_error(ctx, file_id, _stored_but(_root_missing(root))), None
    with folder_lock(root):
        with ctx.db.session() as session:
            found = version_store.with_head_sha(session, file_id)
            if found is None or found[0].is_deleted:
                return None, None
            row, head_sha = found
            if head_sha != new_sha:
                return None, None  # a newer save came meanwhile: never write over it
            expected, project_id = row.disk_sha256, row.project_id
        try:
            current = disk_io.current_sha(path)
        except OSError as exc:
            return _record_error(ctx, file_id, disk_io.describe_error(exc, "read", path)), None
        if current is not None and current not in (expected, new_sha):
            return _changed_while_saving(ctx, project_id, root, rel, max_bytes, editing)
        if current != new_sha:
            try:
                disk_io.atomic_write(path, data, root=root, expected_sha=current)
            except DiskChanged:
                return _changed_while_saving(ctx, project_id, root, rel, max_bytes, editing)
            except DiskWriteError as exc:
                return _record_error(ctx, file_id, _stored_but(exc.message)), None
        _record_written(ctx, file_id, path, new_sha)
        return None, None


def _changed_while_saving(
    ctx: ServiceContext,
    project_id: uuid.UUID,
    root: Path,
    rel: str,
    max_bytes: int,
    editing: EditingFiles | None,
) -> tuple[str, SyncEvent | None]:
    """Store the disk's unseen change as a version on top of the save, and say so."""
    event = sync_path(ctx, project_id, root, rel, max_bytes=max_bytes, editing=editing)
    version = getattr(event, "disk_version", None) or getattr(event, "version", None)
    return (
        f"{rel} changed on disk while you saved: your text is stored, and the disk's "
        f"is now version {version}. Compare them and keep the one you want.",
        event,
    )


def write_head(session: Session, root: Path, row: File) -> SyncEvent:
    """Write the newest version of ``row`` to a disk that lacks it (inside ``session``)."""
    text = version_store.load_text(session, row, row.head_version)
    path = root / row.path
    try:
        st = disk_io.atomic_write(path, text.encode("utf-8"), root=root)
    except DiskWriteError as exc:
        row.sync_error = _stored_but(exc.message)
        session.add(row)
        return SyncProblem(path=row.path, message=row.sync_error)
    _set_disk(row, disk_io.sha256(text.encode("utf-8")), st.st_size, st.st_mtime_ns)
    row.sync_error = None
    session.add(row)
    return FileWritten(path=row.path, file_id=row.id, version=row.head_version)


# -- internals -----------------------------------------------------------------------------


def _read(
    root: Path, rel: str, row: File | None, max_bytes: int, quick: bool
) -> DiskFile | str | None:
    """The disk's file, None if there is none, or "unchanged" when ``quick`` may say so."""
    try:
        if quick and row is not None and not row.is_deleted and row.sync_error is None:
            st = (root / rel).stat()
            if st.st_size == row.disk_size_bytes and st.st_mtime_ns == row.disk_mtime_ns:
                return "unchanged"
        return disk_io.read_file(root, rel, max_bytes)
    except FileNotFoundError:
        return None
    except (IsADirectoryError, NotADirectoryError):
        return None


@dataclass(frozen=True)
class _Target:
    project_id: uuid.UUID
    root: Path
    rel: str


def _reconcile(
    session: Session,
    ctx: ServiceContext,
    target: _Target,
    row: File | None,
    disk: DiskFile | None,
    editing: EditingFiles | None,
    created_message: str,
    write_pending: bool,
) -> SyncEvent | None:
    now = ctx.now()
    project_id, root, rel = target.project_id, target.root, target.rel
    if disk is None:
        if row is None or row.is_deleted or row.type != "file":
            return None
        if row.disk_sha256 is None and row.disk_mtime_ns is None:
            # Never on disk: made in promptterm, not written yet.
            if write_pending and row.content_state == "text" and row.head_version > 0:
                return _write_back(session, root, row)
            return None
        if not root.is_dir():
            return RootMissing(path="", message=_root_missing(root))
        pending = _save_pending(session, row)
        row.is_deleted, row.updated_at = True, now
        row.sync_error = None
        _set_disk(row, None, None, None)
        session.add(row)
        base = editing.base_of(row.id) if editing else None
        if base is not None or pending:
            return DiskConflict(
                path=rel,
                file_id=row.id,
                reason="deleted",
                editor_base=base,
                disk_version=None,
                message=f"{rel} was deleted on disk while you had unsaved changes. It is in "
                "the trash with its history: restore it to keep your version.",
            )
        return FileDeleted(path=rel, file_id=row.id)

    appeared = False
    if row is None:
        parent_id = file_tree.ensure_folders(session, ctx, project_id, parent_of(rel), now)
        row = file_tree.new_row(ctx, project_id, rel, now, parent_id=parent_id)
        session.add(row)
        session.flush()
        appeared = True
    elif row.type != "file":
        return SyncProblem(path=rel, message=f"{rel} is a folder in promptterm but a file on disk.")
    elif row.is_deleted:
        file_tree.set_deleted(session, ctx, row, False, now)
        appeared = True
    elif _same_as_seen(row, disk):
        # The disk holds what it held before. The newest version may still be missing from
        # it: a write the disk refused, or one promptterm never got to (it stopped between
        # the commit and the write); either way a save we made, so the database wins.
        if write_pending and row.content_state == "text" and _save_pending(session, row):
            return _write_back(session, root, row)
        return None

    base = editing.base_of(row.id) if editing else None
    if disk.state != "text":
        row.content_state, row.size_bytes, row.updated_at = disk.state, disk.size, now
        _set_disk(row, disk.sha256, disk.size, disk.mtime_ns)
        session.add(row)
        if base is not None and not appeared:
            return DiskConflict(
                path=rel,
                file_id=row.id,
                reason="changed",
                editor_base=base,
                disk_version=None,
                message=f"{rel} changed on disk into something promptterm does not load "
                f"({disk.detail}). Your text is only in the editor: save it under another name.",
            )
        kind = FileAdded if appeared else FileChanged
        return kind(
            path=rel, file_id=row.id, version=0, content_state=disk.state, detail=disk.detail
        )

    assert disk.text is not None
    pending = _save_pending(session, row)
    version = row.head_version
    if disk.sha256 != version_store.head_sha(session, row):
        # At import every text taken from the disk says so; later, a change is a change.
        first = appeared or row.head_version == 0 or created_message == IMPORTED
        message = created_message if first else CHANGED_ON_DISK
        stored = version_store.append(
            session, ctx, row, disk.text, message, base_version=row.head_version, now=now
        )
        version = stored.version_number
    elif not appeared:
        # The disk caught up with the database (our own write, or the same edit made
        # twice): nothing new to store.
        _set_disk(row, disk.sha256, disk.size, disk.mtime_ns)
        row.sync_error = None
        row.content_state = "text"
        session.add(row)
        return None
    _set_disk(row, disk.sha256, disk.size, disk.mtime_ns)
    row.sync_error = None
    row.content_state = "text"
    session.add(row)
    if appeared:
        return FileAdded(path=rel, file_id=row.id, version=version)
    if base is not None or pending:
        why = "you have unsaved changes" if base is not None else "your last save never reached it"
        return DiskConflict(
            path=rel,
            file_id=row.id,
            reason="changed",
            editor_base=base,
            disk_version=version,
            message=f"{rel} changed on disk while {why}. The disk's text is version "
            f"{version}; keep yours, take the disk's, or compare them.",
        )
    return FileChanged(path=rel, file_id=row.id, version=version)


def _save_pending(session: Session, row: File) -> bool:
    """The newest version never reached the disk: the disk refused it (``sync_error``) or
    promptterm stopped before writing it (disk/unwritten.py)."""
    return row.sync_error is not None or unwritten.intended_sha(session, row) is not None


def _write_back(session: Session, root: Path, row: File) -> SyncEvent:
    """Write the newest version to a disk that lacks it; a save that never got there
    because promptterm stopped is named as such, for the user to be told."""
    lost = unwritten.intended_sha(session, row) is not None
    event = write_head(session, root, row)
    if lost and isinstance(event, FileWritten):
        message = unwritten.recovered_message(row.path, event.version)
        return WriteRecovered(
            path=event.path, file_id=event.file_id, version=event.version, message=message
        )
    return event


def _same_as_seen(row: File, disk: DiskFile) -> bool:
    if disk.sha256 is None:  # too large to read: size and time are all there is
        return (
            row.content_state == "too_large"
            and row.disk_size_bytes == disk.size
            and row.disk_mtime_ns == disk.mtime_ns
        )
    return row.disk_sha256 == disk.sha256 and row.content_state == disk.state


def _set_disk(row: File, sha: str | None, size: int | None, mtime_ns: int | None) -> None:
    row.disk_sha256, row.disk_size_bytes, row.disk_mtime_ns = sha, size, mtime_ns


def _record_written(ctx: ServiceContext, file_id: uuid.UUID, path: Path, sha: str) -> None:
    try:
        st = path.stat()
    except OSError:
        return  # gone again already: the watcher will see to it
    with ctx.db.session() as session:
        row = session.get(File, file_id)
        if row is not None:
            _set_disk(row, sha, st.st_size, st.st_mtime_ns)
            row.sync_error = None
            session.add(row)


def _record_error(ctx: ServiceContext, file_id: uuid.UUID, message: str) -> str:
    with ctx.db.session() as session:
        row = session.get(File, file_id)
        if row is not None:
            row.sync_error = message
            session.add(row)
    return message


def _stored_but(problem: str) -> str:
    return f"Saved in promptterm, but not written to disk. {problem}"


def _root_missing(root: Path) -> str:
    return (
        f"The project folder {root} is gone (deleted, moved or unmounted). Its files stay in "
        "promptterm; bring the folder back or open the project's new location."
    )
