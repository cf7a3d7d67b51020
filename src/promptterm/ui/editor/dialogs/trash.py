"""The trash of a project: deleted files and folders; enter brings one back with its history."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.words import plural
from promptterm.ui.common.relative_times import RelativeTimes, keep_times_fresh
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.format import ago

if TYPE_CHECKING:
    from promptterm.services.files.models import FileInfo


class TrashScreen(RelativeTimes, ModalScreen[uuid.UUID | None]):
    CSS_PATH = css_path("modals.tcss", "editor.tcss")
    AREA = "editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="editor-trash-close"),
    ]

    def __init__(
        self, project_name: str, items: list[FileInfo], clock: Callable[[], datetime]
    ) -> None:
        super().__init__(classes="dialog")
        self.project_name = project_name
        self.items = items
        self.clock = clock
        self.now = clock()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            if not self.items:
                yield Static("The trash is empty.", markup=False)
            else:
                yield Static(
                    "Deleted files keep their history. Pick one to bring it back.",
                    classes="dialog-intro",
                    markup=False,
                )
                yield OptionList(
                    *[Option(self._label(f), id=str(f.id)) for f in self.items], id="trash-list"
                )
            yield Static("enter restore \u00b7 esc close", classes="dialog-keys", markup=False)

    def _label(self, f: FileInfo) -> Text:
        kind = "folder  " if f.is_folder else ""
        versions = "" if f.is_folder else f"  {plural(f.head_version, 'version')}"
        return Text.assemble(
            (kind, "dim"),
            f.path,
            (f"{versions} \u00b7 deleted {ago(f.updated_at, self.now)}", "dim"),
        )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = f"Trash of {self.project_name}"
        if self.items:
            self.query_one(OptionList).focus()
            keep_times_fresh(self, self.clock)

    def retime(self, now: datetime) -> None:
        self.now = now
        options = self.query_one(OptionList)
        for f in self.items:
            options.replace_option_prompt(str(f.id), self._label(f))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(uuid.UUID(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
