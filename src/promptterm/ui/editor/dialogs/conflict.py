"""The conflict dialog: keep mine, take theirs (or the disk's), or look at the diff first.

Dismissed with "mine", "theirs" or None (decide later: the tab stays marked, and the next
save comes back here).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from promptterm.ui.common.styles import css_path
from promptterm.ui.editor.widgets.conflict import ConflictInfo, ConflictView

Choice = Literal["mine", "theirs"]


class ConflictScreen(ModalScreen[Choice | None]):
    CSS_PATH = css_path("modals.tcss", "editor.tcss")
    AREA = "editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep_mine", "Keep mine", id="editor-conflict-mine"),
        Binding("t", "take_theirs", "Take theirs", id="editor-conflict-theirs"),
        Binding("d", "toggle_diff", "See the diff", id="editor-conflict-diff"),
        Binding("s", "toggle_layout", "Side by side / unified", id="editor-conflict-layout"),
        Binding("escape", "later", "Decide later", id="editor-conflict-later"),
    ]

    def __init__(self, info: ConflictInfo) -> None:
        super().__init__(classes="dialog")
        self.info = info

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide -danger"):
            yield ConflictView(self.info)

    def on_mount(self) -> None:
        dialog = self.query_one("#dialog")
        dialog.border_title = f"{self.info.title}: {self.info.path}"
        theirs = "t take theirs" if self.info.kind == "stale" else "t take the disk's"
        dialog.border_subtitle = f"k keep mine \u00b7 {theirs} \u00b7 esc later"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_diff", "toggle_layout"):
            return self.info.model is not None and (
                action == "toggle_diff" or self.query_one(ConflictView).diff_shown
            )
        return True

    def action_keep_mine(self) -> None:
        self.dismiss("mine")

    def action_take_theirs(self) -> None:
        self.dismiss("theirs")

    def action_later(self) -> None:
        self.dismiss(None)

    def action_toggle_diff(self) -> None:
        view = self.query_one(ConflictView)
        view.toggle_diff()
        self.query_one("#dialog").set_class(view.diff_shown, "-tall")
        self.refresh_bindings()

    def action_toggle_layout(self) -> None:
        self.query_one(ConflictView).toggle_layout()
