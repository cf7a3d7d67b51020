"""Bulk import of files the project has never had: hundreds per transaction.

Binding a directory of thousands of files one transaction each (find, insert, version,
commit) takes seconds; files with no row at their path need none of the per-file care of
disk_reconcile, so they go in CHUNK at a time. If a chunk collides with another session
importing the same files, it is rolled back and its files go through the careful path.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from promptterm.db.models import File, FileVersion
from promptterm.services.billing import check_project_storage
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict
from promptterm.services.files import store as file_store
from promptterm.services.files import tree as file_tree
from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk import reconcile as disk_reconcile
from promptterm.services.files.disk.events import FileAdded, SyncEvent, SyncProblem
from promptterm.services.files.disk.reconcile import IMPORTED
from promptterm.services.files.models import parent_of

CHUNK = 200


def import_new(
    ctx: ServiceContext,
    project_id: uuid.UUID,
    root: Path,
    paths: list[str],
    *,
    max_bytes: int,
    message: str,
) -> list[SyncEvent]:
    if message == IMPORTED and paths:
        # Binding a folder imports it on purpose: refused past the plan's storage limit.
        # Files that appear on disk later ("Created on disk") are recorded whatever the limit.
        _check_room(ctx, project_id, root, paths, max_bytes)
    events: list[SyncEvent] = []
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        try:
            events += _chunk(ctx, project_id, root, chunk, max_bytes, message)
        except (IntegrityError, Conflict):
            for rel in chunk:
                event = disk_reconcile.sync_path(
                    ctx, project_id, root, rel, max_bytes=max_bytes, created_message=message
                )
                if event is not None:
                    events.append(event)
    return events


def _check_room(
    ctx: ServiceContext, project_id: uuid.UUID, root: Path, paths: list[str], max_bytes: int
) -> None:
    """LimitReached before any file is written, checked once for the whole import.

    Measured by the files' sizes on disk (a text file's UTF-8 size), from one stat each: what
    the versions take compressed is known only once every file is read and compressed, which
    is the import itself. So it errs high, and a tree that would only just fit compressed
    may be refused. Files over ``max_bytes`` are recorded without their text and count 0.
    """
    total = 0
    for rel in paths:
        try:
            size = (root / rel).stat().st_size
        except OSError:
            continue  # gone or unreadable: the import itself reports it
        total += size if size <= max_bytes else 0
    with ctx.db.session() as session:
        check_project_storage(session, project_id, ctx.now(), total, ctx.hints)


def _chunk(
    ctx: ServiceContext,
    project_id: uuid.UUID,
    root: Path,
    chunk: list[str],
    max_bytes: int,
    message: str,
) -> list[SyncEvent]:
    events: list[SyncEvent] = []
    now = ctx.now()
    with ctx.db.session() as session:
        folders: dict[str, uuid.UUID] = dict(
            session.exec(
                select(File.path, File.id).where(
                    File.project_id == project_id,
                    File.type == "folder",
                    col(File.is_deleted).is_(False),
                )
            ).all()
        )
        for rel in chunk:
            try:
                disk = disk_io.read_file(root, rel, max_bytes)
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                continue  # gone again already
            except OSError as exc:
                message_ = disk_io.describe_error(exc, "read", root / rel)
                events.append(SyncProblem(path=rel, message=message_))
                continue
            folder = parent_of(rel)
            parent_id = folders.get(folder) if folder else None
            if folder and parent_id is None:
                parent_id = file_tree.ensure_folders(session, ctx, project_id, folder, now)
                if parent_id is not None:
                    folders[folder] = parent_id
            row = file_tree.new_row(ctx, project_id, rel, now, parent_id=parent_id)
            row.content_state, row.size_bytes = disk.state, disk.size
            row.disk_sha256, row.disk_size_bytes = disk.sha256, disk.size
            row.disk_mtime_ns = disk.mtime_ns
            session.add(row)
            if disk.text is None:
                events.append(
                    FileAdded(
                        path=rel,
                        file_id=row.id,
                        version=0,
                        content_state=disk.state,
                        detail=disk.detail,
                    )
                )
                continue
            encoding, payload = file_store.encode(disk.text)
            row.head_version = 1
            session.add(
                FileVersion(
                    id=ctx.new_id(),
                    file_id=row.id,
                    version_number=1,
                    encoding=encoding,
                    payload=payload,
                    size_bytes=disk.size,
                    sha256=disk.sha256 or file_store.digest(disk.text),
                    changed_by=ctx.user_id,
                    change_message=message,
                    created_at=now,
                )
            )
            events.append(FileAdded(path=rel, file_id=row.id, version=1))
        session.flush()
    return events
