"""Project files with a full, append-only version history: save, list, diff, restore.

Files and folders can be created, renamed, moved, deleted to the trash and brought back
with their history. In a project bound to a directory every change is mirrored on disk
(see file_disk), and a save first stores any disk change it has not seen, so neither side
is ever overwritten unseen.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import File, FileVersion, Project, User, WorkspaceMember
from promptterm.services.billing import check_project_storage
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound
from promptterm.services.files import diff as file_diff
from promptterm.services.files import store as file_store
from promptterm.services.files import tree as file_tree
from promptterm.services.files import version_store
from promptterm.services.files.diff import SideBySide
from promptterm.services.files.disk import file_actions as file_disk
from promptterm.services.files.disk.events import EditingFiles
from promptterm.services.files.disk.io import DEFAULT_MAX_BYTES
from promptterm.services.files.models import (
    ContentUnavailable,
    DiskError,
    FileContent,
    FileInfo,
    VersionInfo,
    check_new_path,
    check_path,
    file_info,
    parent_of,
    unavailable,
    version_info,
)
from promptterm.services.path_guard import inside
from promptterm.services.workspaces import ROLE_RANK, require_role

__all__ = [
    "ContentUnavailable",
    "DiskError",
    "FileContent",
    "FileInfo",
    "FileService",
    "VersionInfo",
    "check_path",
]


class FileService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        # Files over this many bytes in a bound directory are recorded, not loaded.
        self.max_file_bytes = DEFAULT_MAX_BYTES
        # The editor's unsaved-edits registry, shared with the watcher when the UI sets it.
        self.editing: EditingFiles | None = None

    # -- reading -------------------------------------------------------------------------

    def list_files(
        self, project_id: uuid.UUID, *, include_deleted: bool = False, include_folders: bool = False
    ) -> list[FileInfo]:
        """The project's files by path; folder rows too with ``include_folders``."""
        stmt = select(File).where(File.project_id == project_id).order_by(col(File.path))
        if not include_deleted:
            stmt = stmt.where(col(File.is_deleted).is_(False))
        if not include_folders:
            stmt = stmt.where(File.type == "file")
        with self.ctx.db.session() as session:
            self._project(session, project_id, "viewer", "see its files")
            return [file_info(f) for f in session.exec(stmt).all()]

    def trash(self, project_id: uuid.UUID) -> list[FileInfo]:
        """Deleted files and folders, which ``undelete`` brings back with their history."""
        return [f for f in self.list_files(project_id, include_deleted=True) if f.is_deleted]

    def get(self, file_id: uuid.UUID) -> FileInfo:
        with self.ctx.db.session() as session:
            return file_info(self._file(session, file_id, "viewer", "see it"))

    def find(self, project_id: uuid.UUID, path: str) -> FileInfo:
        path = check_path(path)
        with self.ctx.db.session() as session:
            self._project(session, project_id, "viewer", "see its files")
            row = file_tree.find(session, project_id, path)
            if row is None:
                raise NotFound(f"The project has no file {path!r}.")
            return file_info(row)

    def read(self, file_id: uuid.UUID, version: int | None = None) -> FileContent:
        """The text of ``version`` (default: the newest); ContentUnavailable for files
        promptterm records without content (binary, too large, not UTF-8)."""
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "viewer", "read it")
            if file.type != "file":
                raise NotFound(f"{file.path} is a folder.")
            if version is None and (file.content_state != "text" or file.head_version == 0):
                raise unavailable(file)
            number = version or file.head_version
            return FileContent(
                file_info(file), number, version_store.load_text(session, file, number)
            )

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
            return [version_info(v, author) for v, author in rows]

    def diff(self, file_id: uuid.UUID, old: int, new: int, *, context: int = 3) -> str:
        """A unified diff from version ``old`` to version ``new``."""
        a, b = self.read(file_id, old), self.read(file_id, new)
        return file_diff.unified(
            a.text, b.text, f"{a.file.path}@v{old}", f"{b.file.path}@v{new}", context
        )

    def side_by_side(
        self, file_id: uuid.UUID, old: int, new: int, *, context: int | None = 3
    ) -> SideBySide:
        """Aligned line pairs from version ``old`` (left) to ``new`` (right)."""
        return file_diff.side_by_side(
            self.read(file_id, old).text, self.read(file_id, new).text, context
        )

    def compare_text(
        self, file_id: uuid.UUID, version: int, text: str, *, context: int | None = 3
    ) -> SideBySide:
        """A version (left) against unsaved text (right): the conflict view's diff."""
        return file_diff.side_by_side(self.read(file_id, version).text, text, context)

    # -- changing --------------------------------------------------------------------------

    def create(
        self, project_id: uuid.UUID, path: str, content: str = "", message: str | None = None
    ) -> FileInfo:
        path = check_new_path(path)
        now = self.ctx.now()
        # In a bound folder, its lock is held from before the commit to after the write,
        # as for a save (disk/file_actions.py).
        with contextlib.ExitStack() as hold:
            with self.ctx.db.session() as session:
                project = self._project(session, project_id, "member", "add files")
                root = None
                if project.root_path:
                    # Refused before anything is stored: the write would land outside.
                    inside(project.root_path, path, action="create")
                    hold.enter_context(file_disk.locked(project.root_path))
                    root = Path(project.root_path)
                _check_free(session, project_id, path)
                parent_id = file_tree.ensure_folders(
                    session, self.ctx, project_id, parent_of(path), now
                )
                file = file_tree.new_row(self.ctx, project_id, path, now, parent_id=parent_id)
                session.add(file)
                try:
                    session.flush()
                except IntegrityError as exc:
                    raise Conflict(f"The project already has a file {path!r}.") from exc
                # An empty file stores next to nothing: it may be made even at the limit.
                room = self._storage_check(session, project_id, now) if content else None
                version_store.append(
                    session,
                    self.ctx,
                    file,
                    content,
                    message or "Created",
                    base_version=0,
                    now=now,
                    check_room=room,
                    disk_sha256=file_disk.intended_sha(root, content),
                )
                info = file_info(file)
            if root is not None:
                error = file_disk.write_saved(self, root, info.id, info.path, content)
                info = dataclasses.replace(info, sync_error=error)
            return info

    def create_folder(self, project_id: uuid.UUID, path: str) -> FileInfo:
        """An empty folder (and the folders above it); brings a deleted one back."""
        path = check_new_path(path)
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            project = self._project(session, project_id, "member", "add folders")
            row = file_tree.find(session, project_id, path)
            if row is not None and not (row.type == "folder" and row.is_deleted):
                raise Conflict(f"The project already has {path!r}.")
            file_tree.ensure_folders(session, self.ctx, project_id, path, now)
            row = file_tree.find(session, project_id, path)
            assert row is not None
            if project.root_path:
                file_disk.make_folder(project.root_path, row)
            return file_info(row)

    def save(
        self, file_id: uuid.UUID, content: str, *, base_version: int, message: str | None = None
    ) -> VersionInfo:
        """Store ``content`` as a new version, if nobody saved since ``base_version``.

        A stale base raises StaleSave (a Conflict) and stores nothing, so neither edit is
        lost: the caller still holds its text and can diff it against the newer version.
        In a bound project the version is then written to disk; if that fails the version
        is kept and ``disk_error`` on the result says why.
        """
        with file_disk.saving(self, file_id, base_version) as root:
            now = self.ctx.now()
            with self.ctx.db.session() as session:
                file = self._file(session, file_id, "member", "edit its files")
                _check_writable(file)
                if file.head_version != base_version:
                    raise version_store.stale_conflict(session, file, base_version)
                head = version_store.version_row(session, file.id, base_version)
                unchanged = head is not None and head.sha256 == file_store.digest(content)
                if unchanged:
                    assert head is not None
                    info = self._version_info(session, head)
                else:
                    row = version_store.append(
                        session,
                        self.ctx,
                        file,
                        content,
                        message,
                        base_version=base_version,
                        now=now,
                        check_room=self._storage_check(session, file.project_id, now),
                        disk_sha256=file_disk.intended_sha(root, content),
                    )
                    info = self._version_info(session, row)
                path, pending = file.path, file.sync_error is not None
            # Saving unchanged text stores nothing, but retries a write the disk refused
            # before ("free some space and save again").
            if root is not None and (not unchanged or pending):
                error = file_disk.write_saved(self, root, file_id, path, content)
                info = dataclasses.replace(info, disk_error=error)
            return info

    def restore(self, file_id: uuid.UUID, number: int, *, base_version: int) -> VersionInfo:
        """Bring back version ``number`` as a new version; history is never rewritten."""
        old = self.read(file_id, number)
        return self.save(
            file_id, old.text, base_version=base_version, message=f"Restored version {number}"
        )

    def rename(self, file_id: uuid.UUID, new_path: str) -> FileInfo:
        """Give a file or folder (with everything in it) a new path; history moves along."""
        path = check_new_path(new_path)
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "member", "rename its files")
            if file.is_deleted:
                raise Conflict(f"{file.path} is in the trash; restore it before moving it.")
            root = self._root(session, file.project_id)
            with file_disk.locked(root):
                moved = file_tree.move(session, self.ctx, file, path, self.ctx.now())
                if root is not None and moved:
                    file_disk.move(root, moved[0][1], file.path)
                    session.commit()
            return file_info(file)

    def move(self, file_id: uuid.UUID, folder: str) -> FileInfo:
        """Move into ``folder`` ("" for the top of the project), keeping the name."""
        name = self.get(file_id).name
        return self.rename(file_id, f"{check_path(folder)}/{name}" if folder.strip() else name)

    def delete(self, file_id: uuid.UUID) -> FileInfo:
        """Move a file or folder to the trash; its history stays and ``undelete`` brings it
        back. In a bound project the files leave the disk too (their text is kept here)."""
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "member", "delete or restore its files")
            root = self._root(session, file.project_id)
            project_id, path = file.project_id, file.path
        with file_disk.locked(root):
            if root is not None:
                file_disk.capture_before_delete(self, root, project_id, path)
            with self.ctx.db.session() as session:
                file = self._file(session, file_id, "member", "delete or restore its files")
                changed = file_tree.set_deleted(session, self.ctx, file, True, self.ctx.now())
                if root is not None:
                    file_disk.remove(root, changed)
                return file_info(file)

    def undelete(self, file_id: uuid.UUID) -> FileInfo:
        """Bring a file or folder back from the trash (with the folders above it)."""
        with self.ctx.db.session() as session:
            file = self._file(session, file_id, "member", "delete or restore its files")
            root = self._root(session, file.project_id)
            with file_disk.locked(root):
                changed = file_tree.set_deleted(session, self.ctx, file, False, self.ctx.now())
                if root is not None:
                    file_disk.restore(session, root, changed)
                    session.commit()  # inside the lock: the watcher then sees it done
            return file_info(file)

    # -- helpers ---------------------------------------------------------------------------

    def _project(
        self, session: Session, project_id: uuid.UUID, minimum: str, action: str
    ) -> Project:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        require_role(session, project.workspace_id, self.ctx.user_id, minimum, action)
        return project

    def _file(self, session: Session, file_id: uuid.UUID, minimum: str, action: str) -> File:
        """The file, if the user's role allows ``action``: one query on the common path
        (file, project and membership joined), since every read and save goes through here
        and each round trip to PostgreSQL costs about a millisecond."""
        found = session.exec(
            select(File, WorkspaceMember.role)
            .join(Project, col(Project.id) == col(File.project_id))
            .outerjoin(
                WorkspaceMember,
                and_(
                    col(WorkspaceMember.workspace_id) == col(Project.workspace_id),
                    col(WorkspaceMember.user_id) == self.ctx.user_id,
                ),
            )
            .where(File.id == file_id)
        ).first()
        if found is None:
            raise NotFound("That file does not exist.")
        file, role = found
        if role is None or ROLE_RANK[role] < ROLE_RANK[minimum]:
            # The uncommon path: let authz say exactly why, in its own words.
            self._project(session, file.project_id, minimum, action)
        return file

    def _root(self, session: Session, project_id: uuid.UUID) -> str | None:
        project = session.get(Project, project_id)
        return project.root_path if project else None

    def _storage_check(
        self, session: Session, project_id: uuid.UUID, now: datetime
    ) -> Callable[[int], None]:
        """The plan's storage check for a version added here on purpose (a save, a new file,
        a restore), given the bytes it takes as stored. Versions from disk do not come this
        way: they are kept whatever the limit (see billing.limits.check_storage)."""
        return functools.partial(
            check_project_storage, session, project_id, now, hints=self.ctx.hints
        )

    def _version_info(self, session: Session, row: FileVersion) -> VersionInfo:
        author = None
        if row.changed_by is not None:
            author = session.exec(
                select(User.display_name).where(User.id == row.changed_by)
            ).first()
        return version_info(row, author)


def _check_free(session: Session, project_id: uuid.UUID, path: str) -> None:
    existing = file_tree.find(session, project_id, path)
    if existing is None:
        return
    what = "folder" if existing.type == "folder" else "file"
    hint = " (it is deleted: restore it instead)" if existing.is_deleted else ""
    raise Conflict(f"The project already has a {what} {path!r}{hint}.")


def _check_writable(file: File) -> None:
    if file.type != "file":
        raise Conflict(f"{file.path} is a folder; only files have versions.")
    if file.is_deleted:
        raise Conflict(f"{file.path} is in the trash; restore it, then save your text.")
    if file.content_state != "text":
        raise unavailable(file)
