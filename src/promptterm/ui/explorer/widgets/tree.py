"""The tree of workspaces > projects > files and threads. It only draws what it is given;
the screen fetches the data (in workers) and hands it over."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets.tree import TreeNode

from promptterm.services.words import plural
from promptterm.ui.common.widgets.tree import EllipsisTree
from promptterm.ui.explorer.widgets.nodes import (
    EMPTY_PROJECT,
    FileItem,
    GroupItem,
    Item,
    NoteItem,
    ProjectItem,
    PromptItem,
    ThreadItem,
    WorkspaceItem,
    file_label,
    group_label,
    note_label,
    project_label,
    prompt_label,
    thread_label,
    workspace_label,
)

if TYPE_CHECKING:
    from promptterm.services.chat.threads import ThreadInfo
    from promptterm.services.files.service import FileInfo
    from promptterm.services.library.prompts import PromptSummary
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import WorkspaceInfo

Node = TreeNode[Item]


class ExplorerTree(EllipsisTree[Item]):
    HELP_TITLE: ClassVar[str] = "Tree"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l", "expand_or_down", "Expand", show=False, id="explorer-tree-expand"),
        Binding("left,h", "collapse_or_up", "Collapse", show=False, id="explorer-tree-collapse"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("workspaces"), id=id)  # Text: no markup to parse
        self.show_root = False
        self.guide_depth = 3
        # Enter selects (opens a project); expanding is space, right, or a click on the arrow.
        self.auto_expand = False

    # Building ----------------------------------------------------------------------------

    def show_workspaces(
        self,
        workspaces: Iterable[WorkspaceInfo],
        matches: dict[uuid.UUID, list[ProjectInfo]] | None = None,
        empty_note: str = "No workspaces yet. Press w to create one.",
        more: int = 0,
    ) -> None:
        """Replace the tree. With ``matches`` (a filter), each workspace shows only those
        projects, already expanded; without, projects load when a workspace is expanded."""
        self.clear()
        count = 0
        for info in workspaces:
            count += 1
            node = self.root.add(workspace_label(info), WorkspaceItem(info))
            if matches is not None and info.id in matches:
                self.show_projects(node, matches[info.id], note="")
                node.expand()
        if count == 0:
            self.root.add_leaf(note_label(empty_note), NoteItem(empty_note))
        if more:
            text = f"{plural(more, 'more match', 'more matches')}; type more to narrow."
            self.root.add_leaf(note_label(text), NoteItem(text))

    def show_loading(self, node: Node) -> None:
        node.remove_children()
        node.add_leaf(note_label("loading…"), NoteItem("loading…"))

    def show_projects(
        self, node: Node, projects: list[ProjectInfo], note: str = "No projects yet. Press n."
    ) -> None:
        node.remove_children()
        item = node.data
        if isinstance(item, WorkspaceItem):
            item.loaded = True
        for info in projects:
            node.add(project_label(info), ProjectItem(info))
        if not projects and note:
            node.add_leaf(note_label(note), NoteItem(note))

    def show_contents(
        self,
        node: Node,
        files: list[FileInfo],
        threads: list[ThreadInfo],
        prompts: Sequence[PromptSummary] = (),
    ) -> None:
        node.remove_children()
        item = node.data
        if not isinstance(item, ProjectItem):
            return
        item.loaded = True
        project = item.info
        if files:
            group = node.add(group_label("files", len(files)), GroupItem("files", project))
            for f in files:
                group.add_leaf(file_label(f), FileItem(f, project))
            group.expand()
        if threads:
            group = node.add(group_label("threads", len(threads)), GroupItem("threads", project))
            for t in threads:
                group.add_leaf(thread_label(t), ThreadItem(t, project))
            group.expand()
        if prompts:
            group = node.add(group_label("prompts", len(prompts)), GroupItem("prompts", project))
            for p in prompts:
                group.add_leaf(prompt_label(p), PromptItem(p, project))
            group.expand()
        if not files and not threads and not prompts:
            text = "No files or threads yet."
            node.add_leaf(note_label(text), NoteItem(EMPTY_PROJECT, project))

    def show_failure(self, node: Node, message: str) -> None:
        node.remove_children()
        node.add_leaf(note_label(f"Could not load: {message}"), NoteItem(message))

    # Finding -----------------------------------------------------------------------------

    def find(self, kind: str, target: uuid.UUID) -> Node | None:
        """The node showing ``kind`` with id ``target``, among the nodes built so far."""
        stack = list(self.root.children)
        while stack:
            node = stack.pop(0)
            item = node.data
            if _matches(item, kind, target):
                return node
            stack.extend(node.children)
        return None

    def select(self, node: Node) -> None:
        """Put the cursor on ``node`` (expanding its ancestors) and bring it into view."""
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
        # A node knows its line only once the tree has laid out its lines; reading
        # ``last_line`` does that now, instead of on the next idle.
        _ = self.last_line
        self.move_cursor(node, animate=False)
        self.scroll_to_node(node, animate=False)

    @property
    def item(self) -> Item | None:
        node = self.cursor_node
        return node.data if node is not None else None

    # Keys --------------------------------------------------------------------------------

    def action_expand_or_down(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0], animate=False)

    def action_collapse_or_up(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent, animate=False)


def _matches(item: Item | None, kind: str, target: uuid.UUID) -> bool:
    if isinstance(item, WorkspaceItem):
        return kind == "workspace" and item.info.id == target
    if isinstance(item, ProjectItem):
        return kind == "project" and item.info.id == target
    if isinstance(item, FileItem):
        return kind == "file" and item.info.id == target
    if isinstance(item, ThreadItem):
        return kind == "thread" and item.info.id == target
    if isinstance(item, PromptItem):
        return kind == "prompt" and item.info.id == target
    return False
