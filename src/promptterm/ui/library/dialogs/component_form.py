"""Create or edit a component: the seed's limits are shown as the user types (a counter per
field that turns red past the limit, with the reason under the field), and the service has
the last word; what it refuses is shown at the field it names, and nothing typed is lost."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from promptterm.services.errors import LimitReached, ValidationError
from promptterm.services.library.components import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    check_content,
    check_description,
    check_name,
)
from promptterm.ui.common.errors import describe
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.field_error import show_error

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.components import ComponentInfo

TYPES = ("role", "style", "context", "mode")
LIMITS = {"name": NAME_MAX, "description": DESCRIPTION_MAX, "content": CONTENT_MAX}
CHECKS = {"name": check_name, "description": check_description, "content": check_content}
FIELDS = ("type", "name", "description", "tags", "content")


def field_problem(field: str, text: str) -> str:
    """The service's own words for what is wrong with ``text`` ("" when it is fine)."""
    try:
        CHECKS[field](text)
    except ValidationError as exc:
        return exc.message
    return ""


def counter(field: str, text: str) -> Content:
    used, most = len(text.strip()), LIMITS[field]
    style = "bold $error" if used > most or (used == 0 and field != "description") else "dim"
    return Content.styled(f"{used:,}/{most:,}", style)


class ComponentForm(ModalScreen["ComponentInfo | None"]):
    CSS_PATH = css_path("modals.tcss", "library.tcss")
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="library-form-cancel"),
        # Enter in a one-line field saves too; ctrl+j is the chord that survives every terminal.
        Binding("ctrl+j", "submit", "Save", id="library-form-save"),
    ]

    class Done(Message):
        def __init__(self, component: ComponentInfo) -> None:
            super().__init__()
            self.component = component

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        services: Services,
        *,
        kind: str = "role",
        editing: ComponentInfo | None = None,
        lock_type: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.kind = editing.type if editing else kind
        self.lock_type = lock_type  # a preset's slot asked for it: only that type fits
        self.editing = editing
        self.busy = False
        self._asked_discard = False

    def compose(self) -> ComposeResult:
        c = self.editing
        with Vertical(id="dialog", classes="-wide"):
            with Horizontal(classes="form-row"):
                yield Label("Type", classes="form-label")
                if c is None and not self.lock_type:
                    yield Select(
                        [(t, t) for t in TYPES],
                        value=self.kind,
                        allow_blank=False,
                        compact=True,
                        id="field-type",
                    )
                elif c is None:
                    yield Static(f"{self.kind} (for the preset's {self.kind})", id="field-type")
                else:
                    yield Static(f"{c.type} (a component keeps its type)", id="field-type")
            yield from self._error("type")
            yield from self._line("name", "Name", c.name if c else "", "e.g. Marketing Expert")
            yield from self._line(
                "description", "Description", (c.description or "") if c else "", "optional"
            )
            yield from self._line(
                "tags", "Tags", ", ".join(c.tags) if c else "", "optional, comma separated"
            )
            with Horizontal(classes="form-row"):
                yield Label("Content", classes="form-label")
                yield Static("", classes="form-fill")
                yield Static(counter("content", c.content if c else ""), id="count-content")
            area = TextArea(c.content if c else "", id="field-content", soft_wrap=True)
            area.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield area
            yield from self._error("content")
            yield Static("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Static("ctrl+j save · esc cancel", classes="dialog-keys")
                yield Button("Cancel", id="cancel", compact=True)
                yield Button(
                    "Save" if c else "Create", id="submit", variant="primary", compact=True
                )

    def _line(self, field: str, label: str, value: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield Input(
                value,
                placeholder=placeholder,
                compact=True,
                select_on_focus=False,
                id=f"field-{field}",
            )
            if field in LIMITS:
                yield Static(counter(field, value), id=f"count-{field}", classes="form-count")
        yield from self._error(field)

    def _error(self, field: str) -> ComposeResult:
        yield Static("", id=f"error-{field}", classes="field-error", markup=False)

    def on_mount(self) -> None:
        verb = "Edit" if self.editing else "New"
        what = f"{self.kind} {self.editing.name}" if self.editing else "component"
        self.query_one("#dialog").border_title = Content(f"{verb} {what}")  # names: not markup
        typed = self.editing is None and not self.lock_type
        self.query_one("#field-type" if typed else "#field-name").focus()

    # Live limits --------------------------------------------------------------------------

    @on(Input.Changed, "#field-name, #field-description")
    def _typed(self, event: Input.Changed) -> None:
        field = (event.input.id or "").removeprefix("field-")
        self._live(field, event.value)

    @on(TextArea.Changed, "#field-content")
    def _typed_content(self, event: TextArea.Changed) -> None:
        self._live("content", event.text_area.text)

    def _live(self, field: str, text: str) -> None:
        self.query_one(f"#count-{field}", Static).update(counter(field, text))
        problem = field_problem(field, text)
        # An empty required field is only an error once the user tries to save.
        if problem and not text.strip():
            problem = ""
        self._set_error(field, problem)

    def _set_error(self, field: str, message: str) -> None:
        show_error(self.query_one(f"#error-{field}", Static), message)

    # Submit -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        kind = self.query_one("#field-type")
        return {
            "type": str(kind.value) if isinstance(kind, Select) else self.kind,
            "name": self.query_one("#field-name", Input).value,
            "description": self.query_one("#field-description", Input).value,
            "tags": [t for t in self.query_one("#field-tags", Input).value.split(",") if t.strip()],
            "content": self.query_one("#field-content", TextArea).text,
        }

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.busy:
            return
        values = self.values()
        # Refuse here what the service would refuse, every field at once, without a round trip.
        problems = {f: field_problem(f, values[f]) for f in ("name", "description", "content")}
        for field, problem in problems.items():
            self._set_error(field, problem)
        self._set_error("type", "")
        self.query_one("#form-error", Static).display = False
        first = next((f for f in FIELDS if problems.get(f)), None)
        if first is not None:
            self.query_one(f"#field-{first}").focus()
            return
        self.busy = True
        self.query_one("#submit", Button).disabled = True
        self._save(values)

    @work(thread=True, exit_on_error=False, group="library-form")
    def _save(self, values: dict[str, Any]) -> None:
        try:
            if self.editing is None:
                result = self.services.components.create(
                    values["type"],
                    values["name"],
                    values["content"],
                    description=values["description"] or None,
                    tags=values["tags"],
                )
            else:
                result = self.services.components.update(
                    self.editing.id,
                    name=values["name"],
                    content=values["content"],
                    description=values["description"],
                    tags=values["tags"],
                    expected=self.editing,  # refused if it changed since the form opened
                )
        except Exception as exc:  # shown in the form: a refused input never closes it
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Done(result))

    def on_component_form_done(self, message: Done) -> None:
        self.dismiss(message.component)

    def on_component_form_failed(self, message: Failed) -> None:
        self.busy = False
        self.query_one("#submit", Button).disabled = False
        error = message.error
        field = error.field if isinstance(error, ValidationError) else None
        text = describe(error)[1]
        if field in FIELDS:
            self._set_error(field, text)
            self.query_one(f"#field-{field}").focus()
        else:
            # A taken name is a Conflict with no field: it is still about the name.
            if not isinstance(error, LimitReached) and "name" in text:
                self._set_error("name", text)
                self.query_one("#field-name").focus()
                return
            form_error = self.query_one("#form-error", Static)
            form_error.update(text)
            form_error.display = True

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self._dirty() and not self._asked_discard:
            self._asked_discard = True
            self.notify("Unsaved changes: press esc again to discard them.", severity="warning")
            return
        self.dismiss(None)

    def _dirty(self) -> bool:
        c = self.editing
        values = self.values()
        if c is None:
            return bool(values["name"].strip() or values["content"].strip())
        return (
            values["name"] != c.name
            or values["content"] != c.content
            or values["description"] != (c.description or "")
        )
