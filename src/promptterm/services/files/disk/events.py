"""What syncing a bound directory reports: typed events, the unsaved-edits registry, reports.

The watcher yields these events one by one (the TUI posts each as a message from its
worker); a scan returns them in a SyncReport. Every event names the project-relative path.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, kw_only=True)
class SyncEvent:
    path: str


@dataclass(frozen=True, kw_only=True)
class WatchStarted(SyncEvent):
    """The watcher is live: from now on every change on disk is seen."""


@dataclass(frozen=True, kw_only=True)
class FileAdded(SyncEvent):
    """A file appeared on disk (or came back) and is now in the project.

    ``version`` is its new version (0 when it is recorded without content: see
    ``content_state`` and ``detail``: binary, over the size cap, or not UTF-8).
    """

    file_id: uuid.UUID
    version: int
    content_state: str = "text"
    detail: str | None = None


@dataclass(frozen=True, kw_only=True)
class FileChanged(SyncEvent):
    """A file with no unsaved edits changed on disk; ``version`` holds the disk's text.

    An editor showing the file reloads it.
    """

    file_id: uuid.UUID
    version: int
    content_state: str = "text"
    detail: str | None = None


@dataclass(frozen=True, kw_only=True)
class FileDeleted(SyncEvent):
    """A file was deleted on disk; it is in the trash with its history."""

    file_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class FileRenamed(SyncEvent):
    """A file was moved on disk from ``old_path`` to ``path``; its history moved with it."""

    file_id: uuid.UUID
    old_path: str


@dataclass(frozen=True, kw_only=True)
class FileWritten(SyncEvent):
    """promptterm wrote ``version`` to disk (a file the disk lacked, or a retried write)."""

    file_id: uuid.UUID
    version: int


@dataclass(frozen=True, kw_only=True)
class WriteRecovered(FileWritten):
    """A save that never reached the disk (promptterm stopped between storing it and writing
    it) was written now; ``message`` tells the user so."""

    message: str


@dataclass(frozen=True, kw_only=True)
class DiskConflict(SyncEvent):
    """The disk changed under a file with unsaved edits, or whose newest version never
    reached the disk. Nothing is lost: the disk's text is stored as ``disk_version`` (None
    when the disk deleted the file) and the editor still holds the user's text, so the UI
    offers keep mine (save with base ``disk_version``), take the disk's, or see the diff.
    """

    file_id: uuid.UUID
    reason: Literal["changed", "deleted"]
    editor_base: int | None  # the version the unsaved edits started from, if known
    disk_version: int | None
    message: str


@dataclass(frozen=True, kw_only=True)
class SyncProblem(SyncEvent):
    """Something on disk could not be read or written (permissions...); the message says
    what and what to do. Nothing in the database changed for this path."""

    message: str


@dataclass(frozen=True, kw_only=True)
class RootMissing(SyncEvent):
    """The bound directory is gone (deleted, unmounted). No file is marked deleted for it;
    the watcher stops. Bind the project again, or bring the directory back and reopen."""

    message: str


class EditingFiles:
    """Files open in an editor with unsaved edits, shared by the UI and the watcher thread.

    The editor marks a file dirty (with the version its edits started from) on the first
    keystroke and clean after a save or reload; a disk change to a dirty file becomes a
    DiskConflict instead of a plain FileChanged.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._dirty: dict[uuid.UUID, int] = {}

    def mark_dirty(self, file_id: uuid.UUID, base_version: int) -> None:
        with self._lock:
            self._dirty[file_id] = base_version

    def mark_clean(self, file_id: uuid.UUID) -> None:
        with self._lock:
            self._dirty.pop(file_id, None)

    def base_of(self, file_id: uuid.UUID) -> int | None:
        """The version the unsaved edits started from; None when the file is clean."""
        with self._lock:
            return self._dirty.get(file_id)


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str  # "binary" | "too_large" | "undecodable" | "symlink" | "unreadable"
    detail: str | None = None


@dataclass(frozen=True)
class SyncReport:
    """What a bind or a scan did, for a summary (the CLI) or a notice (the TUI)."""

    project_id: uuid.UUID
    root: str
    events: Sequence[SyncEvent] = field(default_factory=tuple)
    ignored: int = 0
    symlinks: Sequence[str] = field(default_factory=tuple)

    def _paths(self, kind: type[SyncEvent], state: str | None = "text") -> list[str]:
        return [
            e.path
            for e in self.events
            if isinstance(e, kind) and (state is None or getattr(e, "content_state", "") == state)
        ]

    @property
    def imported(self) -> list[str]:
        return self._paths(FileAdded)

    @property
    def changed(self) -> list[str]:
        return self._paths(FileChanged)

    @property
    def deleted(self) -> list[str]:
        return self._paths(FileDeleted, None)

    @property
    def renamed(self) -> list[tuple[str, str]]:
        return [(e.old_path, e.path) for e in self.events if isinstance(e, FileRenamed)]

    @property
    def written(self) -> list[str]:
        return self._paths(FileWritten, None)

    @property
    def recovered(self) -> list[str]:
        """What to tell the user about saves that only reached the disk now."""
        return [e.message for e in self.events if isinstance(e, WriteRecovered)]

    @property
    def conflicts(self) -> list[DiskConflict]:
        return [e for e in self.events if isinstance(e, DiskConflict)]

    @property
    def problems(self) -> list[str]:
        return [e.message for e in self.events if isinstance(e, SyncProblem | RootMissing)]

    @property
    def skipped(self) -> list[SkippedFile]:
        out = [
            SkippedFile(e.path, e.content_state, e.detail)
            for e in self.events
            if isinstance(e, FileAdded | FileChanged) and e.content_state != "text"
        ]
        out += [
            SkippedFile(path, "symlink", "symbolic link, not followed") for path in self.symlinks
        ]
        out += [
            SkippedFile(e.path, "unreadable", e.message)
            for e in self.events
            if isinstance(e, SyncProblem)
        ]
        return out
