"""What each explorer tree node holds, and how it is labelled.

Nodes carry the services' plain data, never a database row, so a node
can be drawn and described without touching the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.text import Text

if TYPE_CHECKING:
    from promptterm.services.chat.threads import ThreadInfo
    from promptterm.services.files.service import FileInfo
    from promptterm.services.library.prompts import PromptSummary
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import WorkspaceInfo


# Plain slotted classes rather than dataclasses: the explorer is the first screen, and
# generating dataclass methods for these at import cost more than a millisecond apiece
# before the first frame. Nodes compare by identity, which is what the tree needs.


class WorkspaceItem:
    __slots__ = ("info", "loaded")

    def __init__(self, info: WorkspaceInfo, loaded: bool = False) -> None:
        self.info = info
        self.loaded = loaded  # children are fetched on first expand


class ProjectItem:
    __slots__ = ("info", "loaded")

    def __init__(self, info: ProjectInfo, loaded: bool = False) -> None:
        self.info = info
        self.loaded = loaded


class GroupItem:
    __slots__ = ("kind", "project")

    def __init__(self, kind: Literal["files", "threads", "prompts"], project: ProjectInfo) -> None:
        self.kind = kind
        self.project = project


class FileItem:
    __slots__ = ("info", "project")

    def __init__(self, info: FileInfo, project: ProjectInfo) -> None:
        self.info = info
        self.project = project


class ThreadItem:
    __slots__ = ("info", "project")

    def __init__(self, info: ThreadInfo, project: ProjectInfo) -> None:
        self.info = info
        self.project = project


class PromptItem:
    """A prompt of the library filed under the project (enter shows it in the library)."""

    __slots__ = ("info", "project")

    def __init__(self, info: PromptSummary, project: ProjectInfo) -> None:
        self.info = info
        self.project = project


class NoteItem:
    """A line that is not a thing: "loading…", "no projects yet", "no match"."""

    __slots__ = ("project", "text")

    def __init__(self, text: str, project: ProjectInfo | None = None) -> None:
        self.text = text
        self.project = project  # an empty project's note: e opens that project


# What the details pane says on an empty project's note (the tree line itself is short).
EMPTY_PROJECT = (
    "No files or threads yet. e opens the project in the editor, where n makes a file "
    "(or bind a folder: promptterm open PATH); in the chat (3) ctrl+n starts a thread."
)

Item = WorkspaceItem | ProjectItem | GroupItem | FileItem | ThreadItem | PromptItem | NoteItem


def workspace_label(info: WorkspaceInfo) -> Text:
    label = Text(info.name, style="bold")
    label.append(f"  {info.project_count}", style="dim")
    if info.role != "owner":
        label.append(f" {info.role}", style="italic dim")
    return label


def project_label(info: ProjectInfo) -> Text:
    label = Text(info.name)
    if info.language:
        label.append(f"  {info.language}", style="dim")
    return label


def group_label(kind: str, count: int) -> Text:
    return Text(f"{kind.capitalize()} ({count})", style="italic")


def file_label(info: FileInfo) -> Text:
    label = Text(info.path)
    label.append(f"  v{info.head_version}", style="dim")
    return label


def thread_label(info: ThreadInfo) -> Text:
    label = Text(info.title)
    if info.total_tokens:
        label.append(f"  {info.total_tokens:,} tok", style="dim")
    return label


def prompt_label(info: PromptSummary) -> Text:
    return Text(info.name)


def note_label(text: str) -> Text:
    return Text(text, style="dim italic")


def workspace_id_of(item: Item | None) -> object | None:
    """The workspace a node belongs to (for "new project here" and the status line)."""
    if isinstance(item, WorkspaceItem):
        return item.info.id
    if isinstance(item, ProjectItem):
        return item.info.workspace_id
    if isinstance(item, GroupItem | FileItem | ThreadItem | PromptItem):
        return item.project.workspace_id
    return None
