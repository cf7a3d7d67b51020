"""The conflict view: what collided, the choices (keep mine / take theirs / see the diff),
and the diff itself. Neither side is ever lost: theirs is a stored version, mine is in the
editor (and stays one undo away if theirs is taken)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from promptterm.ui.editor.widgets.diff_model import DiffModel
from promptterm.ui.editor.widgets.diff_view import DiffView

ConflictKind = Literal["stale", "disk", "deleted"]


@dataclass(frozen=True)
class ConflictInfo:
    file_id: uuid.UUID
    path: str
    kind: ConflictKind
    base_version: int  # the version the user's edits started from
    their_version: int | None  # the newer stored version (None: deleted on disk)
    model: DiffModel | None  # theirs (left) against the user's text (right)

    @property
    def title(self) -> str:
        return {
            "stale": "Saved elsewhere meanwhile",
            "disk": "Changed on disk",
            "deleted": "Deleted on disk",
        }[self.kind]

    @property
    def theirs(self) -> str:
        return "the disk's" if self.kind in ("disk", "deleted") else "theirs"

    def explanation(self) -> str:
        base, their = self.base_version, self.their_version
        if self.kind == "stale":
            return (
                f"{self.path} was saved as version {their} (in another window or by someone "
                f"else) while you were editing version {base}. Nothing was overwritten: "
                f"version {their} is in the history and your text is still here."
            )
        if self.kind == "disk":
            return (
                f"{self.path} changed on disk while you had unsaved edits. The disk's text "
                f"is kept as version {their}; your edits are still here."
            )
        return (
            f"{self.path} was deleted on disk while you had unsaved edits. It is in the "
            "trash with its history; your edits are still here."
        )

    def save_intro(self) -> str:
        """What f2 says while the user has put the decision off ("later"): saving asks again,
        and the version the text would get is the one after theirs."""
        their = self.their_version
        if self.kind == "deleted" or their is None:
            return (
                f"{self.path} was deleted on disk. Saving asks again: bring it back with your "
                "text, or leave it deleted."
            )
        if self.kind == "disk":
            what = f"{self.path} changed on disk: version {their} is the disk's text."
        else:
            what = f"{self.path} was saved as version {their} elsewhere while you edited."
        return (
            f"{what} Saving asks again: keep yours (as version {their + 1}) or take {self.theirs}."
        )

    def choices(self) -> list[tuple[str, str]]:
        if self.kind == "deleted":
            return [
                ("k", "keep mine: bring the file back with your text as a new version"),
                ("t", "take the disk's: leave it deleted and close the tab"),
            ]
        also = " (and to disk)" if self.kind == "disk" else ""
        return [
            (
                "k",
                f"keep mine: save your text as a new version on top of {self.their_version}{also}",
            ),
            (
                "t",
                f"take {self.theirs}: load version {self.their_version} (ctrl+z brings yours back)",
            ),
            ("d", "see the diff (s: side by side / unified)"),
        ]


class ConflictView(Vertical):
    DEFAULT_CSS = """
    ConflictView {
        height: auto;
        max-height: 100%;
    }
    ConflictView #conflict-message {
        margin-bottom: 1;
    }
    ConflictView .conflict-choice {
        color: $text;
    }
    ConflictView #conflict-diff-title {
        display: none;
        margin-top: 1;
        color: $text-muted;
    }
    ConflictView DiffView {
        display: none;
        height: 1fr;
        min-height: 5;
        border: round $panel-lighten-2;
    }
    ConflictView.-diff {
        height: 1fr;
    }
    ConflictView.-diff #conflict-diff-title, ConflictView.-diff DiffView {
        display: block;
    }
    """

    def __init__(self, info: ConflictInfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = info

    def compose(self) -> ComposeResult:
        yield Static(self.info.explanation(), id="conflict-message", markup=False)
        for key, text in self.info.choices():
            yield Static(f" {key}  {text}", classes="conflict-choice", markup=False)
        model = self.info.model
        if model is not None:
            title = f"{model.left_label} (left) \u2192 {model.right_label} (right): {model.summary}"
            yield Static(title, id="conflict-diff-title", markup=False)
            yield DiffView(model, id="conflict-diff")

    @property
    def diff_shown(self) -> bool:
        return self.has_class("-diff")

    def toggle_diff(self) -> None:
        if self.info.model is not None:
            self.toggle_class("-diff")

    def toggle_layout(self) -> None:
        if self.diff_shown:
            view = self.query_one(DiffView)
            view.side_by_side = not view.side_by_side
