"""A module's alternative options, one of them the default: enter makes the highlighted one
the default (what the prompt renders with)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.library.prompts import ModuleInfo


def option_row(index: int, text: str, name: str, is_default: bool) -> Content:
    mark = ("● ", "bold $success") if is_default else ("○ ", "dim")
    tag = ("  default", "bold $success") if is_default else ("", "")
    return Content.assemble(
        mark, (f"{name or f'Option {index}'}", "bold"), tag, "\n", (f"  {text}", "dim")
    )


class ModuleOptionsScreen(ModalScreen[uuid.UUID | None]):
    CSS_PATH = css_path("modals.tcss", "library.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="library-options-cancel"),
    ]

    def __init__(self, module: ModuleInfo) -> None:
        super().__init__(classes="dialog")
        self.module = module

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                "Each option is an alternative text for this module; the default is rendered.",
                classes="dialog-intro",
            )
            yield OptionList(
                *(
                    Option(option_row(i + 1, o.content, o.name, o.is_default), str(o.id))
                    for i, o in enumerate(self.module.options)
                ),
                id="options-list",
            )
            yield Static("enter make default · esc close", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = Content(f"Options of {self.module.name}")
        option_list = self.query_one("#options-list", OptionList)
        default = next((i for i, o in enumerate(self.module.options) if o.is_default), 0)
        option_list.highlighted = default
        option_list.focus()

    @on(OptionList.OptionSelected, "#options-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(uuid.UUID(event.option.id or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
