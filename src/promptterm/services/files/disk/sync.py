"""Projects bound to a directory: bind and import, rescan, apply the watcher's changes.

``bind`` records the directory and imports its text files ("Imported from disk"); ``scan``
brings the whole tree in step (run it when a project is opened: it catches what changed
while promptterm was closed, and retries writes that failed); ``apply`` handles one batch
of changes from the watcher; ``watch`` (disk/watch.py) yields typed events for the UI. All of
them go through disk/reconcile.py, whose rule is that a disk change is stored as a version
before anything else happens, so no side is ever lost.

Renames on disk are recognised by content: a file that vanished from one path while a file
with the same bytes appeared at another keeps its row and history under the new path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from promptterm.db.models import File, Project
from promptterm.services.context import ServiceContext
from promptterm.services.errors import (
    Conflict,
    LimitReached,
    ValidationError,
)
from promptterm.services.files import tree as file_tree
from promptterm.services.files.disk import bulk_import as disk_import
from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk import reconcile as disk_reconcile
from promptterm.services.files.disk import renames as disk_renames
from promptterm.services.files.disk import unwritten
from promptterm.services.files.disk.bound_folders import BoundFolders
from promptterm.services.files.disk.events import (
    EditingFiles,
    FileDeleted,
    RootMissing,
    SyncEvent,
    SyncProblem,
    SyncReport,
)
from promptterm.services.files.disk.folder_lock import folder_lock
from promptterm.services.files.disk.ignore_rules import IgnoreRules
from promptterm.services.files.disk.reconcile import CREATED_ON_DISK, IMPORTED

if TYPE_CHECKING:
    import threading


class DiskSyncService(BoundFolders):
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        # Files over this many bytes are recorded ("too_large") without loading them.
        self.max_file_bytes = disk_io.DEFAULT_MAX_BYTES
        # gitignore-style patterns skipped on top of the built-in ones and .gitignore.
        self.extra_ignores: tuple[str, ...] = ()
        # A bigger tree is almost surely a mistake (a home folder): refused, not imported.
        self.max_files = 20_000

    # -- binding ---------------------------------------------------------------------------

    def bind(
        self, project_id: uuid.UUID, directory: str | Path, *, editing: EditingFiles | None = None
    ) -> SyncReport:
        """Bind the project to ``directory`` and import its files.

        Files the project already had but the directory lacks are written to it; files on
        both sides whose texts differ get the disk's text as a new version.
        """
        root = Path(directory).expanduser().resolve()
        if not root.is_dir():
            raise ValidationError(f"{directory} is not a folder (or does not exist).", "path")
        with self.ctx.db.session() as session:
            project = self._project(session, project_id, "bind it to a folder")
            other = session.exec(
                select(Project).where(Project.root_path == str(root), Project.id != project_id)
            ).first()
            if other is not None:
                raise Conflict(f"{root} is already bound to the project {other.name!r}.")
            if project.root_path != str(root):
                # What was seen in another folder says nothing about this one: compare
                # every file afresh (and write the ones this folder lacks).
                for row in session.exec(select(File).where(File.project_id == project_id)):
                    row.disk_sha256 = row.disk_size_bytes = row.disk_mtime_ns = None
                    session.add(row)
            previous = project.root_path
            project.root_path = str(root)
            project.updated_at = self.ctx.now()
            session.add(project)
        try:
            return self.scan(project_id, editing=editing, created_message=IMPORTED)
        except (ValidationError, LimitReached):
            # Refused before importing anything (an unusable folder, or more than the plan's
            # storage): leave the project as it was, unbound, so nothing imports it later.
            with self.ctx.db.session() as session:
                project = self._project(session, project_id, "bind it to a folder")
                project.root_path = previous
                session.add(project)
            raise

    # -- syncing ---------------------------------------------------------------------------

    def scan(
        self,
        project_id: uuid.UUID,
        *,
        editing: EditingFiles | None = None,
        created_message: str = CREATED_ON_DISK,
    ) -> SyncReport:
        """Bring the whole tree in step with the disk."""
        root = self.root_of(project_id)
        if not root.is_dir():
            missing = RootMissing(path="", message=disk_reconcile._root_missing(root))
            return SyncReport(project_id, str(root), (missing,))
        rules = IgnoreRules(root, self.extra_ignores)
        files, dirs, symlinks, events = [], [], [], []
        ignored = 0
        for entry in rules.walk():
            if entry.kind == "file":
                files.append(entry.rel)
                if len(files) > self.max_files:
                    raise ValidationError(
                        f"{root} holds over {self.max_files:,} files. Open a project's own "
                        "folder, or list what to skip in a .gitignore there.",
                        "path",
                    )
            elif entry.kind == "dir":
                dirs.append(entry.rel)
            elif entry.kind == "symlink":
                symlinks.append(entry.rel)
            elif entry.kind == "ignored":
                ignored += 1
            elif entry.error is not None:
                message = disk_io.describe_error(entry.error, "read", root / entry.rel)
                events.append(SyncProblem(path=entry.rel, message=message))
        with folder_lock(root):
            events += self._reconcile(
                project_id, root, files, dirs, None, editing, created_message, quick=True
            )
        return SyncReport(project_id, str(root), tuple(events), ignored, tuple(symlinks))

    def apply(
        self,
        project_id: uuid.UUID,
        changes: Iterable[tuple[Any, str]],
        *,
        editing: EditingFiles | None = None,
        rules: IgnoreRules | None = None,
    ) -> list[SyncEvent]:
        """One batch of (change, absolute path) pairs from watchfiles."""
        root = self.root_of(project_id)
        if not root.is_dir():
            return [RootMissing(path="", message=disk_reconcile._root_missing(root))]
        rels = sorted({rel for _, path in changes if (rel := _relative(root, path))})
        if any(r.endswith(".gitignore") or r == ".git/info/exclude" for r in rels):
            # New patterns can hide or reveal anything: look at the whole tree again.
            if rules is not None:
                rules.reload()
            return list(self.scan(project_id, editing=editing).events)
        rules = rules or IgnoreRules(root, self.extra_ignores)
        files: list[str] = []
        dirs: list[str] = []
        scope: list[str] = []
        for rel in rels:
            path = root / rel
            if path.is_symlink():
                continue
            if path.is_dir():
                if not rules.is_ignored(rel, is_dir=True):
                    scope.append(rel)
                    dirs.append(rel)
                    for entry in rules.walk(rel):
                        if entry.kind == "file":
                            files.append(entry.rel)
                        elif entry.kind == "dir":
                            dirs.append(entry.rel)
            elif path.is_file():
                if not rules.is_ignored(rel):
                    scope.append(rel)
                    files.append(rel)
            else:
                scope.append(rel)  # gone: whatever the project had there is looked at
        if not scope:
            return []
        with folder_lock(root):
            return self._reconcile(
                project_id, root, files, dirs, scope, editing, CREATED_ON_DISK, quick=False
            )

    def watch(
        self,
        project_id: uuid.UUID,
        *,
        stop: threading.Event,
        editing: EditingFiles | None = None,
        debounce_ms: int = 300,
        timeout_ms: int = 1000,
        force_polling: bool | None = None,
    ) -> Iterator[SyncEvent]:
        """Events for every change on disk until ``stop`` is set (see disk_watch)."""
        from promptterm.services.files.disk.watch import watch_project

        return watch_project(
            self,
            project_id,
            stop=stop,
            editing=editing,
            debounce_ms=debounce_ms,
            timeout_ms=timeout_ms,
            force_polling=force_polling,
        )

    # -- internals -------------------------------------------------------------------------

    def _reconcile(
        self,
        project_id: uuid.UUID,
        root: Path,
        files: list[str],
        dirs: list[str],
        scope: list[str] | None,
        editing: EditingFiles | None,
        created_message: str,
        *,
        quick: bool,
    ) -> list[SyncEvent]:
        def in_scope(path: str) -> bool:
            return scope is None or any(path == s or path.startswith(s + "/") for s in scope)

        with self.ctx.db.session() as session:
            rows = [r for r in _rows(session, project_id) if in_scope(r.path)]
            # Saves that never reached the disk: looked at even when size and time say the
            # file is as it was (it is: that is the point).
            unwritten_ids = unwritten.unwritten_in(session, project_id)
        live = {r.path: r for r in rows if r.type == "file" and not r.is_deleted}
        on_disk = set(files)
        missing = [r for p, r in live.items() if p not in on_disk and not (root / p).exists()]
        new = [p for p in files if p not in live]
        renames = disk_renames.detect(self.ctx, project_id, root, missing, new, self.max_file_bytes)
        events: list[SyncEvent] = list(renames)
        moved_to = {e.path for e in renames}
        moved_from = {e.file_id for e in renames}
        events += self._folders(project_id, root, dirs)
        kwargs: dict[str, Any] = {"max_bytes": self.max_file_bytes, "editing": editing}
        by_path = {r.path: r for r in rows}
        fresh = [p for p in new if p not in by_path and p not in moved_to]
        events += disk_import.import_new(
            self.ctx,
            project_id,
            root,
            fresh,
            max_bytes=self.max_file_bytes,
            message=created_message,
        )
        moved_to.update(fresh)
        for rel in files:
            row = by_path.get(rel)
            look_closely = not quick or (row is not None and row.id in unwritten_ids)
            if rel not in moved_to and (look_closely or not _unchanged(root, rel, row)):
                event = disk_reconcile.sync_path(
                    self.ctx,
                    project_id,
                    root,
                    rel,
                    created_message=created_message,
                    quick=not look_closely,
                    **kwargs,
                )
                if event is not None:
                    events.append(event)
        for row in missing:
            if row.id not in moved_from:
                event = disk_reconcile.sync_path(self.ctx, project_id, root, row.path, **kwargs)
                if event is not None:
                    events.append(event)
        if not any(isinstance(e, RootMissing) for e in events):
            events += self._gone_folders(project_id, root, rows, set(dirs))
        return events

    def _folders(self, project_id: uuid.UUID, root: Path, dirs: list[str]) -> list[SyncEvent]:
        """Folder rows for the folders on disk (empty ones too)."""
        events: list[SyncEvent] = []
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            for rel in sorted(dirs, key=lambda d: d.count("/")):
                row = file_tree.find(session, project_id, rel)
                if row is not None and row.type != "folder":
                    message = f"{rel} is a file in promptterm but a folder on disk."
                    events.append(SyncProblem(path=rel, message=message))
                    continue
                if row is None or row.is_deleted or row.disk_mtime_ns is None:
                    file_tree.ensure_folders(session, self.ctx, project_id, rel, now)
                    row = file_tree.find(session, project_id, rel)
                    if row is not None:
                        try:
                            row.disk_mtime_ns = (root / rel).stat().st_mtime_ns
                        except OSError:
                            continue
                        session.add(row)
        return events

    def _gone_folders(
        self, project_id: uuid.UUID, root: Path, rows: list[File], dirs: set[str]
    ) -> list[SyncEvent]:
        """Folders seen on disk before and gone now, once nothing live is left in them."""
        gone = [
            r
            for r in rows
            if r.type == "folder"
            and not r.is_deleted
            and r.disk_mtime_ns is not None
            and r.path not in dirs
            and not (root / r.path).exists()
        ]
        events: list[SyncEvent] = []
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            for folder in sorted(gone, key=lambda r: r.path.count("/"), reverse=True):
                row = session.get(File, folder.id)
                if row is None or any(
                    not r.is_deleted and r.id != row.id
                    for r in file_tree.subtree(session, project_id, row.path)
                ):
                    continue
                row.is_deleted, row.disk_mtime_ns, row.updated_at = True, None, now
                session.add(row)
                session.flush()
                events.append(FileDeleted(path=row.path, file_id=row.id))
        return events


def _unchanged(root: Path, rel: str, row: File | None) -> bool:
    """Same size and mtime as last seen: a rescan need not read it (nor open a session)."""
    if row is None or row.is_deleted or row.type != "file" or row.sync_error is not None:
        return False
    try:
        st = os.stat(root / rel)
    except OSError:
        return False
    return st.st_size == row.disk_size_bytes and st.st_mtime_ns == row.disk_mtime_ns


def _rows(session: Session, project_id: uuid.UUID) -> list[File]:
    return list(session.exec(select(File).where(File.project_id == project_id)).all())


def _relative(root: Path, path: str) -> str | None:
    try:
        rel = Path(path).relative_to(root).as_posix()
    except ValueError:
        return None
    return None if rel in ("", ".") else rel
