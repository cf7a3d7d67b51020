"""The project's files as a tree: folders first, then files, by name.

Rebuilt from the service's flat list (paths and folder rows) whenever files change; the
folders that were open stay open and the cursor stays on the same path. Files promptterm
keeps no text of (binary, too large, not UTF-8) are dimmed with the reason.

Typing filters it: letters (then digits, ``.``, ``_``, ``-`` and ``/``) narrow it to the
paths that contain the text, with their folders open; backspace takes a character back and
esc clears it. The tree's actions sit on F- and ctrl keys (editor/keys.py), so no letter
ever acts on a file.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.widgets.tree import TreeNode

from promptterm.ui.common.widgets.tree import EllipsisTree

if TYPE_CHECKING:
    from promptterm.services.files.models import FileInfo

Node = TreeNode["FileInfo | None"]

_STATE = {"binary": "binary", "too_large": "too large", "undecodable": "not UTF-8"}
# Characters that extend a filter once it has begun (a digit alone switches areas).
_AFTER_FIRST = set("0123456789/")
_ANYWHERE = set("._-")


class ProjectTree(EllipsisTree["FileInfo | None"]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("files", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._expanded: set[str] = set()
        self.paths: dict[str, FileInfo] = {}
        self.filter_text = ""
        self._built_filter = ""  # the filter the nodes were built with
        # Git's marks by path (M modified, A added, D deleted, R renamed, ? untracked, U
        # conflict), shown after the name; empty outside a repository.
        self.git_marks: dict[str, str] = {}

    def load(self, files: list[FileInfo], *, cursor_path: str | None = None) -> None:
        """Show ``files`` (folder rows too); keep open folders open and the cursor's path."""
        self.paths = {f.path: f for f in files if not f.is_deleted}
        self._rebuild(cursor_path)

    def _rebuild(self, cursor_path: str | None = None) -> None:
        if cursor_path is None and self.cursor_node is not None and self.cursor_node.data:
            cursor_path = self.cursor_node.data.path
        if not self._built_filter:
            self._remember_expanded()  # a filtered tree opens every folder it shows
        self.clear()
        needle = self.filter_text.lower()
        shown = [p for p in self.paths if needle in p.lower()] if needle else list(self.paths)
        nodes: dict[str, Node] = {"": self.root}
        folders = sorted(
            {p for p in shown if self.paths[p].is_folder}
            | {folder for p in shown for folder in _folders_above(p)},
            key=lambda p: (p.count("/"), p.lower()),
        )
        for folder in folders:
            self._folder_node(folder, nodes)
        ordered = sorted(
            (self.paths[p] for p in shown if not self.paths[p].is_folder),
            key=lambda f: f.path.lower(),
        )
        for info in ordered:
            parent = self._folder_node(posixpath.dirname(info.path), nodes)
            parent.add_leaf(self._file_label(info), data=info)
        self._built_filter = self.filter_text
        self.show_root = bool(needle)
        if needle:
            found = f"{len(ordered)} match{'es' if len(ordered) != 1 else ''}"
            self.root.set_label(
                Text.assemble(
                    ("filter: ", "dim"), (self.filter_text, "bold"), (f"  {found} · esc", "dim")
                )
            )
        self.root.expand()
        if needle and ordered and not (cursor_path and needle in cursor_path.lower()):
            cursor_path = ordered[0].path  # the first match
        if not (cursor_path and self.select_path(cursor_path, reveal=False)) and shown:
            _ = self.last_line  # lay the lines out, so that line 0 exists
            self.cursor_line = 0
        # Another node can be under the cursor on the same line, which Tree does not report
        # as a move: the keys that need a file or folder there are asked again.
        self.refresh_bindings()

    # Filtering by typing ---------------------------------------------------------------------

    def _takes(self, character: str | None) -> bool:
        """Whether ``character`` goes into the filter (then no binding sees it)."""
        if character is None or len(character) != 1:
            return False
        if character.isalpha() or character in _ANYWHERE:
            return True
        return bool(self.filter_text) and character in _AFTER_FIRST

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "space" and self._takes(character)

    def set_filter(self, text: str) -> None:
        if text != self.filter_text:
            self.filter_text = text
            self._rebuild()

    def on_key(self, event: events.Key) -> None:
        if event.key != "space" and self._takes(event.character):
            self.set_filter(self.filter_text + (event.character or ""))
        elif event.key == "backspace" and self.filter_text:
            self.set_filter(self.filter_text[:-1])
        elif event.key == "escape" and self.filter_text:
            self.set_filter("")
        else:
            return
        event.stop()
        event.prevent_default()

    def _folder_node(self, folder: str, nodes: dict[str, Node]) -> Node:
        if folder in nodes:
            return nodes[folder]
        parent = self._folder_node(posixpath.dirname(folder), nodes)
        info = self.paths.get(folder)
        label = Text(posixpath.basename(folder) + "/", style="bold")
        expand = bool(self.filter_text) or folder in self._expanded
        node = parent.add(label, data=info, expand=expand)
        # A folder known only from a file's path has no row of its own: remember its path.
        node._pt_path = folder  # type: ignore[attr-defined]
        nodes[folder] = node
        return node

    def mark_changed(self, marks: dict[str, str]) -> None:
        """Git's changed files: each gets its letter after the name."""
        if marks != self.git_marks:
            self.git_marks = dict(marks)
            self._rebuild()

    def _file_label(self, info: FileInfo) -> Text:
        mark = self.git_marks.get(info.path)
        if info.content_state == "text":
            label = Text(info.name)
        else:
            label = Text.assemble(
                (info.name, "dim"), (f"  {_STATE.get(info.content_state, '')}", "dim italic")
            )
        if mark:
            label.append(f" {mark}", style="bold yellow" if mark != "?" else "dim")
        return label

    def _remember_expanded(self) -> None:
        def walk(node: Node) -> None:
            for child in node.children:
                path = getattr(child, "_pt_path", None)
                if path is not None:
                    if child.is_expanded:
                        self._expanded.add(path)
                    else:
                        self._expanded.discard(path)
                    walk(child)

        walk(self.root)

    def node_path(self, node: Node | None) -> str | None:
        if node is None:
            return None
        if node.data is not None:
            return node.data.path
        return getattr(node, "_pt_path", None)

    @property
    def cursor_path(self) -> str | None:
        return self.node_path(self.cursor_node)

    @property
    def cursor_info(self) -> FileInfo | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def select_path(self, path: str, *, reveal: bool = True) -> bool:
        """Put the cursor on ``path``, opening the folders above it."""
        folder = posixpath.dirname(path)
        while folder:
            self._expanded.add(folder)
            folder = posixpath.dirname(folder)

        def find(node: Node) -> Node | None:
            for child in node.children:
                if self.node_path(child) == path:
                    return child
                child_path = self.node_path(child) or ""
                if path.startswith(child_path + "/"):
                    child.expand()
                    found = find(child)
                    if found is not None:
                        return found
            return None

        node = find(self.root)
        if node is None:
            return False
        # A node knows its line only once the tree has laid out its lines; reading
        # ``last_line`` does that now, instead of on the next idle.
        _ = self.last_line
        self.move_cursor(node, animate=False)
        if reveal:
            self.scroll_to_node(node, animate=False)
        return True


def _folders_above(path: str) -> list[str]:
    folders: list[str] = []
    folder = posixpath.dirname(path)
    while folder:
        folders.append(folder)
        folder = posixpath.dirname(folder)
    return folders
