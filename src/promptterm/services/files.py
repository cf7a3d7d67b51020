"""Project files with a full, append-only version history: save, list, diff, restore."""

from __future__ import annotations

import difflib
import posixpath
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import File, FileVersion, Project, User
from promptterm.services import file_store
from promptterm.services.authz import require_role
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError


@dataclass(frozen=True)
class FileInfo:
    id: uuid.UUID
    project_id: uuid.UUID
    path: str
    name: str
    type: str
    size_bytes: int
    language: str | None
    head_version: int
    is_deleted: bool
    updated_at: datetime


@dataclass(frozen=True)
class VersionInfo:
    file_id: uuid.UUID
    number: int
    size_bytes: int
    sha256: str
    author: str | None
    message: str | None
    created_at: datetime


@dataclass(frozen=True)
class FileContent:
    file: FileInfo
    version: int
    text: str


def check_path(path: str) -> str:
    """A project-relative POSIX path with no '..' and no leading slash."""
    raw = (path or "").strip().replace("\\", "/")
    if not raw:
        raise ValidationError("A file needs a path, such as src/main.py.", "path")
    if raw.startswith("/"):
        raise ValidationError("Give the path relative to the project, without a leading /.", "path")
    norm = posixpath.normpath(raw)
    # After normpath a '..' can only lead the path; a name such as '..hidden' is fine.
    if norm == "." or norm.split("/")[0] == "..":
        raise ValidationError(f"The path {path!r} leaves the project; remove the '..'.", "path")
    if len(norm) > 1024:
        raise ValidationError("The path is over 1024 characters.", "path")
    return norm


class FileService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list_files(self, project_id: uuid.UUID, *, include_deleted: bool = False) -> list[FileInfo]:
        stmt = select(File).where(File.project_id == project_id).order_by(col(File.path))
        if not include_deleted:
            stmt = stmt.where(col(File.is_deleted).is_(False))
        with self.ctx.db.session() as session:
            self._project(session, project_id, "viewer", "see its files")
            return [_info(f) for f in session.exec(stmt).all()]

    def create(
        self, project_id: uuid.UUID, path: str, content: str = "", message: str | None = None
    ) -> FileInfo:
        path = check_path(path)
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            self._project(session, project_id, "member", "add files")
            existing = session.exec(
                select(File).where(File.project_id == project_id, File.path == path)
            ).first()
            if existing is not None:
                hint = " (it is deleted: restore it instead)" if existing.is_deleted else ""
                raise Conflict(f"The project already has a file {path!r}{hint}.")
            file = File(
                id=self.ctx.new_id(),
                project_id=project_id,
                path=path,
                name=posixpath.basename(path),
                created_by=self.ctx.user_id,
                updated_by=self.ctx.user_id,
                created_at=now,
                updated_at=now,
            )
            session.add(file)
            try:
                session.flush()
            except IntegrityError as exc:
                raise Conflict(f"The project already has a file {path!r}.") from exc
            self._append_version(session, file, content, message or "Created", now)
            return _info(file)

    def read(self, file_id: uuid.UUID, version: int | None = None) -> FileContent:
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "viewer", "read it")
            number = version or file.head_version
            row = self._version(session, file, number)
            return FileContent(_info(file), number, file_store.decode(row.encoding, row.payload))

    def save(
        self, file_id: uuid.UUID, content: str, *, base_version: int, message: str | None = None
    ) -> VersionInfo:
        """Store ``content`` as a new version, if nobody saved since ``base_version``.

        A stale base raises Conflict and stores nothing, so neither edit is lost: the caller
        still holds its text and can diff it against the newer version.
        """
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "member", "edit its files")
            if file.head_version != base_version:
                raise Conflict(
                    f"{file.path} changed since you opened it (version {base_version}, now "
                    f"{file.head_version}). Compare the two and save again to keep yours."
                )
            head = self._version(session, file, file.head_version)
            if head.sha256 == file_store.digest(content):
                return self._version_info(session, head)
            row = self._append_version(session, file, content, message, now)
            return self._version_info(session, row)

    def versions(self, file_id: uuid.UUID) -> list[VersionInfo]:
        """Newest first."""
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "viewer", "see its history")
            rows = session.exec(
                select(FileVersion, User.display_name)
                .outerjoin(User, col(User.id) == col(FileVersion.changed_by))
                .where(FileVersion.file_id == file.id)
                .order_by(col(FileVersion.version_number).desc())
            ).all()
            return [_version_info(v, author) for v, author in rows]

    def diff(self, file_id: uuid.UUID, old: int, new: int, *, context: int = 3) -> str:
        """A unified diff from version ``old`` to version ``new``."""
        a = self.read(file_id, old)
        b = self.read(file_id, new)
        lines = difflib.unified_diff(
            a.text.splitlines(keepends=True),
            b.text.splitlines(keepends=True),
            fromfile=f"{a.file.path}@v{old}",
            tofile=f"{b.file.path}@v{new}",
            n=context,
        )
        return "".join(lines)

    def restore(self, file_id: uuid.UUID, number: int, *, base_version: int) -> VersionInfo:
        """Bring back version ``number`` as a new version; history is never rewritten."""
        old = self.read(file_id, number)
        return self.save(
            file_id, old.text, base_version=base_version, message=f"Restored version {number}"
        )

    def rename(self, file_id: uuid.UUID, new_path: str) -> FileInfo:
        path = check_path(new_path)
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "member", "rename its files")
            taken = session.exec(
                select(File.id).where(File.project_id == file.project_id, File.path == path)
            ).first()
            if taken is not None and taken != file.id:
                raise Conflict(f"The project already has a file {path!r}.")
            file.path, file.name = path, posixpath.basename(path)
            file.updated_at = self.ctx.now()
            session.add(file)
            return _info(file)

    def delete(self, file_id: uuid.UUID) -> FileInfo:
        """Move a file to the trash; its history stays and ``undelete`` brings it back."""
        return self._set_deleted(file_id, True)

    def undelete(self, file_id: uuid.UUID) -> FileInfo:
        return self._set_deleted(file_id, False)

    # Helpers ---------------------------------------------------------------------------

    def _set_deleted(self, file_id: uuid.UUID, deleted: bool) -> FileInfo:
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "member", "delete or restore its files")
            file.is_deleted = deleted
            file.updated_at = self.ctx.now()
            session.add(file)
            return _info(file)

    def _append_version(
        self, session: Session, file: File, content: str, message: str | None, now: datetime
    ) -> FileVersion:
        encoding, payload = file_store.encode(content)
        number = file.head_version + 1
        size = len(content.encode("utf-8"))
        row = FileVersion(
            id=self.ctx.new_id(),
            file_id=file.id,
            version_number=number,
            encoding=encoding,
            payload=payload,
            size_bytes=size,
            sha256=file_store.digest(content),
            changed_by=self.ctx.user_id,
            change_message=(message or "").strip() or None,
            created_at=now,
        )
        file.head_version, file.size_bytes = number, size
        file.updated_at, file.updated_by = now, self.ctx.user_id
        session.add(file)
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:
            # Another session took this number between our read and write.
            raise Conflict(f"{file.path} was saved by someone else just now; try again.") from exc
        return row

    def _project(
        self, session: Session, project_id: uuid.UUID, minimum: str, action: str
    ) -> Project:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        require_role(session, project.workspace_id, self.ctx.user_id, minimum, action)
        return project

    def _file(self, session: Session, file_id: uuid.UUID, minimum: str, action: str) -> File:
        file = session.get(File, file_id)
        if file is None:
            raise NotFound("That file does not exist.")
        self._project(session, file.project_id, minimum, action)
        return file

    def _version(self, session: Session, file: File, number: int) -> FileVersion:
        row = session.exec(
            select(FileVersion).where(
                FileVersion.file_id == file.id, FileVersion.version_number == number
            )
        ).first()
        if row is None:
            raise NotFound(
                f"{file.path} has no version {number} (it has 1 to {file.head_version})."
            )
        return row

    def _version_info(self, session: Session, row: FileVersion) -> VersionInfo:
        author = None
        if row.changed_by is not None:
            author = session.exec(
                select(User.display_name).where(User.id == row.changed_by)
            ).first()
        return _version_info(row, author)


def _info(f: File) -> FileInfo:
    return FileInfo(
        id=f.id,
        project_id=f.project_id,
        path=f.path,
        name=f.name,
        type=f.type,
        size_bytes=f.size_bytes,
        language=f.language,
        head_version=f.head_version,
        is_deleted=f.is_deleted,
        updated_at=f.updated_at,
    )


def _version_info(v: FileVersion, author: str | None) -> VersionInfo:
    return VersionInfo(
        file_id=v.file_id,
        number=v.version_number,
        size_bytes=v.size_bytes,
        sha256=v.sha256,
        author=author,
        message=v.change_message,
        created_at=v.created_at,
    )
