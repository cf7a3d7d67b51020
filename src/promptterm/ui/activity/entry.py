"""One log entry, whole: every field, the traceback and (when the user logs them) the request
and response bodies, scrollable. Opened from the list with enter, or with ctrl+e for the last
error from anywhere."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from promptterm.services.activity import EntryInfo
from promptterm.ui.activity.text import whole
from promptterm.ui.common.styles import css_path


class EntryScreen(ModalScreen[None]):
    CSS_PATH = css_path("modals.tcss", "activity.tcss")
    AUTO_FOCUS = "#activity-entry-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="activity-entry-close"),
    ]

    def __init__(self, entry: EntryInfo) -> None:
        super().__init__(classes="dialog")
        self.entry = entry

    def compose(self) -> ComposeResult:
        title = "Provider call" if self.entry.kind == "api" else "Error"
        with Vertical(id="dialog", classes="-wide") as dialog:
            dialog.border_title = title
            with VerticalScroll(id="activity-entry-body", can_focus=True):
                yield Static(whole(self.entry), id="activity-entry-text", markup=False)
            yield Static("esc: close · ↑↓ pgup pgdn: scroll", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
