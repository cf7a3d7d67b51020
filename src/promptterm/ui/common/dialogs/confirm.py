"""A yes/no dialog that names exactly what will happen. Cancel has the focus: a stray enter
must never delete anything."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from promptterm.ui.common.styles import css_path


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = css_path("modals.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes", id="confirm-yes"),
        Binding("n,escape", "cancel", "No", id="confirm-no"),
    ]

    def __init__(
        self, title: str, message: str, *, confirm_label: str = "Delete", danger: bool = True
    ) -> None:
        super().__init__(classes="dialog")
        self.dialog_title = title
        self.message = message
        self.confirm_label = confirm_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-danger" if self.danger else ""):
            yield Static(self.message, id="confirm-message", markup=False)
            yield Static(f"y {self.confirm_label.lower()} · n or esc cancel", classes="dialog-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(
                    self.confirm_label,
                    id="confirm",
                    variant="error" if self.danger else "primary",
                )

    def on_mount(self) -> None:
        # Content, not a markup string: titles hold names people typed.
        self.query_one("#dialog").border_title = Content(self.dialog_title)
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
