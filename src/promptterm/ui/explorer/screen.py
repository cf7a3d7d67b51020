"""The explorer: workspaces > projects > files and threads, with details and a filter.

Every service call runs in a thread worker that posts a message (messages.py); only
handlers change widgets. The screen is built in three layers, one file each:
ExplorerEditing (create, rename, delete, members, first run) < ExplorerLoading (lazy
loading and reveal) < ExplorerScreen (layout, keys, cursor, filter).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Tree

from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine
from promptterm.ui.explorer.load import NO_MATCH, ExplorerLoading
from promptterm.ui.explorer.messages import Changed, DetailsLoaded, ProjectOpened
from promptterm.ui.explorer.widgets.details import DetailsPane
from promptterm.ui.explorer.widgets.nodes import (
    FileItem,
    GroupItem,
    Item,
    NoteItem,
    ProjectItem,
    PromptItem,
    ThreadItem,
    WorkspaceItem,
)
from promptterm.ui.explorer.widgets.tree import Node

if TYPE_CHECKING:
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import WorkspaceInfo


class ExplorerScreen(ExplorerLoading):
    AREA = "explorer"
    # Its stylesheet, explorer.tcss, is loaded by the App (see PromptTermApp.CSS_PATH).
    AUTO_FOCUS = "#explorer-tree"  # not the filter, which comes first in the layout
    SUB_TITLE = "Explorer"
    TYPING_TARGETS: ClassVar[dict[str, str]] = {"explorer-filter": "tree filter"}
    BINDINGS: ClassVar[list[BindingType]] = [
        # The Footer shows six; m, o and refresh are in the details pane, help and palette.
        Binding(
            "n",
            "new_project",
            "New project",
            id="explorer-new-project",
            tooltip="Create a project in the selected workspace",
        ),
        Binding("w", "new_workspace", "New workspace", id="explorer-new-workspace"),
        Binding("r,f2", "rename", "Rename", id="explorer-rename", tooltip="Rename the selection"),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            id="explorer-delete",
            tooltip="Delete the selected workspace or project (asks first)",
        ),
        Binding(
            "m",
            "members",
            "Members",
            show=False,
            id="explorer-members",
            tooltip="See and manage the members of the selected workspace",
        ),
        Binding(
            "slash", "filter", "Filter", id="explorer-filter", tooltip="Type to narrow the tree"
        ),
        Binding(
            "o",
            "open",
            "Open project",
            show=False,
            id="explorer-open",
            tooltip="Make it the current project (also enter)",
        ),
        Binding(
            "e",
            "edit",
            "Edit files",
            show=False,
            id="explorer-edit",
            tooltip="Open the selected project or file in the editor",
        ),
        Binding("f5,ctrl+r", "refresh", "Refresh", show=False, id="explorer-refresh"),
    ]

    def compose(self) -> ComposeResult:
        # The frame first: the browser joins the switcher right after the first frame, so
        # the app appears sooner; the tree has nothing to show until the database is open
        # anyway. The welcome view joins it only when there is nothing to explore.
        yield Header()
        yield self.switcher
        yield StatusLine()
        yield AreaFooter()

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_browser)
        self.watch(self.app, "services_ready", self._services_ready, init=False)

    async def _mount_browser(self) -> None:
        browser = Horizontal(
            Vertical(
                Input(placeholder="/ filter", id="explorer-filter", compact=True),
                self.tree,
                id="explorer-left",
            ),
            DetailsPane(id="explorer-details"),
            id="browser",
        )
        await self.switcher.add_content(browser, set_current=True)
        self.query_one(DetailsPane).show_text("Loading…")
        if self.focused is None:
            self.tree.focus()
        self._load_workspaces("")

    @property
    def showing_welcome(self) -> bool:
        return self.switcher.current == "welcome"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key from the Footer and the palette when it cannot apply here.
        item = self.tree.item if self.tree.is_mounted else None
        if action in ("rename", "delete"):
            return isinstance(item, WorkspaceItem | ProjectItem)
        if action in ("new_project", "members"):
            return isinstance(
                item, WorkspaceItem | ProjectItem | GroupItem | FileItem | ThreadItem | PromptItem
            )
        if action == "open":
            return isinstance(item, ProjectItem)
        if action == "edit":
            if isinstance(item, NoteItem):  # an empty project's "No files or threads yet."
                return item.project is not None
            return isinstance(item, ProjectItem | FileItem | GroupItem)
        if action == "filter":
            return not self.showing_welcome
        return True

    # The cursor and the details pane -------------------------------------------------------

    @on(Tree.NodeHighlighted)
    def _highlighted(self) -> None:
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        node = self.tree.cursor_node
        item = node.data if node is not None else None
        if isinstance(item, NoteItem):
            text = item.text
            if text == NO_MATCH:
                text = (
                    f"Nothing matches {self.query_text!r}. Press / to change the filter, "
                    "or esc in it to clear it."
                )
            self.query_one(DetailsPane).show_text(text)
        elif item is not None:
            workspace = self._workspace_info(node)
            if workspace is not None and workspace != self.pt_app.current_workspace:
                self.pt_app.current_workspace = workspace
            self._load_details(item)
        self.refresh_bindings()

    def _workspace_info(self, node: Node | None) -> WorkspaceInfo | None:
        while node is not None and not isinstance(node.data, WorkspaceItem):
            node = node.parent
        if node is not None and isinstance(node.data, WorkspaceItem):
            return node.data.info
        return None

    @on(DetailsLoaded)
    def _show_details(self, message: DetailsLoaded) -> None:
        if message.item is self.tree.item:
            self.query_one(DetailsPane).show_item(message.item, message.members, self.now())

    # Opening -------------------------------------------------------------------------------

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[Item]) -> None:
        item = event.node.data
        if isinstance(item, ProjectItem):
            self.action_open()
        elif isinstance(item, WorkspaceItem | GroupItem):
            event.node.toggle()
        elif isinstance(item, FileItem | ThreadItem):
            self._show_in_area(item)
        elif isinstance(item, PromptItem):
            self._show_prompt(item)

    def action_edit(self) -> None:
        item = self.tree.item
        if isinstance(item, FileItem):
            self._show_in_area(item)
            return
        if isinstance(item, ProjectItem):
            project: ProjectInfo | None = item.info
        elif isinstance(item, GroupItem | NoteItem):  # a note: an empty project's
            project = item.project
        else:
            project = None
        if project is not None:
            self._open_project(project.id)
            self.pt_app.current_project = project
            self.run_worker(self.app.switch_mode("editor"), group="explorer-jump")

    def _show_in_area(self, item: FileItem | ThreadItem) -> None:
        """A file opens in the editor, a thread in the chat, on the project they belong to."""
        project = item.project
        self._open_project(project.id)
        self.pt_app.current_project = project
        kind, area = ("file", "editor") if isinstance(item, FileItem) else ("thread", "chat")
        name = item.info.path if isinstance(item, FileItem) else item.info.title
        target = JumpTarget(
            kind, item.info.id, name, "", project.workspace_id, project.id, area=area
        )
        self.run_worker(self.pt_app.jump(target), group="explorer-jump")

    def _show_prompt(self, item: PromptItem) -> None:
        """A project's prompt opens in the library's Prompts view (the project becomes the
        current one, as a file's does)."""
        project = item.project
        self._open_project(project.id)
        self.pt_app.current_project = project
        target = JumpTarget(
            "prompt", item.info.id, item.info.name, "", project.workspace_id, project.id,
            area="library",
        )  # fmt: skip
        self.run_worker(self.pt_app.jump(target), group="explorer-jump")

    def action_open(self) -> None:
        node = self.tree.cursor_node
        if node is not None and isinstance(node.data, ProjectItem):
            node.expand()
            self._open_project(node.data.info.id)

    @work(thread=True, exit_on_error=False, group="explorer-open")
    def _open_project(self, project_id: uuid.UUID) -> None:
        # Records last_accessed_at: recent projects come first next time.
        self.post_message(ProjectOpened(self.services.projects.open(project_id)))

    @on(ProjectOpened)
    def _opened(self, message: ProjectOpened) -> None:
        project = message.project
        node = self.tree.find("project", project.id)
        if node is not None and isinstance(node.data, ProjectItem):
            node.data.info = project
            if node is self.tree.cursor_node:
                self._load_details(node.data)
            self.pt_app.current_workspace = self._workspace_info(node)
        self.pt_app.current_project = project

    # Filter and refresh --------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#explorer-filter", Input).focus()

    @on(events.DescendantFocus, "#explorer-filter")
    def _filter_focused(self) -> None:
        # Load what the filter searches while the user starts typing.
        self._prefetch_index()

    @on(Input.Changed, "#explorer-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self._load_workspaces(self.query_text)

    @on(Input.Submitted, "#explorer-filter")
    def _filter_done(self) -> None:
        self.tree.focus()

    def on_key(self, event: events.Key) -> None:
        # In the filter, esc clears it and down goes to the results, as in a search box.
        filter_input = self.query_one("#explorer-filter", Input)
        if self.focused is filter_input and event.key in ("escape", "down"):
            if event.key == "escape":
                filter_input.value = ""
            self.tree.focus()
            event.stop()

    def action_refresh(self) -> None:
        self._reload(keep_cursor=True)

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        app = self.pt_app
        if message.gone is not None:
            project, workspace = app.current_project, app.current_workspace
            if project is not None and message.gone in (project.id, project.workspace_id):
                app.current_project = None
            if workspace is not None and message.gone == workspace.id:
                app.current_workspace = None
        if message.note:
            self.notify(message.note)
        self._reload(message.reveal, message.keep_open)
