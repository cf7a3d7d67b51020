"""Build or edit a preset: up to one component per type (all optional, at least one), with a
live preview of the composed system prompt and its token count as parts are picked."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from promptterm.services.errors import ValidationError
from promptterm.services.library.presets import compose_text
from promptterm.services.tokens import estimate_tokens
from promptterm.ui.common.errors import describe, report_failed_worker
from promptterm.ui.common.styles import css_path
from promptterm.ui.library.dialogs.picker import ComponentPicker, Picked
from promptterm.ui.library.widgets.presets import SLOTS

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.components import ComponentInfo
    from promptterm.services.library.presets import PresetInfo


def slot_row(slot: str, part: ComponentInfo | None, missing: bool) -> Content:
    label = (f"{slot.capitalize():<9}", "bold")
    if part is not None:
        return Content.assemble(label, part.name)
    if missing:
        return Content.assemble(label, ("missing · enter to pick", "bold $warning"))
    return Content.assemble(label, ("— none —", "dim"))


class PresetBuilder(ModalScreen["PresetInfo | None"]):
    CSS_PATH = css_path("modals.tcss", "library.tcss")
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="library-builder-cancel"),
        Binding("ctrl+j", "submit", "Save", id="library-builder-save"),
        Binding("delete,backspace", "clear_slot", "Clear part", id="library-builder-clear"),
    ]

    class PartLoaded(Message):
        def __init__(self, slot: str, part: ComponentInfo) -> None:
            super().__init__()
            self.slot = slot
            self.part = part

    class Done(Message):
        def __init__(self, preset: PresetInfo) -> None:
            super().__init__()
            self.preset = preset

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(self, services: Services, editing: PresetInfo | None = None) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.editing = editing
        self.parts: dict[str, ComponentInfo | None] = {
            s: getattr(editing, s) if editing else None for s in SLOTS
        }
        self.missing: set[str] = set(editing.missing) if editing else set()
        self.touched: set[str] = set()  # slots the user changed (the rest are left alone)
        self.busy = False

    def compose(self) -> ComposeResult:
        p = self.editing
        with Vertical(id="dialog", classes="-wide"):
            with Horizontal(id="builder-body"):
                with Vertical(id="builder-form"):
                    with Horizontal(classes="form-row"):
                        yield Label("Name", classes="form-label")
                        yield Input(
                            p.name if p else "",
                            placeholder="e.g. LinkedIn Pro",
                            id="field-name",
                            compact=True,
                        )
                    yield Static("", id="error-name", classes="field-error", markup=False)
                    with Horizontal(classes="form-row"):
                        yield Label("Description", classes="form-label")
                        yield Input(
                            (p.description or "") if p else "",
                            placeholder="optional",
                            id="field-description",
                            compact=True,
                        )
                    yield Static("", id="error-description", classes="field-error", markup=False)
                    yield Static(Content.styled("Parts: one of each, at least one", "bold"))
                    yield OptionList(id="builder-slots")
                    yield Static("", id="error-components", classes="field-error", markup=False)
                with VerticalScroll(id="builder-preview"):
                    yield Static(id="builder-preview-body")
            yield Static("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Static("enter pick · del clear · ctrl+j save", classes="dialog-keys")
                yield Button("Cancel", id="cancel", compact=True)
                yield Button(
                    "Save" if p else "Create", id="submit", variant="primary", compact=True
                )

    def on_mount(self) -> None:
        title = f"Edit preset {self.editing.name}" if self.editing else "New preset"
        self.query_one("#dialog").border_title = Content(title)  # a name is not markup
        self._draw()
        self.query_one("#field-name" if not self.editing else "#builder-slots").focus()

    # Parts and the preview ----------------------------------------------------------------

    def _draw(self) -> None:
        slots = self.query_one("#builder-slots", OptionList)
        keep = slots.highlighted if slots.highlighted is not None else 0
        slots.set_options(Option(slot_row(s, self.parts[s], s in self.missing), s) for s in SLOTS)
        slots.highlighted = keep
        text = self.composed_text
        preview = self.query_one("#builder-preview")
        preview.border_title = f"System prompt · ≈ {estimate_tokens(text):,} tokens"
        body = (
            Content(text)
            if text
            else Content.styled("Pick a part to see the prompt.", "dim italic")
        )
        self.query_one("#builder-preview-body", Static).update(body)

    @property
    def composed_text(self) -> str:
        return compose_text([c for c in self.parts.values() if c is not None])

    @on(OptionList.OptionSelected, "#builder-slots")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self.pick(event.option.id or SLOTS[0])

    def pick(self, slot: str) -> None:
        current = self.parts[slot]
        reason = f"This preset's {slot} was deleted; pick another." if slot in self.missing else ""

        def done(picked: Picked | None) -> None:
            if picked is None:
                return
            if picked.component_id is None:
                self._set_part(slot, None)
            else:
                self._load_part(slot, picked.component_id)

        picker = ComponentPicker(
            self.services, slot, current=current.id if current else None, reason=reason
        )
        self.app.push_screen(picker, done)

    @work(thread=True, exit_on_error=False, group="library-builder")
    def _load_part(self, slot: str, component_id: uuid.UUID) -> None:
        self.post_message(self.PartLoaded(slot, self.services.components.get(component_id)))

    def on_preset_builder_part_loaded(self, message: PartLoaded) -> None:
        self._set_part(message.slot, message.part)

    def _set_part(self, slot: str, part: ComponentInfo | None) -> None:
        self.parts[slot] = part
        self.missing.discard(slot)
        self.touched.add(slot)
        self._show("components", "")
        self._draw()

    def action_clear_slot(self) -> None:
        slots = self.query_one("#builder-slots", OptionList)
        if self.focused is slots and slots.highlighted is not None:
            self._set_part(SLOTS[slots.highlighted], None)

    # Save ---------------------------------------------------------------------------------

    def _show(self, field: str, message: str) -> None:
        target = self.query(f"#error-{field}")
        error = target.first(Static) if target else self.query_one("#form-error", Static)
        error.update(message)
        error.display = bool(message)

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.busy:
            return
        for field in ("name", "description", "components"):
            self._show(field, "")
        self.query_one("#form-error", Static).display = False
        if not any(self.parts.values()):
            self._show("components", "Pick at least one part: a role, style, context or mode.")
            self.query_one("#builder-slots").focus()
            return
        self.busy = True
        self.query_one("#submit", Button).disabled = True
        self._save(
            self.query_one("#field-name", Input).value,
            self.query_one("#field-description", Input).value,
        )

    @work(thread=True, exit_on_error=False, group="library-builder")
    def _save(self, name: str, description: str) -> None:
        ids = {s: (c.id if c else None) for s, c in self.parts.items()}
        try:
            if self.editing is None:
                result = self.services.presets.create(name, description=description or None, **ids)
            else:
                # Only the slots the user changed: an untouched missing slot stays "missing".
                changed: dict[str, Any] = {s: ids[s] for s in self.touched}
                changed.update({s: i for s, i in ids.items() if i is not None})
                result = self.services.presets.update(
                    self.editing.id,
                    name=name,
                    description=description,
                    expected=self.editing,  # refused if it changed since the dialog opened
                    **changed,
                )
        except Exception as exc:  # shown in the dialog: a refused input never closes it
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Done(result))

    def on_preset_builder_done(self, message: Done) -> None:
        self.dismiss(message.preset)

    def on_preset_builder_failed(self, message: Failed) -> None:
        self.busy = False
        self.query_one("#submit", Button).disabled = False
        error = message.error
        field = error.field if isinstance(error, ValidationError) else None
        text = describe(error)[1]
        if field in SLOTS:
            field = "components"
        if field is None and "preset named" in text:
            field = "name"  # a taken name is a Conflict, still about the name
        self._show(field or "form", text)
        if field in ("name", "description"):
            self.query_one(f"#field-{field}").focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False: a failure is shown, never a traceback.
        report_failed_worker(self.app, event.worker)
