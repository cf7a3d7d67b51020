"""Loading the explorer tree: lazily, in thread workers, and finding things in it again.

The middle layer of ExplorerScreen (ExplorerEditing < ExplorerLoading < ExplorerScreen):
workers post messages (messages.py); the handlers here fill the tree. ``reveal`` puts
the cursor on a workspace, project, file or thread, loading the branches on the way.
"""

from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import ContentSwitcher, Input, Tree
from textual.worker import get_current_worker

from promptterm.services.errors import ServiceError
from promptterm.ui.common.jump import JumpTarget, TargetKind
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.explorer.edit import ExplorerEditing
from promptterm.ui.explorer.messages import (
    ContentsLoaded,
    DetailsLoaded,
    LoadFailed,
    ProjectsLoaded,
    WorkspacesLoaded,
)
from promptterm.ui.explorer.widgets.nodes import (
    FileItem,
    Item,
    ProjectItem,
    PromptItem,
    ThreadItem,
    WorkspaceItem,
)
from promptterm.ui.explorer.widgets.tree import ExplorerTree, Node

if TYPE_CHECKING:
    from promptterm.services.workspaces import EarlyExplorer
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import WorkspaceInfo

NO_MATCH = "No match."
# A one-letter filter can match thousands of projects; drawing them all would stall typing.
MAX_MATCHES = 200


def target_of(item: Item | None) -> JumpTarget | None:
    """Where the cursor is, as something ``reveal`` can find again after a reload."""
    if isinstance(item, WorkspaceItem):
        return JumpTarget("workspace", item.info.id, "", "", workspace_id=item.info.id)
    if isinstance(item, ProjectItem):
        p = item.info
        return JumpTarget("project", p.id, "", "", workspace_id=p.workspace_id, project_id=p.id)
    if isinstance(item, FileItem | ThreadItem | PromptItem):
        p = item.project
        kind: TargetKind = (
            "file"
            if isinstance(item, FileItem)
            else "thread"
            if isinstance(item, ThreadItem)
            else "prompt"
        )
        return JumpTarget(kind, item.info.id, "", "", workspace_id=p.workspace_id, project_id=p.id)
    return None


def _workspace_of(item: Item) -> uuid.UUID | None:
    if isinstance(item, WorkspaceItem):
        return item.info.id
    if isinstance(item, ProjectItem):
        return item.info.workspace_id
    return None


class ExplorerLoading(ExplorerEditing):
    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""  # the filter, as last applied
        self.loaded_once = False
        self._loading: set[int] = set()  # tree node ids with a load under way
        self._reveal: JumpTarget | None = None  # where the cursor goes once loaded
        self._keep_open: set[uuid.UUID] = set()  # workspaces and projects to re-expand
        self._index: tuple[list[WorkspaceInfo], list[ProjectInfo]] | None = None
        self._index_lock = threading.Lock()
        self._shown_early = False  # the tree came from the early read: load it again once open
        # The tree is read in a thread, again after each write and as the filter is typed:
        # an answer older than the one shown is not shown over it.
        self.reads = ReadOrder()
        self._tree = ExplorerTree(id="explorer-tree")
        self.switcher = ContentSwitcher(id="explorer-switcher")

    @property
    def tree(self) -> ExplorerTree:
        # Kept rather than queried: check_action asks for it on every footer refresh.
        return self._tree

    def _cursor_moved(self) -> None:
        """Defined by the screen: update details, status line and footer for the cursor."""

    # Workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="explorer-load")
    def _load_workspaces(self, query: str) -> None:
        read = self.reads.start()
        matches: dict[uuid.UUID, list[ProjectInfo]] | None = None
        if query:
            workspaces, projects = self._filter_index()
            needle = query.casefold()
            matches, shown, more = {}, 0, 0
            for p in projects:
                if needle in p.name.casefold() or needle in p.slug:
                    if shown == MAX_MATCHES:
                        more += 1
                        continue
                    shown += 1
                    matches.setdefault(p.workspace_id, []).append(p)
            workspaces = [w for w in workspaces if w.id in matches or needle in w.name.casefold()]
        elif not self.pt_app.services_ready and (early := self._early()) is not None:
            self.post_message(
                WorkspacesLoaded(early.workspaces, "", None, 0, early.user_name, read)
            )
            return
        else:
            self.pt_app.first_content_shown()  # nothing to show before the services: open
            workspaces, more = self.services.workspaces.list(), 0
        if not get_current_worker().is_cancelled:
            self.post_message(WorkspacesLoaded(workspaces, query, matches, more, read=read))

    def _early(self) -> EarlyExplorer | None:
        """The workspaces read without the services (they take most of a second to load),
        so that the first screen shows them at once; None: wait for the services."""
        from promptterm.services.workspaces import early_explorer

        return early_explorer(self.pt_app.settings.database_url)

    def _filter_index(self) -> tuple[list[WorkspaceInfo], list[ProjectInfo]]:
        """Every workspace and project, loaded once per filtering session: with 10,000
        projects a query per keystroke would lag behind the typing. (Runs in workers.)"""
        with self._index_lock:
            if self._index is None:
                self._index = (self.services.workspaces.list(), self.services.projects.list())
            return self._index

    @work(thread=True, exclusive=True, exit_on_error=False, group="explorer-index")
    def _prefetch_index(self) -> None:
        self._filter_index()

    @work(thread=True, exit_on_error=False, group="explorer-children")
    def _load_projects(self, node_id: int, workspace_id: uuid.UUID) -> None:
        try:
            projects = self.services.projects.list(workspace_id)
        except ServiceError as exc:
            self.post_message(LoadFailed(node_id, exc.message))
            raise
        self.post_message(ProjectsLoaded(node_id, projects))

    @work(thread=True, exit_on_error=False, group="explorer-children")
    def _load_contents(self, node_id: int, project_id: uuid.UUID) -> None:
        try:
            files = self.services.files.list_files(project_id)
            threads = self.services.chat.list_threads(project_id=project_id)
            prompts = self.services.prompts.summaries(project_id=project_id)
        except ServiceError as exc:
            self.post_message(LoadFailed(node_id, exc.message))
            raise
        self.post_message(ContentsLoaded(node_id, files, threads, prompts))

    @work(thread=True, exclusive=True, exit_on_error=False, group="explorer-details")
    def _load_details(self, item: Item) -> None:
        workspace_id = _workspace_of(item)
        members = self.services.workspaces.members(workspace_id) if workspace_id else []
        if not get_current_worker().is_cancelled:
            self.post_message(DetailsLoaded(item, members))

    def _reload(
        self,
        reveal: JumpTarget | None = None,
        keep: set[uuid.UUID] | None = None,
        keep_cursor: bool = False,
    ) -> None:
        """Rebuild the tree, keeping what was expanded open."""
        self._index = None  # something changed: the filter must see it
        expanded = [n.data for n in self._expanded_nodes()]
        self._keep_open = {
            item.info.id for item in expanded if isinstance(item, WorkspaceItem | ProjectItem)
        } | (keep or set())
        self._reveal = reveal or (target_of(self.tree.item) if keep_cursor else None)
        self._load_workspaces(self.query_text)

    def _expanded_nodes(self) -> list[Node]:
        stack, found = list(self.tree.root.children), []
        while stack:
            node = stack.pop()
            if node.is_expanded:
                found.append(node)
                stack.extend(node.children)
        return found

    # Filling the tree ----------------------------------------------------------------------

    @on(WorkspacesLoaded)
    async def _show_workspaces(self, message: WorkspacesLoaded) -> None:
        if message.query != self.query_text:
            return  # typed on since; a newer load is coming
        if not self.reads.is_newest(message.read):
            return  # read before a write whose own read is shown
        self.loaded_once = True
        self._loading.clear()
        if message.early_name is not None:
            self._shown_early = True
            # Once the next refresh has drawn it, the services open (the App waits).
            self.call_after_refresh(self.pt_app.first_content_shown)
            if self.pt_app.services_ready:  # opened meanwhile: their answer follows
                self.call_after_refresh(self._services_ready, True)
        switcher = self.switcher
        if not message.workspaces and not message.query:
            await self._show_welcome(switcher, message.early_name)
            return
        was_welcome = switcher.current == "welcome"
        switcher.current = "browser"
        tree = self.tree
        tree.show_workspaces(message.workspaces, message.matches, NO_MATCH, message.more)
        if was_welcome or self.focused is None:
            tree.focus()
        for node in list(tree.root.children):
            if isinstance(node.data, WorkspaceItem) and node.data.info.id in self._keep_open:
                node.expand()
        if self._reveal is None and tree.root.children:
            first = tree.root.children[0]
            # Filtering: the first matching project is what the user is after.
            tree.select(first.children[0] if message.matches and first.children else first)
        self._continue_reveal()
        self._cursor_moved()

    def _services_ready(self, ready: bool) -> None:
        """The services are open: what the early read showed is loaded again through them
        (the same, unless the start changed something), keeping cursor and branches."""
        if ready and self._shown_early:
            self._shown_early = False
            self._reload(keep_cursor=True)

    async def _show_welcome(self, switcher: ContentSwitcher, name: str | None = None) -> None:
        # Built on first use: most starts never show it, and its buttons cost start-up time.
        from promptterm.ui.explorer.widgets.welcome import WelcomeView

        welcome = next(iter(self.query(WelcomeView)), None)
        if welcome is None:
            welcome = WelcomeView(id="welcome")
            await switcher.add_content(welcome)
        switcher.current = "welcome"
        welcome.greet(name if name is not None else self.services.user.display_name)
        self.pt_app.current_workspace = None
        self.pt_app.current_project = None
        welcome.focus_first()
        self.refresh_bindings()

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[Item]) -> None:
        node, item = event.node, event.node.data
        if node.id in self._loading:
            return
        if isinstance(item, WorkspaceItem) and not item.loaded:
            self._loading.add(node.id)
            self.tree.show_loading(node)
            self._load_projects(node.id, item.info.id)
        elif isinstance(item, ProjectItem) and not item.loaded:
            self._loading.add(node.id)
            self.tree.show_loading(node)
            self._load_contents(node.id, item.info.id)

    def _node(self, node_id: int) -> Node | None:
        self._loading.discard(node_id)
        try:
            return self.tree.get_node_by_id(node_id)
        except Exception:  # the tree was rebuilt while this loaded: nothing to fill
            return None

    @on(ProjectsLoaded)
    def _show_projects(self, message: ProjectsLoaded) -> None:
        node = self._node(message.node_id)
        if node is None:
            return
        self.tree.show_projects(node, message.projects)
        for child in node.children:
            if isinstance(child.data, ProjectItem) and child.data.info.id in self._keep_open:
                child.expand()
        self._continue_reveal()

    @on(ContentsLoaded)
    def _show_contents(self, message: ContentsLoaded) -> None:
        node = self._node(message.node_id)
        if node is not None:
            self.tree.show_contents(node, message.files, message.threads, message.prompts)
            self._continue_reveal()

    @on(LoadFailed)
    def _show_failure(self, message: LoadFailed) -> None:
        node = self._node(message.node_id)
        if node is not None:
            self.tree.show_failure(node, message.message)
        self._reveal = None

    # Reveal --------------------------------------------------------------------------------

    def reveal(self, target: JumpTarget) -> None:
        """Put the cursor on ``target`` (from the palette, or after creating something)."""
        self._reveal = target
        if self.query_text:
            # It may be filtered out: clearing the filter reloads, and the load continues here.
            self.query_one("#explorer-filter", Input).value = ""
            return
        if self.loaded_once:
            self._continue_reveal()

    def _continue_reveal(self) -> None:
        target, tree = self._reveal, self.tree
        if target is None:
            return
        found = tree.find(target.kind, target.id)
        if found is not None:
            self._reveal = None
            tree.select(found)
            self._cursor_moved()
            if not isinstance(self.focused, Input):
                tree.focus()
            return
        for kind, ref in (("workspace", target.workspace_id), ("project", target.project_id)):
            if ref is None or kind == target.kind:
                break
            node = tree.find(kind, ref)
            if node is None:
                break
            item = node.data
            if isinstance(item, WorkspaceItem | ProjectItem) and not item.loaded:
                node.expand()  # loads; the handler calls back here when done
                return
        self._reveal = None
        self.notify("That is no longer there; it may have been deleted.", severity="warning")
