"""Folders: rows of type "folder" in ``files``, kept in step with the paths under them.

A folder row exists for every folder that holds something and for empty folders made on
purpose (or found on disk), so the tree can show them; ``parent_id`` links each row to its
folder. Creating ``a/b/c.txt`` makes ``a`` and ``a/b`` as needed; moving or deleting a
folder moves or deletes (softly) everything under it in one transaction.
"""

from __future__ import annotations

import posixpath
import uuid
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from promptterm.db.models import File
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.files.models import parent_of


def find(session: Session, project_id: uuid.UUID, path: str) -> File | None:
    return session.exec(
        select(File).where(File.project_id == project_id, File.path == path)
    ).first()


def new_row(
    ctx: ServiceContext,
    project_id: uuid.UUID,
    path: str,
    now: datetime,
    *,
    type_: str = "file",
    parent_id: uuid.UUID | None = None,
) -> File:
    return File(
        id=ctx.new_id(),
        project_id=project_id,
        path=path,
        name=posixpath.basename(path),
        type=type_,
        parent_id=parent_id,
        created_by=ctx.user_id,
        updated_by=ctx.user_id,
        created_at=now,
        updated_at=now,
    )


def ensure_folders(
    session: Session, ctx: ServiceContext, project_id: uuid.UUID, folder: str, now: datetime
) -> uuid.UUID | None:
    """Folder rows for ``folder`` and each folder above it (brought back from the trash if
    they were deleted); the id of ``folder``'s row, None for the top of the project."""
    parent_id: uuid.UUID | None = None
    built = ""
    for part in folder.split("/") if folder else ():
        built = f"{built}/{part}" if built else part
        row = find(session, project_id, built)
        if row is None:
            row = new_row(ctx, project_id, built, now, type_="folder", parent_id=parent_id)
            session.add(row)
            session.flush()
        elif row.type != "folder":
            raise Conflict(f"{built} is a file, so it cannot hold other files.")
        elif row.is_deleted:
            row.is_deleted = False
            row.updated_at = now
            session.add(row)
        parent_id = row.id
    return parent_id


def subtree(session: Session, project_id: uuid.UUID, path: str) -> list[File]:
    """The row at ``path`` and every row under it, parents first."""
    prefix = path + "/"
    # substr rather than LIKE: paths may hold % and _, which LIKE would treat as wildcards.
    rows = session.exec(
        select(File).where(
            File.project_id == project_id,
            or_(
                col(File.path) == path,
                func.substr(col(File.path), 1, len(prefix)) == prefix,
            ),
        )
    ).all()
    return sorted(rows, key=lambda r: r.path.count("/"))


def move(
    session: Session, ctx: ServiceContext, row: File, new_path: str, now: datetime
) -> list[tuple[File, str]]:
    """Give ``row`` (and, for a folder, everything under it) the path ``new_path``.

    Returns (row, old path) pairs, parents first. Refuses to move a folder into itself or
    onto any existing path, including one held by a deleted file (restore or rename that).
    """
    old_path = row.path
    if new_path == old_path:
        return []
    if row.type == "folder" and new_path.startswith(old_path + "/"):
        raise ValidationError(f"Cannot move the folder {old_path} into itself.", "path")
    moving = subtree(session, row.project_id, old_path) if row.type == "folder" else [row]
    targets = {r.id: new_path + r.path[len(old_path) :] for r in moving}
    for r in moving:
        taken = find(session, row.project_id, targets[r.id])
        if taken is not None and taken.id not in targets:
            hint = " (a deleted file is in the trash there: restore or rename it)"
            raise Conflict(
                f"The project already has {targets[r.id]!r}{hint if taken.is_deleted else ''}."
            )
    parent_id = ensure_folders(session, ctx, row.project_id, parent_of(new_path), now)
    moved = []
    for r in moving:
        moved.append((r, r.path))
        r.path = targets[r.id]
        r.name = posixpath.basename(r.path)
        r.updated_at, r.updated_by = now, ctx.user_id
        session.add(r)
    row.parent_id = parent_id
    session.flush()
    return moved


def set_deleted(
    session: Session, ctx: ServiceContext, row: File, deleted: bool, now: datetime
) -> list[File]:
    """Soft-delete or bring back ``row``, with everything under a folder; bringing back a
    file also brings back the folders above it. The rows that changed."""
    rows = subtree(session, row.project_id, row.path) if row.type == "folder" else [row]
    if not deleted:
        ensure_folders(session, ctx, row.project_id, parent_of(row.path), now)
    changed = [r for r in rows if r.is_deleted != deleted]
    for r in changed:
        r.is_deleted = deleted
        r.updated_at, r.updated_by = now, ctx.user_id
        session.add(r)
    return changed
