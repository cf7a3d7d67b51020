"""What each explorer tree node holds, and how it is labelled.

Nodes carry the services' plain data (frozen dataclasses), never a database row, so a node
can be drawn and described without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.text import Text

if TYPE_CHECKING:
    from promptterm.services.chat import ThreadInfo
    from promptterm.services.files import FileInfo
    from promptterm.services.projects import ProjectInfo
    from promptterm.services.workspaces import WorkspaceInfo


@dataclass
class WorkspaceItem:
    info: WorkspaceInfo
    loaded: bool = False  # children are fetched on first expand


@dataclass
class ProjectItem:
    info: ProjectInfo
    loaded: bool = False


@dataclass(frozen=True)
class GroupItem:
    kind: Literal["files", "threads"]
    project: ProjectInfo


@dataclass(frozen=True)
class FileItem:
    info: FileInfo
    project: ProjectInfo


@dataclass(frozen=True)
class ThreadItem:
    info: ThreadInfo
    project: ProjectInfo


@dataclass(frozen=True)
class NoteItem:
    """A line that is not a thing: "loading…", "no projects yet", "no match"."""

    text: str


Item = WorkspaceItem | ProjectItem | GroupItem | FileItem | ThreadItem | NoteItem


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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


def note_label(text: str) -> Text:
    return Text(text, style="dim italic")


def workspace_id_of(item: Item | None) -> object | None:
    """The workspace a node belongs to (for "new project here" and the status line)."""
    if isinstance(item, WorkspaceItem):
        return item.info.id
    if isinstance(item, ProjectItem):
        return item.info.workspace_id
    if isinstance(item, GroupItem | FileItem | ThreadItem):
        return item.project.workspace_id
    return None
