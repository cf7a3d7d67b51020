"""Versions: save with a message, the history panel, diffs of any two versions, restore.

Every save is a new numbered version; a save whose base is stale (someone saved meanwhile,
or the disk changed) stores nothing and opens the conflict view instead. Restore brings an
old text back as a new version: history is never rewritten.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import OptionList

from promptterm.services.files.version_store import StaleSave
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.editor.messages import ConflictReady, DiffReady, HistoryLoaded, Reloaded, Saved
from promptterm.ui.editor.project import EditorProject
from promptterm.ui.editor.read import read_content
from promptterm.ui.editor.widgets.conflict import ConflictInfo, ConflictKind
from promptterm.ui.editor.widgets.diff_model import build_model
from promptterm.ui.editor.widgets.document import too_big_to_edit
from promptterm.ui.editor.widgets.history import HistoryPanel

if TYPE_CHECKING:
    from textual.screen import Screen

# Below this width the diff opens unified (two columns of 38 characters read badly).
SIDE_BY_SIDE_MIN_WIDTH = 100
# Below this width the file tree makes room while the history panel is open.
HISTORY_WITH_TREE_MIN_WIDTH = 110


def _form(*args: Any, **kwargs: Any) -> Screen[Any]:
    from promptterm.ui.common.dialogs.form import FormScreen

    return FormScreen(*args, **kwargs)


def _confirm(title: str, message: str, label: str, *, danger: bool = False) -> Screen[Any]:
    from promptterm.ui.common.dialogs.confirm import ConfirmScreen

    return ConfirmScreen(title, message, confirm_label=label, danger=danger)


class EditorVersions(EditorProject):
    def __init__(self) -> None:
        super().__init__()
        self.history_shown = False
        self.diff_side_by_side: bool | None = None  # None: by the width of the terminal
        self._save_messages: dict[uuid.UUID, str | None] = {}

    @property
    def history_panel(self) -> HistoryPanel:
        return self.query_one("#editor-history", HistoryPanel)

    # Saving ----------------------------------------------------------------------------------

    def action_save(self) -> None:
        doc = self.active
        code = self.code_of(doc)
        if doc is None or code is None:
            return
        fields = [Field("message", "Message", placeholder="optional: what changed")]
        later = doc.conflict if doc.in_conflict else None
        if later is not None:  # put off with "later": theirs already holds the next number
            intro = later.save_intro()
        elif not doc.dirty:
            intro = f"Saves {doc.path} as version {doc.base_version + 1}."
            intro += " It has no unsaved edits: nothing new will be stored."
        else:
            intro = f"Saves {doc.path} as version {doc.base_version + 1}."

        def done(message: str | None) -> None:
            if message is not None and doc.file_id in self.docs:
                self.save_text(doc.file_id, code.text, doc.base_version, message.strip() or None)

        self.app.push_screen(
            _form("Save version", fields, lambda v: v["message"], submit_label="Save", intro=intro),
            done,
        )

    def save_text(
        self,
        file_id: uuid.UUID,
        text: str,
        base: int,
        message: str | None,
        *,
        show: bool = False,
    ) -> None:
        self._save_messages[file_id] = message
        doc = self.docs.get(file_id)
        later = doc.conflict if doc is not None and doc.in_conflict else None
        self._save(file_id, text, base, message, show, later)

    @work(thread=True, exit_on_error=False, group="editor-save")
    def _save(
        self,
        file_id: uuid.UUID,
        text: str,
        base: int,
        message: str | None,
        show: bool,
        later: ConflictInfo | None = None,
    ) -> None:
        try:
            version = self.services.files.save(file_id, text, base_version=base, message=message)
        except StaleSave as exc:
            kind: ConflictKind = "stale"
            if later is not None and (later.kind, later.their_version) == (
                "disk",
                exc.current_version,
            ):
                kind = "disk"  # what beat this save is the disk's text, met before ("later")
            info = self.build_conflict(file_id, kind, base, exc.current_version, text)
            self.post_message(ConflictReady(info))
            return
        self.post_message(Saved(file_id, version, text, show=show, base_version=base))

    def build_conflict(
        self, file_id: uuid.UUID, kind: ConflictKind, base: int, their: int | None, mine: str
    ) -> ConflictInfo:
        """What collided, with the diff of theirs against the user's text (in a worker)."""
        files = self.services.files
        info = files.get(file_id)
        if their is None and kind != "deleted":
            their = info.head_version
        model = None
        if their:
            sbs = files.compare_text(file_id, their, mine)
            left = f"version {their}" + (" (the disk's)" if kind == "disk" else "")
            model = build_model(sbs, info.path, left, "your edits")
        return ConflictInfo(file_id, info.path, kind, base, their, model)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        version = message.version
        doc = self.docs.get(message.file_id)
        self._save_messages.pop(message.file_id, None)
        if doc is not None:
            doc.in_conflict, doc.conflict = False, None
            if message.show and doc.kind != "text":
                self.reload_version(doc.file_id, version.number, "")  # a new read-only view
            elif message.show:
                self.show_text(doc, message.text, version.number)
            else:
                doc.base_version, doc.saved_text = version.number, message.text
                code = self.code_of(doc)
                doc.dirty = code is not None and code.text != message.text
                if doc.dirty:
                    self.editing.mark_dirty(doc.file_id, version.number)
                else:
                    self.editing.mark_clean(doc.file_id)
                self.refresh_tabs()
                self.refresh_info()
            self.refresh_bindings()
        path = doc.path if doc is not None else "The file"
        if version.number == message.base_version:
            self.notify(f"No changes to save: {path} is still version {version.number}.")
        else:
            said = f": {version.message}" if version.message else ""
            self.notify(f"Saved {path} as version {version.number}{said}.", title="Saved")
        if version.disk_error:
            self.notify(version.disk_error, title="Not written to disk", severity="warning")
        self.reload_history(message.file_id)

    @on(Reloaded)
    def _reloaded(self, message: Reloaded) -> None:
        loaded = message.loaded
        doc = self.docs.get(loaded.info.id)
        if doc is not None:
            doc.in_conflict, doc.conflict = False, None
            editable = loaded.text is not None and not too_big_to_edit(loaded.text)
            if doc.kind == "text" and editable:
                doc.info = loaded.info
                self.show_text(doc, loaded.text or "", loaded.version)
            else:
                self.replace_pane(doc, loaded)
            self.refresh_bindings()
        if message.note:
            self.notify(message.note, severity=message.severity)  # type: ignore[arg-type]
        self.reload_history(loaded.info.id)

    @work(thread=True, exit_on_error=False, group="editor-reload")
    def reload_version(self, file_id: uuid.UUID, version: int | None, note: str) -> None:
        """Read ``version`` (the newest if None) and show it in place of the editor's text."""
        self.post_message(Reloaded(read_content(self.services, file_id, version), note))

    # The history panel -----------------------------------------------------------------------

    def action_history(self) -> None:
        self.history_shown = not self.history_shown
        panel = self.history_panel
        panel.display = self.history_shown
        narrow = self.size.width < HISTORY_WITH_TREE_MIN_WIDTH
        if self.history_shown:
            if narrow:
                self.tree_view.display = False
            self.reload_history()
            panel.options.focus()
        else:
            self.tree_view.display = self.tree_shown
            self.focus_active()
        self.refresh_bindings()

    def active_changed(self) -> None:
        if self.history_shown:
            self.reload_history()

    def reload_history(self, file_id: uuid.UUID | None = None) -> None:
        doc = self.active
        if not self.history_shown or (
            file_id is not None and (doc is None or doc.file_id != file_id)
        ):
            return
        if doc is None:
            self.history_panel.show_message("History", "Open a file to see its versions.")
            return
        self._load_versions(doc.file_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-history")
    def _load_versions(self, file_id: uuid.UUID) -> None:
        read = self.reads["history"].start()
        self.post_message(HistoryLoaded(file_id, self.services.files.versions(file_id), read))

    @on(HistoryLoaded)
    def _history_loaded(self, message: HistoryLoaded) -> None:
        doc = self.active
        if doc is None or doc.file_id != message.file_id:
            return  # another file's
        if self.reads["history"].is_newest(message.read):  # else read before a save shown
            self.history_panel.show(doc.path, message.versions, self.now())
            self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#history-list")
    def _history_moved(self) -> None:
        # Mark and Restore are for a version, Compare for a commit too: the footer follows.
        self.refresh_bindings()

    def action_mark_version(self) -> None:
        marked = self.history_panel.toggle_mark(self.now())
        if marked is not None:
            self.notify(f"Version {marked} marked: highlight another and press enter to compare.")

    @on(OptionList.OptionSelected, "#history-list")
    def action_compare(self) -> None:
        if self.compare_commit():
            return
        doc = self.active
        pair = self.history_panel.pair()
        if doc is None:
            return
        if pair is None:
            self.notify(
                "Nothing to compare with: this is the first version. Mark another one (space) "
                "to compare any two."
            )
            return
        self._diff(doc.file_id, doc.path, *pair)

    def compare_commit(self) -> bool:
        """Compare a git commit highlighted in the history, if one is (ui/editor/git_views.py)."""
        return False

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-diff")
    def _diff(self, file_id: uuid.UUID, path: str, old: int, new: int) -> None:
        sbs = self.services.files.side_by_side(file_id, old, new)
        self.post_message(DiffReady(build_model(sbs, path, f"version {old}", f"version {new}")))

    @on(DiffReady)
    def _show_diff(self, message: DiffReady) -> None:
        from promptterm.ui.editor.dialogs.diff import DiffScreen

        side = self.diff_side_by_side
        if side is None:
            side = self.app.size.width >= SIDE_BY_SIDE_MIN_WIDTH

        def closed(_: None) -> None:
            self.history_panel.options.focus()

        self.app.push_screen(DiffScreen(message.model, side_by_side=side), closed)

    def action_restore(self) -> None:
        doc = self.active
        version = self.history_panel.highlighted
        if doc is None or version is None:
            return
        if version.number == doc.base_version and not doc.dirty:
            self.notify(f"Version {version.number} is the current version of {doc.path}.")
            return
        question = (
            f"Bring back version {version.number} of {doc.path} as a new version "
            f"{doc.base_version + 1}? Every version stays in the history."
        )
        if doc.dirty:
            question += " Your unsaved edits are replaced in the editor (ctrl+z brings them back)."
        file_id, number, base = doc.file_id, version.number, doc.base_version

        def done(yes: bool | None) -> None:
            if yes:
                self._restore(file_id, number, base)

        self.app.push_screen(_confirm("Restore version", question, "Restore"), done)

    @work(thread=True, exit_on_error=False, group="editor-save")
    def _restore(self, file_id: uuid.UUID, number: int, base: int) -> None:
        files = self.services.files
        version = files.restore(file_id, number, base_version=base)
        note = f"Version {number} restored as version {version.number}."
        if version.disk_error:
            note += f" {version.disk_error}"
        self.post_message(Reloaded(read_content(self.services, file_id, version.number), note))
