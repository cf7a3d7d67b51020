"""What the editor's tab bar and info line say about the open files: pure functions of an
open file (and its text area), so docs.py only puts them on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.ui.common.widgets.fitting import Part
from promptterm.ui.editor.widgets.document import OpenFile, tab_names
from promptterm.ui.editor.widgets.tabs import TabLabel

if TYPE_CHECKING:
    from promptterm.ui.editor.widgets.code_area import CodeArea


def tab_labels(docs: list[OpenFile]) -> list[TabLabel]:
    """One label a tab, in tab order: the shortest name that tells the files apart, and a
    flag for an edit, a conflict, a read-only or an unloaded file."""
    names = tab_names([d.path for d in docs])
    flags = {"readonly": "read-only", "unavailable": "not loaded"}
    return [
        TabLabel(
            str(d.file_id),
            name,
            d.dirty,
            "conflict" if d.in_conflict else flags.get(d.kind, ""),
        )
        for d, name in zip(docs, names, strict=True)
    ]


def info_parts(doc: OpenFile, code: CodeArea | None) -> list[Part]:
    """The info line of the active file: path, version, cursor, language and its states."""
    # In a narrow window the parts shorten (gives_way: the highest first), never mid-word.
    name = doc.path.rsplit("/", 1)[-1]
    path = Part((doc.path, name), gives_way=1)
    states = {"binary": "binary", "too_large": "too large", "undecodable": "not UTF-8"}
    if doc.kind == "unavailable":
        state = states.get(doc.info.content_state, "no text")
        parts = [path, Part((f"{state}, not loaded", state))]
    else:
        parts = [path, Part.fixed(f"v{doc.base_version}")]
    if code is not None:
        row, col = code.cursor_location
        parts += [
            Part((f"Ln {row + 1}, Col {col + 1}", f"{row + 1}:{col + 1}"), gives_way=3),
            Part((code.language or "plain text", ""), gives_way=5),
        ]
        if code.soft_wrap:
            parts.append(Part(("wrap", ""), gives_way=4))
        if code.read_only:
            parts.append(Part(("read only (viewer)", "read only"), gives_way=2))
    if doc.dirty:
        parts.append(Part.fixed("modified"))
    if doc.in_conflict:
        parts.append(Part(("conflict: save to resolve", "conflict"), gives_way=2))
    return parts
