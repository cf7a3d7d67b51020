"""What the editor's workers post back to the screen (workers never touch widgets)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from promptterm.services.files.disk.events import SyncEvent
    from promptterm.services.files.editor_sessions import EditorState
    from promptterm.services.files.models import FileInfo, VersionInfo
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.ui.editor.widgets.conflict import ConflictInfo
    from promptterm.ui.editor.widgets.diff_model import DiffModel


@dataclass(frozen=True)
class Loaded:
    """One file's content as read: its text, or why there is none."""

    info: FileInfo
    version: int
    text: str | None  # None: not loaded (binary, too large, not UTF-8), see ``notice``
    notice: str = ""
    language: str | None = None  # for the CodeArea, detected in the worker (Pygments)


@dataclass
class ProjectLoaded(Message):
    project: ProjectInfo
    files: list[FileInfo]
    state: EditorState
    contents: dict[uuid.UUID, Loaded]
    problem: str | None = None  # a session that could not be read: start empty, say why


@dataclass
class ProjectChosen(Message):
    """``reveal`` found the project of a file it was asked to show."""

    project: ProjectInfo
    file_id: uuid.UUID | None


@dataclass
class FileLoaded(Message):
    project_id: uuid.UUID
    loaded: Loaded


@dataclass
class FileLoadFailed(Message):
    project_id: uuid.UUID
    file_id: uuid.UUID
    message: str


@dataclass
class TreeLoaded(Message):
    project_id: uuid.UUID
    files: list[FileInfo]
    read: int = 0  # its number in EditorProject.reads[...] (an older read is not shown)


@dataclass
class Saved(Message):
    file_id: uuid.UUID
    version: VersionInfo
    text: str  # what was saved (the editor may hold more by now)
    note: str = ""
    show: bool = False  # put the saved text in the editor (it came from outside it)
    base_version: int = 0  # the base the save started from


@dataclass
class Reloaded(Message):
    """A newer version to show in place of the editor's text (take theirs, changed on disk,
    restore): the editor replaces its text in one undoable edit."""

    loaded: Loaded
    note: str
    severity: str = "information"


@dataclass
class ConflictReady(Message):
    info: ConflictInfo
    message: str = ""


@dataclass
class HistoryLoaded(Message):
    file_id: uuid.UUID
    versions: list[VersionInfo]
    read: int = 0  # its number in EditorProject.reads[...] (an older read is not shown)


@dataclass
class DiffReady(Message):
    model: DiffModel


@dataclass
class TrashLoaded(Message):
    project_id: uuid.UUID
    items: list[FileInfo]


@dataclass
class FilesChanged(Message):
    """Something was created, moved, deleted or brought back: reload the tree."""

    note: str
    open_file: uuid.UUID | None = None
    closed: list[uuid.UUID] = field(default_factory=list)
    renamed: dict[uuid.UUID, FileInfo] = field(default_factory=dict)


@dataclass
class DiskChange(Message):
    project_id: uuid.UUID
    event: SyncEvent


@dataclass
class WatchEnded(Message):
    project_id: uuid.UUID
    message: str | None
