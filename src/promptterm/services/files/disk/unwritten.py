"""Saves that never reached the disk: committed, then promptterm stopped before the write.

A save in a bound folder records, with its version, the hash of the bytes it is about to
write (``file_versions.disk_sha256``), in the same commit. The file row records what the
disk last held (``files.disk_sha256``), updated once the write has landed. A save holds the
folder's lock from its commit to its write, so outside that lock a newest version whose
intended hash differs from what the disk last held, with no write error on record, means
the process died in between. The next look at the file (a scan on open, the watcher) then
writes it if the disk still holds what it held before: the database wins for a save we
made, and the user is told.
"""

from __future__ import annotations

import uuid

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from promptterm.db.models import File, FileVersion


def intended_sha(session: Session, row: File) -> str | None:
    """The hash the newest version of ``row`` meant to put on disk, if it never got there.

    None for versions not meant for the disk (unbound, or read from it), for writes that
    landed, and for writes that failed with a reason on record (``sync_error``: the disk
    refused; those are retried and reported as such).
    """
    if row.head_version == 0 or row.sync_error is not None or row.is_deleted:
        return None
    intended = session.exec(
        select(FileVersion.disk_sha256).where(
            FileVersion.file_id == row.id, FileVersion.version_number == row.head_version
        )
    ).first()
    if intended is None or intended == row.disk_sha256:
        return None
    return intended


def unwritten_in(session: Session, project_id: uuid.UUID) -> set[uuid.UUID]:
    """The files of the project whose newest save never reached the disk, in one query (a
    rescan skips files whose size and time are unchanged, and these must not be)."""
    head = and_(
        col(FileVersion.file_id) == col(File.id),
        col(FileVersion.version_number) == col(File.head_version),
    )
    found = session.exec(
        select(File.id)
        .join(FileVersion, head)
        .where(
            File.project_id == project_id,
            col(File.is_deleted).is_(False),
            col(File.sync_error).is_(None),
            col(FileVersion.disk_sha256).is_not(None),
            or_(
                col(File.disk_sha256).is_(None),
                col(File.disk_sha256) != col(FileVersion.disk_sha256),
            ),
        )
    )
    return set(found.all())


def recovered_message(path: str, version: int) -> str:
    return (
        f"{path}: version {version} was saved in promptterm but never reached the disk "
        "(promptterm stopped before writing it). The disk had not changed since, so it is "
        "written there now."
    )
