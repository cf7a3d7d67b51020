"""What the explorer's workers post back to the screen (workers never touch widgets)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from promptterm.ui.jump import JumpTarget
from promptterm.ui.widgets.explorer.nodes import Item

if TYPE_CHECKING:
    from promptterm.services.chat import ThreadInfo
    from promptterm.services.components import ComponentInfo
    from promptterm.services.files import FileInfo
    from promptterm.services.presets import PresetInfo
    from promptterm.services.projects import ProjectInfo
    from promptterm.services.workspaces import MemberInfo, WorkspaceInfo


@dataclass
class WorkspacesLoaded(Message):
    workspaces: list[WorkspaceInfo]
    query: str
    matches: dict[uuid.UUID, list[ProjectInfo]] | None  # set when filtering
    more: int = 0  # matching projects left out (the filter shows the first ones)


@dataclass
class ProjectsLoaded(Message):
    node_id: int
    projects: list[ProjectInfo]


@dataclass
class ContentsLoaded(Message):
    node_id: int
    files: list[FileInfo]
    threads: list[ThreadInfo]


@dataclass
class LoadFailed(Message):
    node_id: int
    message: str


@dataclass
class DetailsLoaded(Message):
    item: Item
    members: list[MemberInfo]


@dataclass
class PreviewLoaded(Message):
    """A component or preset to show in the details pane (until the library area exists)."""

    kind: Literal["component", "preset"]
    thing: ComponentInfo | PresetInfo


@dataclass
class ProjectOpened(Message):
    project: ProjectInfo


@dataclass
class DeleteReady(Message):
    item: Item
    title: str
    question: str


@dataclass
class Changed(Message):
    """Something was created, renamed or deleted: reload and put the cursor on ``reveal``."""

    note: str
    reveal: JumpTarget | None = None
    keep_open: set[uuid.UUID] = field(default_factory=set)
    gone: uuid.UUID | None = None  # a deleted workspace or project: forget it as "current"
