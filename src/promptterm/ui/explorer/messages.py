"""What the explorer's workers post back to the screen (workers never touch widgets)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual.message import Message

from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.explorer.widgets.nodes import Item

if TYPE_CHECKING:
    from promptterm.services.chat.threads import ThreadInfo
    from promptterm.services.files.service import FileInfo
    from promptterm.services.library.prompts import PromptSummary
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import MemberInfo, WorkspaceInfo


# Plain classes rather than dataclasses: they are defined before the first frame, and
# generating dataclass methods cost more than a millisecond apiece.


class WorkspacesLoaded(Message):
    def __init__(
        self,
        workspaces: list[WorkspaceInfo],
        query: str,
        matches: dict[uuid.UUID, list[ProjectInfo]] | None,
        more: int = 0,
        early_name: str | None = None,
        read: int = 0,
    ) -> None:
        super().__init__()
        self.workspaces = workspaces
        self.query = query
        self.matches = matches  # set when filtering
        self.more = more  # matching projects left out (the filter shows the first ones)
        # Read before the services were open (the user's name, for the welcome): once they
        # are, the tree is loaded again through them.
        self.early_name = early_name
        self.read = read  # its number in ExplorerLoading.reads (an older read is not shown)


class ProjectsLoaded(Message):
    def __init__(self, node_id: int, projects: list[ProjectInfo]) -> None:
        super().__init__()
        self.node_id = node_id
        self.projects = projects


class ContentsLoaded(Message):
    def __init__(
        self,
        node_id: int,
        files: list[FileInfo],
        threads: list[ThreadInfo],
        prompts: list[PromptSummary] | None = None,
    ) -> None:
        super().__init__()
        self.node_id = node_id
        self.files = files
        self.threads = threads
        self.prompts = prompts or []  # my prompts filed under the project


class LoadFailed(Message):
    def __init__(self, node_id: int, message: str) -> None:
        super().__init__()
        self.node_id = node_id
        self.message = message


class DetailsLoaded(Message):
    def __init__(self, item: Item, members: list[MemberInfo]) -> None:
        super().__init__()
        self.item = item
        self.members = members


class ProjectOpened(Message):
    def __init__(self, project: ProjectInfo) -> None:
        super().__init__()
        self.project = project


class DeleteReady(Message):
    def __init__(self, item: Item, title: str, question: str) -> None:
        super().__init__()
        self.item = item
        self.title = title
        self.question = question


class Changed(Message):
    """Something was created, renamed or deleted: reload and put the cursor on ``reveal``."""

    def __init__(
        self,
        note: str,
        reveal: JumpTarget | None = None,
        keep_open: set[uuid.UUID] | None = None,
        gone: uuid.UUID | None = None,
    ) -> None:
        super().__init__()
        self.note = note
        self.reveal = reveal
        self.keep_open = keep_open if keep_open is not None else set()
        self.gone = gone  # a deleted workspace or project: forget it as "current"
