"""A project bound to a folder: the watcher, what its changes do to open files, conflicts,
and handing a file to $EDITOR.

While the editor shows a bound project, a thread worker runs the disk watcher and posts
each change. A changed file with no unsaved edits is reloaded (a new version, "changed on
disk"); one with unsaved edits becomes a conflict: keep mine, take the disk's, or see the
diff first. Conflicts wait while the editor is not on screen and show when it is again.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import get_current_worker

from promptterm.services.errors import ServiceError
from promptterm.services.files.disk.events import (
    DiskConflict,
    FileAdded,
    FileChanged,
    FileDeleted,
    FileRenamed,
    RootMissing,
    SyncProblem,
    WatchStarted,
    WriteRecovered,
)
from promptterm.ui.common.widgets.fitting import Part
from promptterm.ui.editor.fileops import EditorFileOps
from promptterm.ui.editor.messages import ConflictReady, DiskChange, FilesChanged, Saved, WatchEnded

if TYPE_CHECKING:
    from promptterm.ui.editor.dialogs.conflict import Choice
    from promptterm.ui.editor.widgets.conflict import ConflictInfo, ConflictKind
    from promptterm.ui.editor.widgets.document import OpenFile


class EditorSync(EditorFileOps):
    WATCH_DEBOUNCE_MS = 300

    def __init__(self) -> None:
        super().__init__()
        self._watch_stop: threading.Event | None = None
        self.watching = False
        self._conflicts: list[ConflictInfo] = []
        self._conflict_open = False

    # Watching --------------------------------------------------------------------------------

    def project_ready(self) -> None:
        project = self.project
        if project is not None and project.root_path and project.role != "viewer":
            stop = threading.Event()
            self._watch_stop = stop
            self._watch(project.id, stop)

    def project_leaving(self) -> None:
        if self._watch_stop is not None:
            self._watch_stop.set()
            self._watch_stop = None
        self.watching = False

    @work(thread=True, exit_on_error=False, group="editor-watch")
    def _watch(self, project_id: uuid.UUID, stop: threading.Event) -> None:
        worker = get_current_worker()
        ended: str | None = None
        try:
            for event in self.services.disk_sync.watch(
                project_id, stop=stop, editing=self.editing, debounce_ms=self.WATCH_DEBOUNCE_MS
            ):
                if stop.is_set() or worker.is_cancelled:
                    break
                self.post_message(DiskChange(project_id, event))
        except ServiceError as exc:
            ended = exc.message
        finally:
            stop.set()
        self.post_message(WatchEnded(project_id, ended))

    def info_extra(self) -> list[Part]:
        watching = Part(("watching the folder", "watching", ""), gives_way=6)
        return [watching] if self.watching else []

    @on(WatchEnded)
    def _watch_ended(self, message: WatchEnded) -> None:
        if self.project is not None and message.project_id == self.project.id:
            self.watching = False
            self.refresh_info()
            if message.message:
                self.notify(message.message, title="Not watching the folder", severity="warning")

    @on(DiskChange)
    def _disk_change(self, message: DiskChange) -> None:
        if self.project is None or message.project_id != self.project.id:
            return
        event = message.event
        if isinstance(event, WatchStarted):
            self.watching = True
            self.refresh_info()
            return
        if isinstance(event, SyncProblem | RootMissing):
            self.notify(event.message, title="Folder sync", severity="warning", timeout=10)
            return
        if isinstance(event, WriteRecovered):
            self.notify(event.message, title="Written to disk", severity="warning", timeout=10)
            return
        self.reload_tree()
        doc = self.docs.get(event.file_id) if hasattr(event, "file_id") else None
        if isinstance(event, FileChanged) and doc is not None:
            self._changed_on_disk(doc, event)
        elif isinstance(event, DiskConflict) and doc is not None:
            kind: ConflictKind = "deleted" if event.reason == "deleted" else "disk"
            base = event.editor_base if event.editor_base is not None else doc.base_version
            self.raise_conflict(doc, kind, base, event.disk_version)
        elif isinstance(event, DiskConflict):
            self.notify(event.message, title="Changed on disk", severity="warning")
        elif isinstance(event, FileDeleted) and doc is not None:
            self.close_doc(doc.file_id)
            self.notify(
                f"{doc.path} was deleted on disk; it is in the trash with its history.",
                title="Deleted on disk",
            )
        elif isinstance(event, FileRenamed) and doc is not None:
            self.notify(f"{event.old_path} was renamed on disk to {event.path}.")
        elif isinstance(event, FileAdded) and event.content_state == "text":
            self.notify(f"{event.path} appeared on disk.", timeout=3)

    def _changed_on_disk(self, doc: OpenFile, event: FileChanged) -> None:
        code = self.code_of(doc)
        if doc.dirty and code is not None:
            # Typed into after the watcher looked: still a conflict, never a silent reload.
            self.raise_conflict(doc, "disk", doc.base_version, event.version)
            return
        note = f"{doc.path} changed on disk: now version {event.version}."
        self.reload_version(doc.file_id, event.version or None, note)

    # Conflicts -------------------------------------------------------------------------------

    def raise_conflict(self, doc: OpenFile, kind: str, base: int, their: int | None) -> None:
        code = self.code_of(doc)
        mine = code.text if code is not None else doc.saved_text
        self._build_conflict(doc.file_id, kind, base, their, mine)

    @work(thread=True, exit_on_error=False, group="editor-conflict")
    def _build_conflict(
        self, file_id: uuid.UUID, kind: ConflictKind, base: int, their: int | None, mine: str
    ) -> None:
        info = self.build_conflict(file_id, kind, base, their, mine)
        self.post_message(ConflictReady(info))

    @on(ConflictReady)
    def _conflict_ready(self, message: ConflictReady) -> None:
        doc = self.docs.get(message.info.file_id)
        if doc is None:
            self.notify(message.info.explanation(), title=message.info.title, severity="warning")
            return
        doc.in_conflict, doc.conflict = True, message.info
        self.refresh_tabs()
        self.refresh_info()
        self._conflicts = [c for c in self._conflicts if c.file_id != doc.file_id]
        self._conflicts.append(message.info)
        if self not in self.app.screen_stack:
            self.notify(
                f"{doc.path}: {message.info.title.lower()} while you were editing it. "
                "Go to the editor (2) to decide.",
                title="Conflict",
                severity="warning",
                timeout=10,
            )
        self.show_next_conflict()

    def on_screen_resume(self) -> None:
        self.show_next_conflict()

    def show_next_conflict(self) -> None:
        if self._conflict_open or not self._conflicts or self not in self.app.screen_stack:
            return
        from promptterm.ui.editor.dialogs.conflict import ConflictScreen

        info = self._conflicts.pop(0)
        if info.file_id not in self.docs:
            self.show_next_conflict()
            return
        self._conflict_open = True
        self.app.push_screen(ConflictScreen(info), lambda choice: self._resolved(info, choice))

    def _resolved(self, info: ConflictInfo, choice: Choice | None) -> None:
        self._conflict_open = False
        doc = self.docs.get(info.file_id)
        code = self.code_of(doc)
        if doc is None:
            self.show_next_conflict()  # the tab was closed meanwhile: nothing to decide
            return
        if choice is None:
            self.notify(
                f"{doc.path} is still in conflict: save (f2) when you are ready to decide.",
                title="Decide later",
            )
        elif choice == "mine" and info.kind == "deleted":
            self._bring_back(doc.file_id, code.text if code else doc.saved_text)
        elif choice == "mine":
            assert info.their_version is not None
            message = self._save_messages.get(doc.file_id) or (
                f"Kept my edits over version {info.their_version}"
            )
            text = code.text if code else doc.saved_text
            self.save_text(doc.file_id, text, info.their_version, message)
        elif info.kind == "deleted":
            self.close_doc(doc.file_id)
            self.notify(f"{doc.path} stays deleted; it is in the trash with its history.")
        else:
            note = (
                f"Took version {info.their_version} of {doc.path}; ctrl+z brings your edits back."
            )
            self.reload_version(doc.file_id, info.their_version, note)
        self.show_next_conflict()

    @work(thread=True, exit_on_error=False, group="editor-save")
    def _bring_back(self, file_id: uuid.UUID, text: str) -> None:
        files = self.services.files
        info = files.undelete(file_id)
        version = files.save(file_id, text, base_version=info.head_version, message="Kept my edits")
        note = f"{info.path} is back with your text as version {version.number}."
        self.post_message(FilesChanged(note))
        self.post_message(Saved(file_id, version, text, base_version=info.head_version))

    # $EDITOR ---------------------------------------------------------------------------------

    def action_external(self) -> None:
        doc = self.active
        project = self.project
        if doc is None or project is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        argv = shlex.split(editor)
        name = Path(argv[0]).name if argv else "the editor"
        disk = Path(project.root_path) / doc.path if project.root_path else None
        if disk is not None and disk.is_file():
            if self._run_outside([*argv, str(disk)], name):
                self._rescan(project.id)
            return
        if doc.kind not in ("text", "readonly"):
            self.notify(
                f"promptterm keeps no text of {doc.path}; open it where it lives.",
                severity="warning",
            )
            return
        code = self.code_of(doc)
        text = code.text if code is not None else doc.saved_text
        folder = tempfile.mkdtemp(prefix="promptterm-")
        path = Path(folder) / doc.info.name
        path.write_text(text, encoding="utf-8")
        try:
            if not self._run_outside([*argv, str(path)], name):
                return
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.notify(f"Could not read the edited file back: {exc}", severity="error")
            return
        finally:
            path.unlink(missing_ok=True)
            os.rmdir(folder)
        if edited == text:
            self.notify(f"{name} changed nothing.")
            return
        self.save_text(doc.file_id, edited, doc.base_version, f"Edited in {name}", show=True)

    def _run_outside(self, argv: list[str], name: str) -> bool:
        from textual.app import SuspendNotSupported

        try:
            code = self.run_external(argv)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to another program.", severity="error")
            return False
        except OSError as exc:
            self.notify(f"Could not start {name}: {exc.strerror or exc}.", severity="error")
            return False
        if code != 0:
            self.notify(f"{name} ended with status {code}; nothing was saved.", severity="warning")
            return False
        return True

    def run_external(self, argv: list[str]) -> int:
        """Run a program with the terminal handed over to it (tests replace this)."""
        with self.app.suspend():
            return subprocess.call(argv)

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-rescan")
    def _rescan(self, project_id: uuid.UUID) -> None:
        report = self.services.disk_sync.scan(project_id, editing=self.editing)
        for event in report.events:
            self.post_message(DiskChange(project_id, event))
