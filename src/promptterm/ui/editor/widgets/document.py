"""What the editor keeps about one open file (one tab): the version its text started from,
that text as saved, whether it has unsaved edits, and where the cursor was."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import uuid

    from promptterm.services.files.models import FileInfo
    from promptterm.ui.editor.widgets.conflict import ConflictInfo

# "text": editable; "readonly": too big to edit here, shown line-virtualized;
# "unavailable": binary, over the size cap or not UTF-8 (promptterm keeps no text).
Kind = Literal["loading", "text", "readonly", "unavailable"]

# Beyond either bound a file opens read-only in a line-virtualized view. The editable
# CodeArea stays instant at 20,000 lines; these leave room above that.
READONLY_LINES = 60_000
READONLY_BYTES = 3 * 1024 * 1024


@dataclass(eq=False)
class OpenFile:
    info: FileInfo
    pane_id: str
    kind: Kind = "loading"
    base_version: int = 0  # the version the editor's text started from
    saved_text: str = ""  # that version's text: no unsaved edits while the editor holds it
    dirty: bool = False
    notice: str = ""  # why it is read-only or not loaded
    cursor: tuple[int, int] = (0, 0)  # wanted until the pane is first shown
    scroll: tuple[int, int] = (0, 0)
    view_pending: bool = False  # cursor and scroll still to apply when first shown
    # Change messages that our own loads and reloads will post (they are not user edits).
    quiet_changes: int = 0
    in_conflict: bool = False
    conflict: ConflictInfo | None = None  # what it is in conflict with, while in_conflict

    @property
    def file_id(self) -> uuid.UUID:
        return self.info.id

    @property
    def path(self) -> str:
        return self.info.path

    @property
    def editable(self) -> bool:
        return self.kind == "text"


def too_big_to_edit(text: str) -> bool:
    return len(text) > READONLY_BYTES or text.count("\n") > READONLY_LINES


def tab_names(paths: list[str]) -> list[str]:
    """Short tab labels: the file name, with its folder when two open files share a name."""
    names = [posixpath.basename(p) for p in paths]
    out = []
    for path, name in zip(paths, names, strict=True):
        if names.count(name) > 1:
            parent = posixpath.basename(posixpath.dirname(path))
            name = f"{parent}/{name}" if parent else name
        out.append(name)
    return out
