"""The project the editor shows, its file tree, and the editor session kept for it.

Follows ``app.current_project``: opening a project loads its files and the user's editor
session (tabs, active file, cursor and scroll, soft wrap) in one worker; changes to that
state are saved a second after they happen and when the screen goes away. Unsaved edits
are kept in memory when the user moves to another project, and come back with it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import ContentSwitcher, Tree

from promptterm.services.errors import ServiceError
from promptterm.services.files.editor_sessions import EditorState, TabState
from promptterm.services.words import plural
from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.editor.docs import EditorDocuments
from promptterm.ui.editor.messages import Loaded, ProjectChosen, ProjectLoaded, TreeLoaded
from promptterm.ui.editor.read import read_content

if TYPE_CHECKING:
    from textual.timer import Timer

    from promptterm.services.files.models import FileInfo
    from promptterm.services.workspaces.projects import ProjectInfo

SESSION_SAVE_DELAY = 1.0


@dataclass(frozen=True)
class Stashed:
    """Unsaved edits of a file in a project the user moved away from."""

    base_version: int
    text: str
    cursor: tuple[int, int]


class EditorProject(EditorDocuments):
    def __init__(self) -> None:
        super().__init__()
        self._loading: uuid.UUID | None = None
        self._pending_file: uuid.UUID | None = None
        self._session_timer: Timer | None = None
        self._session_pending = False
        self._stash: dict[uuid.UUID, dict[uuid.UUID, Stashed]] = {}
        self.tree_shown = True
        # The tree and the history are read in threads, again after each write and disk
        # change: an answer older than the one shown is not shown over it.
        self.reads = {"tree": ReadOrder(), "history": ReadOrder()}

    def on_mount(self) -> None:
        self.watch(self.app, "current_project", self._project_chosen, init=True)

    def on_unmount(self) -> None:
        # The app is closing: a pending session save cannot wait for a worker any more.
        if self._session_pending and self.project is not None:
            try:
                self.services.editor_sessions.save(self.capture_state())
            except Exception as exc:  # closing anyway; never a traceback on the way out
                self.log.error(f"editor session not saved: {exc!r}")
        self.project_leaving()

    # Which project --------------------------------------------------------------------------

    def _project_chosen(self, project: ProjectInfo | None) -> None:
        if project is None:
            if self.project is not None:
                self.leave_project()
            self.show_state("editor-empty")
            return
        if self.project is not None and project.id == self.project.id:
            self.project = project  # renamed, or its role or folder changed
            return
        if project.id == self._loading:
            return
        self.leave_project()
        self._loading = project.id
        self.show_state("editor-loading")
        self._load_project(project)

    def show_state(self, name: str) -> None:
        self.query_one("#editor-switcher", ContentSwitcher).current = name
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-project")
    def _load_project(self, project: ProjectInfo) -> None:
        services = self.services
        services.files.editing = self.editing
        files = services.files.list_files(project.id, include_folders=True)
        problem = None
        try:
            state = services.editor_sessions.load(project.id)
        except ServiceError as exc:
            state, problem = EditorState(project.id), exc.message
        contents: dict[uuid.UUID, Loaded] = {}
        for tab in state.tabs:
            try:
                contents[tab.file_id] = read_content(services, tab.file_id)
            except ServiceError:
                continue  # gone meanwhile: the tab is dropped
        self.post_message(ProjectLoaded(project, files, state, contents, problem))

    @on(ProjectLoaded)
    def _project_loaded(self, message: ProjectLoaded) -> None:
        if message.project.id != self._loading:
            return
        self._loading = None
        self.project = message.project
        layout = message.state.layout
        self.soft_wrap = bool(layout.get("soft_wrap", False))
        self.set_tree_shown(bool(layout.get("tree", True)))
        self.show_state("editor-body")
        self.tree_view.load(message.files)
        for tab in message.state.tabs:
            loaded = message.contents.get(tab.file_id)
            if loaded is not None:
                self.add_doc(loaded, activate=False, cursor=tab.cursor, scroll=tab.scroll)
        self._unstash(message.project.id)
        active = message.state.active_file_id
        if active in self.docs:
            self.activate(active)  # type: ignore[arg-type]
        elif self.docs:
            self.activate(next(iter(self.docs)))
        else:
            self.refresh_tabs()
            self.refresh_info()
            self.tree_view.focus()
        if self._pending_file is not None:
            self.open_file(self._pending_file)
            self._pending_file = None
        if message.problem:
            self.notify(message.problem, title="Editor session not restored", severity="warning")
        self._session_pending = False
        self.project_ready()

    def leave_project(self) -> None:
        """Save the session, keep unsaved edits in memory, and close every tab."""
        if self.project is None:
            return
        if self._session_pending:
            self._store_session(self.capture_state())
            self._session_pending = False
        stash = {}
        for doc in self.docs.values():
            code = self.code_of(doc)
            if doc.dirty and code is not None:
                stash[doc.file_id] = Stashed(doc.base_version, code.text, code.cursor_location)
        if stash:
            self._stash[self.project.id] = stash
            n = len(stash)
            self.notify(
                f"{plural(n, 'file')} of {self.project.name} with unsaved edits: "
                "they are kept until you come back to it (press 2 there).",
                title="Unsaved edits kept",
            )
        self.project_leaving()
        for file_id in list(self.docs):
            self.close_doc(file_id)
        self.project = None
        self._session_pending = False

    def _unstash(self, project_id: uuid.UUID) -> None:
        for file_id, kept in self._stash.pop(project_id, {}).items():
            doc = self.docs.get(file_id)
            code = self.code_of(doc)
            if doc is None or code is None:
                continue
            if kept.base_version != doc.base_version:
                # Saved elsewhere meanwhile: the edits stay, the next save is a conflict.
                doc.base_version = kept.base_version
            code.replace(kept.text, (0, 0), code.document.end)
            doc.cursor, doc.view_pending = kept.cursor, True

    def project_ready(self) -> None:
        """Hook: the project is shown (the sync layer starts watching its folder)."""

    def project_leaving(self) -> None:
        """Hook: the project is about to go (the sync layer stops watching)."""

    # The tree --------------------------------------------------------------------------------

    def set_tree_shown(self, shown: bool) -> None:
        self.tree_shown = shown
        self.tree_view.display = shown

    def reload_tree(self) -> None:
        if self.project is not None:
            self._load_tree(self.project.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-tree")
    def _load_tree(self, project_id: uuid.UUID) -> None:
        read = self.reads["tree"].start()
        files = self.services.files.list_files(project_id, include_folders=True)
        self.post_message(TreeLoaded(project_id, files, read))

    @on(TreeLoaded)
    def _tree_loaded(self, message: TreeLoaded) -> None:
        if self.project is None or message.project_id != self.project.id:
            return
        if not self.reads["tree"].is_newest(message.read):
            return  # read before a write or a disk change whose own read is shown
        self.tree_view.load(message.files)
        self.files_refreshed(message.files)

    def files_refreshed(self, files: list[FileInfo]) -> None:
        by_id = {f.id: f for f in files}
        for doc in self.docs.values():
            info = by_id.get(doc.file_id)
            if info is not None and info.path != doc.path:
                doc.info = info
        self.refresh_tabs()
        self.refresh_info()

    @on(Tree.NodeSelected, "#editor-tree")
    def _tree_selected(self, event: Tree.NodeSelected[FileInfo | None]) -> None:
        info = event.node.data
        if info is not None and not info.is_folder:
            self.open_file(info.id)

    @on(Tree.NodeHighlighted, "#editor-tree")
    def _tree_moved(self) -> None:
        # Rename, Move and Delete need a file or folder under the cursor: the footer follows.
        self.refresh_bindings()

    # Jumping here ----------------------------------------------------------------------------

    def reveal(self, target: JumpTarget) -> None:
        """Show a file (or a project) from the palette or the explorer."""
        if target.project_id is None:
            return
        file_id = target.id if target.kind == "file" else None
        if self.project is not None and self.project.id == target.project_id:
            if file_id is not None:
                self.open_file(file_id)
            return
        self._pending_file = file_id
        if self._loading != target.project_id:
            self._choose_project(target.project_id, file_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-choose")
    def _choose_project(self, project_id: uuid.UUID, file_id: uuid.UUID | None) -> None:
        self.post_message(ProjectChosen(self.services.projects.open(project_id), file_id))

    @on(ProjectChosen)
    def _chosen(self, message: ProjectChosen) -> None:
        self._pending_file = message.file_id
        self.pt_app.current_project = message.project

    # The session -----------------------------------------------------------------------------

    def schedule_session_save(self) -> None:
        if self.project is None or self._loading is not None:
            return
        self._session_pending = True
        if self._session_timer is not None:
            self._session_timer.stop()
        self._session_timer = self.set_timer(SESSION_SAVE_DELAY, self.save_session)

    def save_session(self) -> None:
        if self._session_pending and self.project is not None:
            self._session_pending = False
            self._store_session(self.capture_state())

    def capture_state(self) -> EditorState:
        assert self.project is not None
        tabs = []
        for doc in self.docs.values():
            code, lines = self.code_of(doc), self.lines_of(doc)
            if not doc.view_pending and code is not None and code.is_mounted:
                doc.cursor = code.cursor_location
                doc.scroll = (int(code.scroll_x), int(code.scroll_y))
            elif not doc.view_pending and lines is not None and lines.is_mounted:
                doc.scroll = (int(lines.scroll_x), int(lines.scroll_y))
            tabs.append(TabState(doc.file_id, doc.cursor, doc.scroll))
        layout = {"soft_wrap": self.soft_wrap, "tree": self.tree_shown}
        return EditorState(self.project.id, tuple(tabs), self.active_id, layout)

    @work(thread=True, exit_on_error=False, group="editor-session")
    def _store_session(self, state: EditorState) -> None:
        try:
            self.services.editor_sessions.save(state)
        except ServiceError as exc:
            # A tab whose file was deleted a moment ago: the next save will be right.
            self.log.warning(f"editor session not saved: {exc.message}")
