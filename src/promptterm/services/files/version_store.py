"""Reading and appending file versions in the database: one query per load, race-free saves.

Loading version N fetches, in one query, the rows from the keyframe at or before N up to N
(file_store keeps that run short). Appending moves ``files.head_version`` from the version
the edit started from to the next number with a conditional UPDATE; if another session
moved it first the UPDATE matches no row and the save is a Conflict. The UPDATE takes the
row's write lock (PostgreSQL) or the database's (SQLite), so two saves on the same base
can never both pass, whichever process or machine they come from.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import and_, func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from promptterm.db.models import File, FileVersion
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound
from promptterm.services.files import store as file_store
from promptterm.services.files.store import Head, StoredRow


def load(session: Session, file: File, number: int) -> Head:
    """Version ``number`` of ``file``, rebuilt and checked; NotFound if there is none."""
    keyframe = (
        select(func.max(FileVersion.version_number))
        .where(
            FileVersion.file_id == file.id,
            col(FileVersion.version_number) <= number,
            FileVersion.encoding == "zlib",
        )
        .scalar_subquery()
    )
    rows = session.exec(
        select(
            FileVersion.version_number,
            FileVersion.encoding,
            FileVersion.payload,
            FileVersion.base_version,
            FileVersion.sha256,
        )
        .where(
            FileVersion.file_id == file.id,
            col(FileVersion.version_number) <= number,
            col(FileVersion.version_number) >= func.coalesce(keyframe, 1),
        )
        .order_by(col(FileVersion.version_number))
    ).all()
    stored = [StoredRow(n, enc, bytes(payload), base, sha) for n, enc, payload, base, sha in rows]
    if not stored or stored[-1].number != number:
        raise NotFound(f"{file.path} has no version {number} (it has 1 to {file.head_version}).")
    return file_store.rebuild(stored, number, file.path)


def load_text(session: Session, file: File, number: int) -> str:
    return load(session, file, number).text


def head_sha(session: Session, file: File) -> str | None:
    if file.head_version == 0:
        return None
    return session.exec(
        select(FileVersion.sha256).where(
            FileVersion.file_id == file.id, FileVersion.version_number == file.head_version
        )
    ).first()


def with_head_sha(session: Session, file_id: uuid.UUID) -> tuple[File, str | None] | None:
    """The file and its newest version's hash, in one query; None if there is no file."""
    head = and_(
        col(FileVersion.file_id) == col(File.id),
        col(FileVersion.version_number) == col(File.head_version),
    )
    found = session.exec(
        select(File, FileVersion.sha256).outerjoin(FileVersion, head).where(File.id == file_id)
    ).first()
    return None if found is None else (found[0], found[1])


def append(
    session: Session,
    ctx: ServiceContext,
    file: File,
    content: str,
    message: str | None,
    *,
    base_version: int,
    now: datetime,
    head: Head | None = None,
    check_room: Callable[[int], None] | None = None,
    disk_sha256: str | None = None,
) -> FileVersion:
    """Store ``content`` as version ``base_version + 1`` if the head is still the base.

    ``head`` is the rebuilt base version when the caller has it (it saves a load); the new
    version is a delta on it when that is small. ``check_room`` gets the bytes the version
    takes as stored before anything is written, and may raise to stop the save (the plan's
    storage limit: a small edit is a small delta, known only once encoded). ``disk_sha256``
    is the hash of the bytes a save in a bound folder is about to write there (see
    disk/unwritten.py).
    """
    if head is None and base_version > 0:
        head = load(session, file, base_version)
    encoded = file_store.encode_next(content, head)
    if check_room is not None:
        check_room(len(encoded.payload))
    number = base_version + 1
    size = len(content.encode("utf-8"))
    moved = session.exec(
        update(File)
        .where(col(File.id) == file.id, col(File.head_version) == base_version)
        .values(
            head_version=number,
            size_bytes=size,
            content_state="text",
            updated_at=now,
            updated_by=ctx.user_id,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise stale_conflict(session, file, base_version)
    row = FileVersion(
        id=ctx.new_id(),
        file_id=file.id,
        version_number=number,
        encoding=encoded.encoding,
        payload=encoded.payload,
        base_version=encoded.base_version,
        size_bytes=size,
        sha256=file_store.digest(content),
        disk_sha256=disk_sha256,
        changed_by=ctx.user_id,
        change_message=(message or "").strip() or None,
        created_at=now,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        # Only reachable if the row lock was bypassed (a hand-edited head_version).
        raise Conflict(f"{file.path} was saved by someone else just now; try again.") from exc
    # Keep the loaded object in step with the row, without marking it dirty (which would
    # flush a second, unconditional UPDATE).
    for key, value in (
        ("head_version", number),
        ("size_bytes", size),
        ("content_state", "text"),
        ("updated_at", now),
        ("updated_by", ctx.user_id),
    ):
        set_committed_value(file, key, value)
    return row


class StaleSave(Conflict):
    """A save started from ``base_version`` but the file is at ``current_version`` now.

    Nothing was stored: the caller still holds its text and can diff it against the
    current version, then save again with that version as the base to keep it.
    """

    def __init__(self, path: str, base_version: int, current_version: int | None) -> None:
        super().__init__(
            f"{path} changed since you opened it (version {base_version}, now "
            f"{current_version if current_version is not None else '?'}). Compare the two "
            "and save again to keep yours."
        )
        self.base_version = base_version
        self.current_version = current_version


def stale_conflict(session: Session, file: File, base_version: int) -> StaleSave:
    current = session.exec(select(File.head_version).where(File.id == file.id)).first()
    return StaleSave(file.path, base_version, current)


def version_row(session: Session, file_id: uuid.UUID, number: int) -> FileVersion | None:
    return session.exec(
        select(FileVersion).where(
            FileVersion.file_id == file_id, FileVersion.version_number == number
        )
    ).first()
