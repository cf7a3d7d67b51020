"""Files and folders: create, rename, move, delete to the trash, and bring back from it.

The forms call the services themselves (a refused path stays in the form with the reason);
what changed comes back as FilesChanged, which reloads the tree and opens or closes tabs.
Deleting keeps the history: the trash lists what can be brought back.
"""

from __future__ import annotations

import posixpath
import uuid
from typing import TYPE_CHECKING

from textual import on, work

from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.editor.messages import FilesChanged, TrashLoaded
from promptterm.ui.editor.versions import EditorVersions, _confirm, _form

if TYPE_CHECKING:
    from promptterm.services.files.models import FileInfo


class EditorFileOps(EditorVersions):
    def file_target(self) -> FileInfo | None:
        """What a file action applies to: the tree's cursor when the tree has the focus,
        else the active tab's file."""
        if self.focused is self.tree_view:
            return self.tree_view.cursor_info
        doc = self.active
        if doc is not None:
            return self.tree_view.paths.get(doc.path, doc.info)
        return self.tree_view.cursor_info

    def _folder_here(self) -> str:
        target = self.file_target()
        if target is None:
            return ""
        return target.path if target.is_folder else posixpath.dirname(target.path)

    def action_new_file(self) -> None:
        project = self.project
        if project is None:
            return
        folder = self._folder_here()
        fields = [
            Field(
                "path",
                "Path",
                value=f"{folder}/" if folder else "",
                placeholder="e.g. src/app.py (end with / for a folder)",
            )
        ]

        def submit(values: dict[str, str]) -> FileInfo:
            path = values["path"].strip()
            if path.endswith("/"):
                return self.services.files.create_folder(project.id, path.rstrip("/"))
            return self.services.files.create(project.id, path)

        def done(info: FileInfo | None) -> None:
            if info is not None:
                what = "folder" if info.is_folder else "file"
                opened = None if info.is_folder else info.id
                self.post_message(FilesChanged(f"Created the {what} {info.path}.", opened))
                if info.sync_error:
                    self.notify(info.sync_error, title="Not written to disk", severity="warning")

        self.app.push_screen(_form(f"New file in {project.name}", fields, submit), done)

    def action_new_folder(self) -> None:
        project = self.project
        if project is None:
            return
        folder = self._folder_here()
        fields = [
            Field("path", "Path", value=f"{folder}/" if folder else "", placeholder="e.g. docs")
        ]

        def submit(values: dict[str, str]) -> FileInfo:
            return self.services.files.create_folder(project.id, values["path"].strip().rstrip("/"))

        def done(info: FileInfo | None) -> None:
            if info is not None:
                self.post_message(FilesChanged(f"Created the folder {info.path}."))

        self.app.push_screen(_form(f"New folder in {project.name}", fields, submit), done)

    def action_rename(self) -> None:
        target = self.file_target()
        if target is None:
            return
        what = "folder" if target.is_folder else "file"
        fields = [Field("path", "New path", value=target.path, placeholder="e.g. src/main.py")]

        def submit(values: dict[str, str]) -> FileInfo:
            return self.services.files.rename(target.id, values["path"])

        def done(info: FileInfo | None) -> None:
            if info is not None and info.path != target.path:
                self.post_message(FilesChanged(f"Renamed {target.path} to {info.path}."))

        title = f"Rename or move the {what} {target.name}"
        self.app.push_screen(_form(title, fields, submit, submit_label="Rename"), done)

    def action_move(self) -> None:
        target = self.file_target()
        if target is None:
            return
        fields = [
            Field(
                "folder",
                "Into folder",
                value=posixpath.dirname(target.path),
                placeholder="empty: the top of the project",
            )
        ]

        def submit(values: dict[str, str]) -> FileInfo:
            return self.services.files.move(target.id, values["folder"].strip().strip("/"))

        def done(info: FileInfo | None) -> None:
            if info is not None and info.path != target.path:
                self.post_message(FilesChanged(f"Moved {target.path} to {info.path}."))

        self.app.push_screen(
            _form(f"Move {target.name}", fields, submit, submit_label="Move"), done
        )

    def action_delete(self) -> None:
        target = self.file_target()
        if target is None or self.project is None:
            return
        inside = [
            d
            for d in self.docs.values()
            if d.path == target.path or d.path.startswith(target.path + "/")
        ]
        what = "folder" if target.is_folder else "file"
        question = f"Move the {what} {target.path} to the trash? Its history is kept and t in "
        question += "the file tree brings it back."
        if self.project.root_path:
            question += " It is removed from the project folder on disk too."
        dirty = [d.path for d in inside if d.dirty]
        if dirty:
            question += f" Unsaved edits in {', '.join(dirty)} are lost."
        file_id = target.id
        closing = [d.file_id for d in inside]

        def done(yes: bool | None) -> None:
            if yes:
                self._delete(file_id, closing)

        self.app.push_screen(
            _confirm(f"Delete {target.name}", question, "Delete", danger=True), done
        )

    @work(thread=True, exit_on_error=False, group="editor-files")
    def _delete(self, file_id: uuid.UUID, closing: list[uuid.UUID]) -> None:
        info = self.services.files.delete(file_id)
        note = f"{info.path} is in the trash with its history (t in the file tree)."
        self.post_message(FilesChanged(note, closed=closing))

    def action_trash(self) -> None:
        if self.project is not None:
            self._load_trash(self.project.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-files")
    def _load_trash(self, project_id: uuid.UUID) -> None:
        self.post_message(TrashLoaded(project_id, self.services.files.trash(project_id)))

    @on(TrashLoaded)
    def _show_trash(self, message: TrashLoaded) -> None:
        from promptterm.ui.editor.dialogs.trash import TrashScreen

        if self.project is None or message.project_id != self.project.id:
            return

        def chosen(file_id: uuid.UUID | None) -> None:
            if file_id is not None:
                self._undelete(file_id)

        screen = TrashScreen(self.project.name, message.items, self.now)
        self.app.push_screen(screen, chosen)

    @work(thread=True, exit_on_error=False, group="editor-files")
    def _undelete(self, file_id: uuid.UUID) -> None:
        info = self.services.files.undelete(file_id)
        note = f"{info.path} is back, with its history."
        self.post_message(FilesChanged(note, None if info.is_folder else info.id))

    @on(FilesChanged)
    def _files_changed(self, message: FilesChanged) -> None:
        for file_id in message.closed:
            self.close_doc(file_id)
        if message.note:
            self.notify(message.note)
        self.reload_tree()
        if message.open_file is not None:
            self.open_file(message.open_file)
