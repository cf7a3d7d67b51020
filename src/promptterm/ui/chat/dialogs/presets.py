"""Pick the preset of a thread: its composed system prompt goes with every send from then on,
and the switch is recorded in the thread's preset history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from promptterm.services.words import plural
from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.presets import PresetInfo

NONE_ID = "none"


@dataclass(frozen=True)
class PresetChoice:
    preset_id: uuid.UUID | None  # None: no preset
    name: str


class PresetPickerScreen(ModalScreen[PresetChoice | None]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="presets-cancel"),
    ]

    @dataclass
    class Loaded(Message):
        presets: list[PresetInfo]

    def __init__(self, services: Services, *, current: uuid.UUID | None, title: str) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.current = current
        self.dialog_title = title
        self.presets: list[PresetInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield OptionList(id="presets-options", compact=True)
            yield Static("", id="presets-preview", markup=False)
            yield Static(
                "enter use · esc cancel · presets are made in the library (4)",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = self.dialog_title
        self.query_one(OptionList).focus()
        self._load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)

    @work(thread=True, exit_on_error=False, group="presets-load")
    def _load(self) -> None:
        self.post_message(self.Loaded(self.services.presets.list(sort="most_used")))

    def on_preset_picker_screen_loaded(self, message: Loaded) -> None:
        self.presets = message.presets
        items = [Option(self._none_label(), id=NONE_ID)]
        items += [Option(self._label(p), id=str(p.id)) for p in message.presets]
        if not message.presets:
            text = "No presets yet: build one from components in the library (4)."
            items.append(Option(Content.styled(text, "italic dim"), disabled=True))
        options = self.query_one(OptionList)
        options.set_options(items)
        wanted = str(self.current) if self.current else NONE_ID
        options.highlighted = next((i for i, o in enumerate(items) if o.id == wanted), 0)

    def _none_label(self) -> Content:
        mark = "  (current)" if self.current is None else ""
        return Content.assemble(
            ("No preset", "bold"), (mark, "dim"), "\n", ("  no system prompt", "dim")
        )

    def _label(self, preset: PresetInfo) -> Content:
        parts = ", ".join(f"{c.type}: {c.name}" for c in preset.parts) or "no components"
        marks = []
        if preset.id == self.current:
            marks.append("current")
        marks.append(f"used {plural(preset.usage_count, 'time')}")
        head = Content.assemble((preset.name, "bold"), (f"  ({', '.join(marks)})", "dim"))
        lines = [head, Content.styled(f"  {parts}", "dim")]
        if preset.warning:
            lines.append(Content.styled(f"  ⚠ {preset.warning}", "$text-warning"))
        return Content("\n").join(lines)

    @on(OptionList.OptionHighlighted, "#presets-options")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        preview = self.query_one("#presets-preview", Static)
        preset = next((p for p in self.presets if str(p.id) == event.option.id), None)
        if preset is None:
            preview.update("The thread is sent without a system prompt.")
            return
        text = "\n\n".join(c.content for c in preset.parts)
        lines = text.splitlines()
        shown = "\n".join(lines[:4]) + ("\n…" if len(lines) > 4 else "")
        preview.update(shown or "(empty)")

    @on(OptionList.OptionSelected, "#presets-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NONE_ID:
            self.dismiss(PresetChoice(None, "No preset"))
            return
        preset = next((p for p in self.presets if str(p.id) == event.option.id), None)
        if preset is not None:
            self.dismiss(PresetChoice(preset.id, preset.name))

    def action_cancel(self) -> None:
        self.dismiss(None)
