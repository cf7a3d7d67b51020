"""Open files: one tab and one pane each, their text, unsaved edits and the info line.

The base of EditorScreen (EditorDocuments < EditorProject < EditorVersions < EditorFileOps
< EditorSync < EditorScreen). A pane shows a CodeArea (editable text), a read-only
line-virtualized view (too big to edit here) or a notice (binary, too large, not UTF-8).
Whether a file has unsaved edits is known at once on the first keystroke (the watcher must
see it before any disk change) and verified against the saved text after a pause in typing.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import ContentSwitcher, TextArea

from promptterm.links import file_url
from promptterm.services.files.disk.events import EditingFiles
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.widgets.fitting import Part
from promptterm.ui.common.widgets.format import size as fmt_size
from promptterm.ui.editor.info_parts import info_parts, tab_labels
from promptterm.ui.editor.messages import FileLoaded, FileLoadFailed, Loaded
from promptterm.ui.editor.read import read_content
from promptterm.ui.editor.widgets.big_file import ReadOnlyLines, ReadOnlyPane
from promptterm.ui.editor.widgets.binary_notice import FileNotice
from promptterm.ui.editor.widgets.code_area import CodeArea
from promptterm.ui.editor.widgets.document import OpenFile, too_big_to_edit
from promptterm.ui.editor.widgets.file_tree import ProjectTree
from promptterm.ui.editor.widgets.info_line import InfoLine
from promptterm.ui.editor.widgets.tabs import EditorTabs

if TYPE_CHECKING:
    from textual.timer import Timer

    from promptterm.services.workspaces.projects import ProjectInfo

# After this pause in typing, the text is compared with the saved one (an undo back to it
# clears the modified marker).
DIRTY_CHECK_DELAY = 0.4
EXTERNAL_KEY_HINT = "f10 opens it in $EDITOR; what you save there becomes a new version"


class EditorDocuments(AreaScreen):
    AREA = "editor"

    def __init__(self) -> None:
        super().__init__()
        self.project: ProjectInfo | None = None
        self.docs: dict[uuid.UUID, OpenFile] = {}  # in tab order
        self.active_id: uuid.UUID | None = None
        # Shared with the file service and the disk watcher: a disk change to a file in
        # here becomes a conflict instead of a silent reload.
        self.editing = EditingFiles()
        self.soft_wrap = False
        self._pane_seq = 0
        self._dirty_timers: dict[uuid.UUID, Timer] = {}

    # Widgets ---------------------------------------------------------------------------------

    @property
    def tabs_bar(self) -> EditorTabs:
        return self.query_one("#editor-tabs", EditorTabs)

    @property
    def panes(self) -> ContentSwitcher:
        return self.query_one("#editor-panes", ContentSwitcher)

    @property
    def tree_view(self) -> ProjectTree:
        return self.query_one("#editor-tree", ProjectTree)

    @property
    def active(self) -> OpenFile | None:
        return self.docs.get(self.active_id) if self.active_id else None

    def code_of(self, doc: OpenFile | None) -> CodeArea | None:
        if doc is None or doc.kind != "text":
            return None
        try:
            return self.query_one(f"#{doc.pane_id}", CodeArea)
        except NoMatches:
            return None

    def lines_of(self, doc: OpenFile | None) -> ReadOnlyLines | None:
        if doc is None or doc.kind != "readonly":
            return None
        try:
            return self.query_one(f"#{doc.pane_id}", ReadOnlyPane).lines
        except NoMatches:
            return None

    def doc_of_code(self, code: Widget) -> OpenFile | None:
        return next((d for d in self.docs.values() if code.id == d.pane_id), None)

    # Opening ---------------------------------------------------------------------------------

    def open_file(self, file_id: uuid.UUID) -> None:
        """Show the file: its tab if it is open, else read it (in a worker) and add one."""
        if file_id in self.docs:
            self.activate(file_id)
        elif self.project is not None:
            self._read_file(self.project.id, file_id)

    @work(thread=True, exit_on_error=False, group="editor-read")
    def _read_file(self, project_id: uuid.UUID, file_id: uuid.UUID) -> None:
        try:
            loaded = read_content(self.services, file_id)
        except Exception as exc:  # shown in words; the editor carries on
            from promptterm.ui.common.errors import describe

            self.post_message(FileLoadFailed(project_id, file_id, describe(exc)[1]))
            return
        self.post_message(FileLoaded(project_id, loaded))

    @on(FileLoaded)
    def _file_loaded(self, message: FileLoaded) -> None:
        if self.project is None or message.project_id != self.project.id:
            return
        file_id = message.loaded.info.id
        if file_id in self.docs:
            self.activate(file_id)
        else:
            self.add_doc(message.loaded, activate=True)
        self.schedule_session_save()

    @on(FileLoadFailed)
    def _file_load_failed(self, message: FileLoadFailed) -> None:
        self.notify(message.message, title="Could not open the file", severity="error")

    def add_doc(
        self,
        loaded: Loaded,
        *,
        activate: bool,
        cursor: tuple[int, int] = (0, 0),
        scroll: tuple[int, int] = (0, 0),
    ) -> OpenFile:
        self._pane_seq += 1
        doc = OpenFile(loaded.info, f"pane-{self._pane_seq}")
        doc.cursor, doc.scroll, doc.view_pending = cursor, scroll, True
        self.docs[doc.file_id] = doc
        self._mount_pane(self._pane_for(doc, loaded))
        if activate or self.active_id is None:
            self.activate(doc.file_id)
        else:
            self.refresh_tabs()
        return doc

    def _pane_for(self, doc: OpenFile, loaded: Loaded) -> Widget:
        doc.base_version = loaded.version
        doc.dirty = False
        if loaded.text is None:
            doc.kind, doc.notice, doc.saved_text = "unavailable", loaded.notice, ""
            keys = EXTERNAL_KEY_HINT if self._can_edit_outside(doc) else ""
            return FileNotice(loaded.info.content_state, loaded.notice, keys, id=doc.pane_id)
        doc.saved_text = loaded.text
        if too_big_to_edit(loaded.text):
            doc.kind = "readonly"
            lines = loaded.text.count("\n") + 1
            doc.notice = (
                f"{doc.path} has {lines:,} lines ({fmt_size(len(loaded.text.encode()))}): too "
                f"big to edit here, so it is shown read-only. {EXTERNAL_KEY_HINT}."
            )
            return ReadOnlyPane(loaded.text, doc.notice, id=doc.pane_id)
        doc.kind = "text"
        return self._make_code(doc, loaded.text, loaded.language)

    def _mount_pane(self, pane: Widget) -> None:
        # Mounted hidden, then shown by the switcher; registered at once, so the pane can
        # be made current (and queried) before its mount event runs.
        pane.display = False
        self.panes.mount(pane)

    def _can_edit_outside(self, doc: OpenFile) -> bool:
        # Text can go through a temporary file; a file promptterm holds no copy of can only
        # be opened where it lives, in the bound folder (and not a binary one).
        bound = self.project is not None and self.project.root_path is not None
        return doc.info.content_state in ("too_large", "undecodable") and bound

    def _make_code(self, doc: OpenFile, text: str, language: str | None) -> CodeArea:
        theme = "css" if self.app.current_theme.dark else "github_light"
        options = {
            "soft_wrap": self.soft_wrap,
            "read_only": self.project is not None and self.project.role == "viewer",
            "theme": theme,
            "id": doc.pane_id,
        }
        try:
            code = CodeArea.code_editor(text, language=language, **options)
        except Exception:  # no grammar for it here: plain text is better than nothing
            code = CodeArea.code_editor(text, language=None, **options)
        code.cursor_blink = self.pt_app.cursor_blink
        return code

    def replace_pane(self, doc: OpenFile, loaded: Loaded) -> None:
        """Show newly loaded content whose kind may differ (it grew too big, became binary)."""
        old = self.query_one(f"#{doc.pane_id}")
        self._pane_seq += 1
        doc.pane_id = f"pane-{self._pane_seq}"
        doc.info = loaded.info
        self._mount_pane(self._pane_for(doc, loaded))
        old.remove()
        self.editing.mark_clean(doc.file_id)
        if doc.file_id == self.active_id:
            self.activate(doc.file_id)
        else:
            self.refresh_tabs()

    # Showing ---------------------------------------------------------------------------------

    def activate(self, file_id: uuid.UUID, *, focus: bool = True) -> None:
        doc = self.docs.get(file_id)
        if doc is None:
            return
        self.active_id = file_id
        self.panes.current = doc.pane_id
        self.tree_view.select_path(doc.path)  # the tree follows the active file
        self.refresh_tabs()
        self.refresh_info()
        if focus:
            self.focus_active()
        if doc.view_pending:
            self.call_after_refresh(self._apply_view, doc)
        self.active_changed()
        self.refresh_bindings()
        self.schedule_session_save()

    def active_changed(self) -> None:
        """Hook: the active file changed (the history panel follows it)."""

    def focus_active(self, *, later: bool = True) -> None:
        doc = self.active
        target: Widget | None = self.code_of(doc) or self.lines_of(doc)
        if target is not None and target.is_mounted and self.is_current:
            # At once, not through the message queue: a key typed right behind a tab switch
            # belongs to the file now shown, not to the one it replaced.
            self.set_focus(target)
        elif target is not None and not later:
            target.focus()
        elif target is not None:  # a pane just added: once it is there
            target.call_after_refresh(self.focus_active, later=False)

    def _apply_view(self, doc: OpenFile) -> None:
        # Pending until done, so the session (and a test) reads the stored cursor until then.
        if not doc.view_pending:
            return
        view: Widget | None = self.code_of(doc) or self.lines_of(doc)
        if view is not None and not view.is_mounted:
            # On the view's own queue, which runs once it is mounted (a retry on this one
            # would spin ahead of the mount).
            view.call_after_refresh(self._apply_view, doc)
            return
        doc.view_pending = False
        code = self.code_of(doc)
        if code is not None:
            last = code.document.line_count - 1
            row = min(doc.cursor[0], last)
            col = min(doc.cursor[1], len(code.document.get_line(row)))
            code.move_cursor((row, col))
            code.scroll_to(doc.scroll[0], doc.scroll[1], animate=False, immediate=True)
        lines = self.lines_of(doc)
        if lines is not None:
            lines.scroll_to(doc.scroll[0], doc.scroll[1], animate=False, immediate=True)

    def refresh_tabs(self) -> None:
        docs = list(self.docs.values())
        labels = tab_labels(docs)
        self.tabs_bar.show(labels, str(self.active_id) if self.active_id else None)
        if not docs:
            self.panes.current = "editor-none"

    def refresh_info(self) -> None:
        doc = self.active
        info = self.query_one("#editor-info", InfoLine)
        if doc is None:
            info.show(())
            return
        parts = info_parts(doc, self.code_of(doc)) + self.info_extra()
        root = self.project.root_path if self.project is not None else None
        link = (len(doc.path), file_url(Path(root) / doc.path)) if root else None
        info.show(parts, link)

    def info_extra(self) -> list[Part]:
        """Hook: more for the info line (the sync layer says when it watches the folder)."""
        return []

    def close_doc(self, file_id: uuid.UUID) -> None:
        doc = self.docs.pop(file_id, None)
        if doc is None:
            return
        self.editing.mark_clean(file_id)
        timer = self._dirty_timers.pop(file_id, None)
        if timer is not None:
            timer.stop()
        keys = list(self.docs)
        self.query_one(f"#{doc.pane_id}").remove()
        if self.active_id == file_id:
            self.active_id = None
            if keys:
                self.activate(keys[-1])
            else:
                self.refresh_tabs()
                self.refresh_info()
                self.active_changed()
                self.tree_view.focus()
        else:
            self.refresh_tabs()
        self.refresh_bindings()
        self.schedule_session_save()

    # Edits -----------------------------------------------------------------------------------

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        doc = self.doc_of_code(event.text_area)
        if doc is None:
            return
        if doc.quiet_changes:
            doc.quiet_changes -= 1
            return
        if not doc.dirty:
            doc.dirty = True
            self.editing.mark_dirty(doc.file_id, doc.base_version)
            self.refresh_tabs()
            self.refresh_info()
        timer = self._dirty_timers.get(doc.file_id)
        if timer is not None:
            timer.stop()
        self._dirty_timers[doc.file_id] = self.set_timer(
            DIRTY_CHECK_DELAY, lambda: self.verify_dirty(doc)
        )

    def unsaved(self, doc: OpenFile) -> bool:
        """Whether closing ``doc`` would lose edits. The flag is set by the text area's Changed
        message, which a key pressed right behind the edit (alt+w) can overtake: the text
        itself decides when no load is still filling it."""
        if doc.dirty:
            return True
        code = self.code_of(doc)
        return code is not None and not doc.quiet_changes and code.text != doc.saved_text

    def verify_dirty(self, doc: OpenFile) -> None:
        code = self.code_of(doc)
        if code is None or doc.file_id not in self.docs:
            return
        dirty = code.text != doc.saved_text
        if dirty != doc.dirty:
            doc.dirty = dirty
            if dirty:
                self.editing.mark_dirty(doc.file_id, doc.base_version)
            else:
                self.editing.mark_clean(doc.file_id)
            self.refresh_tabs()
            self.refresh_info()
            self.refresh_bindings()

    @on(TextArea.SelectionChanged)
    def _moved(self, event: TextArea.SelectionChanged) -> None:
        doc = self.doc_of_code(event.text_area)
        if doc is not None and not doc.view_pending:
            # Kept as it goes: when the app closes, the widgets are gone before the session
            # is stored.
            code = event.text_area
            doc.cursor = code.cursor_location
            doc.scroll = (int(code.scroll_x), int(code.scroll_y))
        if doc is not None and doc is self.active:
            self.refresh_info()
            self.schedule_session_save()

    def show_text(self, doc: OpenFile, text: str, version: int) -> None:
        """Put ``text`` (version ``version``) in the editor as one undoable edit, so the
        text it replaces is never more than an undo away."""
        code = self.code_of(doc)
        doc.base_version = version
        doc.saved_text = text
        if code is not None and code.text != text:
            doc.quiet_changes += 1
            code.replace(text, (0, 0), code.document.end, maintain_selection_offset=True)
        doc.dirty = False
        self.editing.mark_clean(doc.file_id)
        self.refresh_tabs()
        self.refresh_info()

    # Hooks the session layer fills in --------------------------------------------------------

    def schedule_session_save(self) -> None:
        """Remember tabs, cursors and scroll (debounced)."""
