"""The editor: a project's files with tabs, a file tree, versions, and sync with the disk.

Built in layers, one file each: EditorDocuments (tabs, panes, unsaved edits) <
EditorProject (which project, the tree, the editor session) < EditorVersions (save, history,
diff, restore) < EditorFileOps (create, rename, move, delete, trash) < EditorSync (the disk
watcher, conflicts, $EDITOR) < EditorRuns (runs, git) < EditorGit, EditorRunHistory (git
views, the run history: git_views.py, run_history.py) < EditorAi (ai/: explain, refactor,
generate, analyze) < EditorFind (find and replace: finding.py) < EditorScreen (layout, keys,
go to line, wrap, undo).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Static

from promptterm.services.errors import ValidationError
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine
from promptterm.ui.editor.ai.keys import AI_ACTIONS, AI_BINDINGS
from promptterm.ui.editor.ai.panel import AiPanel
from promptterm.ui.editor.finding import EditorFind
from promptterm.ui.editor.keys import EDITOR_BINDINGS
from promptterm.ui.editor.versions import HISTORY_WITH_TREE_MIN_WIDTH, _confirm, _form
from promptterm.ui.editor.widgets.code_area import CodeArea
from promptterm.ui.editor.widgets.empty import NoProject
from promptterm.ui.editor.widgets.file_tree import ProjectTree
from promptterm.ui.editor.widgets.find_bar import FindBar
from promptterm.ui.editor.widgets.history import HistoryPanel
from promptterm.ui.editor.widgets.info_line import InfoLine
from promptterm.ui.editor.widgets.run_panel import RunPanel
from promptterm.ui.editor.widgets.tabs import EditorTabs

NO_FILE = (
    "No file open. Pick one in the file tree (ctrl+o, then enter), create one (ctrl+n), "
    "or find one by name with ctrl+p."
)
TREE_ACTIONS = (
    "tree_new_file",
    "tree_new_folder",
    "tree_rename",
    "tree_move",
    "tree_delete",
    "tree_trash",
)
HISTORY_ACTIONS = ("mark_version", "compare", "restore")


class EditorScreen(EditorFind):
    AREA = "editor"
    CSS_PATH = css_path("editor.tcss")
    SUB_TITLE = "Editor"
    TYPING_TARGETS: ClassVar[dict[str, str]] = {
        "find-input": "find",
        "replace-input": "replace with",
    }
    BINDINGS: ClassVar[list[BindingType]] = EDITOR_BINDINGS + AI_BINDINGS
    _tree_by_key = False  # the tree got the focus from ctrl+o (a second press hides it)
    # Help lists these under their pane: "r" renames in the tree and restores in the history.
    HELP_PANES: ClassVar[dict[str, str]] = {
        **dict.fromkeys(TREE_ACTIONS, "File tree"),
        **dict.fromkeys(HISTORY_ACTIONS, "History"),
        **dict.fromkeys(AI_ACTIONS, "AI"),
    }

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="editor-empty", id="editor-switcher"):
            yield NoProject(id="editor-empty")
            yield Static("Opening the project\u2026", id="editor-loading")
            with Horizontal(id="editor-body"):
                yield ProjectTree(id="editor-tree")
                with Vertical(id="editor-main"):
                    yield EditorTabs(id="editor-tabs")
                    with ContentSwitcher(initial="editor-none", id="editor-panes"):
                        yield Static(NO_FILE, id="editor-none", markup=False)
                    yield FindBar(id="editor-find")
                    yield InfoLine(id="editor-info")
                    yield RunPanel(id="editor-run")
                yield HistoryPanel(id="editor-history")
                yield AiPanel(id="editor-ai")
        yield StatusLine()
        yield AreaFooter()

    # Which keys apply now --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit":
            return True
        if self.project is None or not self.is_mounted:
            return False
        doc = self.active
        focused = self.focused
        in_tree = focused is self.tree_view
        in_history = self.history_shown and focused is self.history_panel.options
        if action in TREE_ACTIONS:
            needs_target = action in ("tree_rename", "tree_move", "tree_delete")
            return in_tree and (not needs_target or self.tree_view.cursor_info is not None)
        if action == "compare" and in_history and self.history_panel.highlighted_commit:
            return True  # a git commit: compared with the text now
        if action in HISTORY_ACTIONS:
            return in_history and self.history_panel.highlighted is not None
        code = self.code_of(doc)
        elsewhere = in_tree or in_history  # keys about the code wait until it is back
        if action == "save":
            return code is not None and not code.read_only
        if action in ("find", "replace", "find_next", "find_previous", "wrap"):
            return code is not None and not elsewhere
        if action == "replace_all":
            return code is not None and self.find_bar.has_class("-replace")
        if action in ("undo", "redo"):
            return code is not None and focused is code and not code.read_only
        if action in ("file_start", "file_end"):
            return code is not None and focused is code
        if action == "go_to_line":
            return doc is not None and doc.kind in ("text", "readonly") and not elsewhere
        if action in ("next_tab", "previous_tab"):
            return len(self.docs) > 1
        if action == "close_tab":
            return doc is not None
        if action == "external":
            return doc is not None and (
                doc.kind in ("text", "readonly") or self._can_edit_outside(doc)
            )
        if action in AI_ACTIONS:
            return self.ai_allowed()
        if action == "back":
            return (in_tree or in_history or focused is self.run_panel) and doc is not None
        if action == "run_file":
            return self.can_run and not self.run_going and self.runnable_file() is not None
        if action == "run_command":
            return self.can_run and not self.run_going
        if action == "rerun":
            return self.can_run and not self.run_going and self.last_run is not None
        if action == "kill_run":
            return self.run_going
        if action == "run_panel":
            return self.run_panel.has_class("-shown") or self.run_going
        if action == "diff_head":
            return doc is not None
        return True

    def on_descendant_focus(self) -> None:
        # Only a second ctrl+o in a row hides the tree: landing in it some other way (the
        # project opening with no file, a tab closing) and pressing ctrl+o keeps it.
        if self.focused is not self.tree_view:
            self._tree_by_key = False
        self.refresh_bindings()

    def typing_target(self, widget: Widget) -> str | None:
        doc = self.active
        if doc is not None and widget is self.code_of(doc):
            return doc.path.rsplit("/", 1)[-1]  # the footer's room is short: the name, no folder
        return super().typing_target(widget)

    # The file tree's letter keys run the same actions as the palette's.
    def action_tree_new_file(self) -> None:
        self.action_new_file()

    def action_tree_new_folder(self) -> None:
        self.action_new_folder()

    def action_tree_rename(self) -> None:
        self.action_rename()

    def action_tree_move(self) -> None:
        self.action_move()

    def action_tree_delete(self) -> None:
        self.action_delete()

    def action_tree_trash(self) -> None:
        self.action_trash()

    # Moving around ---------------------------------------------------------------------------

    def action_files(self) -> None:
        """ctrl+o: to the file tree (shown if hidden); pressed again there, hide it."""
        tree = self.tree_view
        if self.focused is tree and self._tree_by_key and self.active is not None:
            self.set_tree_shown(False)
            self.focus_active()
        else:
            if not tree.display:
                if self.history_shown and self.size.width < HISTORY_WITH_TREE_MIN_WIDTH:
                    self.action_history()  # in a narrow window the two take turns
                self.set_tree_shown(True)
            tree.focus()
            self._tree_by_key = True
        self.schedule_session_save()

    def action_back(self) -> None:
        self.focus_active()

    def action_run_panel(self) -> None:
        """alt+o: to the run panel; again, hide it and go back to the code."""
        panel = self.run_panel
        if self.focused is panel:
            panel.hide()
            self.focus_active()
        else:
            panel.add_class("-shown")
            panel.focus()

    def _step_tab(self, step: int) -> None:
        keys = list(self.docs)
        if self.active_id in keys:
            self.activate(keys[(keys.index(self.active_id) + step) % len(keys)])

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def action_close_tab(self) -> None:
        doc = self.active
        if doc is None:
            return
        if not self.unsaved(doc):
            self.close_doc(doc.file_id)
            return
        file_id = doc.file_id

        def done(yes: bool | None) -> None:
            if yes:
                self.close_doc(file_id)

        question = f"{doc.path} has unsaved edits. Close it and lose them? (f2 saves them.)"
        self.app.push_screen(_confirm("Close without saving", question, "Close", danger=True), done)

    async def action_quit(self) -> None:
        # The app's own quit after this one's question: it asks about what quitting would
        # interrupt (a run here, an answer streaming in chat).
        dirty = [d.path for d in self.docs.values() if d.dirty]
        dirty += [f"{len(s)} in another project" for s in self._stash.values() if s]
        if not dirty:
            await self.pt_app.action_quit()
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.call_later(self.pt_app.action_quit)

        question = f"Unsaved edits in {', '.join(dirty)} are lost if you quit now."
        self.app.push_screen(_confirm("Quit without saving", question, "Quit"), done)

    def action_go_to_line(self) -> None:
        doc = self.active
        code, lines = self.code_of(doc), self.lines_of(doc)
        if doc is None or (code is None and lines is None):
            return
        count = code.document.line_count if code is not None else lines.line_count()  # type: ignore[union-attr]
        fields = [Field("line", "Line", placeholder=f"1 to {count:,} (line:column works too)")]

        def submit(values: dict[str, str]) -> tuple[int, int]:
            return parse_line(values["line"], count)

        def done(where: tuple[int, int] | None) -> None:
            if where is None or doc.file_id not in self.docs:
                return
            code, lines = self.code_of(doc), self.lines_of(doc)
            if code is not None:
                row = where[0]
                column = min(where[1], len(code.document.get_line(row)))
                code.move_cursor((row, column), center=True)
                code.focus()
            elif lines is not None:
                lines.go_to_line(where[0])
                lines.focus()

        self.app.push_screen(_form("Go to line", fields, submit, submit_label="Go"), done)

    def action_file_start(self) -> None:
        code = self.code_of(self.active)
        if code is not None:
            code.move_cursor((0, 0))

    def action_file_end(self) -> None:
        code = self.code_of(self.active)
        if code is not None:
            code.move_cursor(code.document.end)

    # Editing ---------------------------------------------------------------------------------

    def action_undo(self) -> None:
        code = self.code_of(self.active)
        if code is not None:
            code.undo()

    def action_redo(self) -> None:
        code = self.code_of(self.active)
        if code is not None:
            code.redo()

    def action_wrap(self) -> None:
        self.soft_wrap = not self.soft_wrap
        for area in self.query(CodeArea):
            area.soft_wrap = self.soft_wrap
        self.refresh_info()
        self.notify(f"Soft wrap {'on' if self.soft_wrap else 'off'}.", timeout=2)
        self.schedule_session_save()


def parse_line(value: str, count: int) -> tuple[int, int]:
    """ "12" or "12:5" (1-based) as a 0-based (row, column); ValidationError otherwise."""
    raw = value.strip()
    line, _, column = raw.partition(":")
    try:
        row = int(line)
        col = int(column) if column else 1
    except ValueError:
        raise ValidationError(f"Type a line number from 1 to {count:,}.", "line") from None
    if not 1 <= row <= count:
        raise ValidationError(f"There is no line {row}: this file has {count:,}.", "line")
    return row - 1, max(0, col - 1)
