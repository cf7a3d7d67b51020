"""A small form dialog that calls a service and stays open, with the error in place, until
the service accepts the input (a mistake never loses what was typed).

A form can also check as the user types (``check``: the service's own validation, raising
ValidationError at a field) and count a field's characters against its limit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from promptterm.services.errors import ValidationError
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.errors import describe
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.field_error import show_error

T = TypeVar("T")


def counter(text: str, limit: int) -> Content:
    """ "12/255", red past the limit."""
    used = len(text.strip())
    return Content.styled(f"{used:,}/{limit:,}", "bold $error" if used > limit else "dim")


class FormScreen(ModalScreen[T | None], Generic[T]):
    CSS_PATH = css_path("modals.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        # Enter in any field submits too; ctrl+j is the chord that survives every terminal.
        Binding("ctrl+j", "submit", "Submit", id="form-submit", show=False),
    ]

    class Done(Message):
        def __init__(self, result: object) -> None:
            super().__init__()
            self.result = result

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        submit: Callable[[dict[str, str]], T],
        *,
        submit_label: str = "Create",
        intro: str | None = None,
        check: Callable[[dict[str, str]], object] | None = None,
        wide: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.dialog_title = title
        self.fields = list(fields)
        self._submit_fn = submit
        self.submit_label = submit_label
        self.intro = intro
        self._check = check
        self.wide = wide
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide" if self.wide else ""):
            if self.intro:
                yield Static(self.intro, classes="dialog-intro", markup=False)
            for f in self.fields:
                with Horizontal(classes="form-row"):
                    yield Label(f.label, classes="form-label")
                    if f.multiline:
                        yield Static("", classes="form-fill")
                    elif f.choices:
                        yield Select(
                            [(c, c) for c in f.choices],
                            value=f.value or f.choices[0],
                            allow_blank=False,
                            compact=True,
                            id=f"field-{f.name}",
                        )
                    else:
                        yield Input(
                            f.value,
                            placeholder=f.placeholder,
                            compact=True,
                            select_on_focus=True,
                            password=f.password,
                            id=f"field-{f.name}",
                        )
                    if f.limit:
                        yield Static(
                            counter(f.value, f.limit), id=f"count-{f.name}", classes="form-count"
                        )
                if f.multiline:
                    area = TextArea(
                        f.value, id=f"field-{f.name}", soft_wrap=True, classes="form-area"
                    )
                    area.cursor_blink = getattr(self.app, "cursor_blink", True)
                    yield area
                under = " -under-area" if f.multiline else ""
                yield Static("", id=f"error-{f.name}", classes="field-error" + under, markup=False)
            yield Static("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if any(f.multiline for f in self.fields):
                    yield Static("ctrl+j save · esc cancel", classes="dialog-keys")
                yield Button("Cancel", id="cancel")
                yield Button(self.submit_label, id="submit", variant="primary")

    def on_mount(self) -> None:
        # Content, not a markup string: titles hold names people typed.
        self.query_one("#dialog").border_title = Content(self.dialog_title)
        self.query_one(f"#field-{self.fields[0].name}").focus()

    def values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, TextArea):
                values[f.name] = widget.text
                continue
            value = widget.value if isinstance(widget, Input | Select) else ""
            values[f.name] = str(value) if value is not Select.NULL else ""
        return values

    def _show_error(self, field: str | None, message: str) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.display = False
        names = {f.name for f in self.fields}
        target = f"#error-{field}" if field in names else "#form-error"
        error = self.query_one(target, Static)
        error.update(message)
        error.display = True
        if field in names:
            self.query_one(f"#field-{field}").focus()

    # As the user types -----------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        widget = event.control
        name = (widget.id or "").removeprefix("field-") if widget is not None else ""
        field = next((f for f in self.fields if f.name == name), None)
        if field is None:
            return
        values = self.values()
        if field.limit:
            self.query_one(f"#count-{name}", Static).update(counter(values[name], field.limit))
        if self._check is not None:
            self._live(values)

    def _live(self, values: dict[str, str]) -> None:
        """Show what the service would refuse now, at its field (a blank field is only an
        error once the user submits: an empty form is not a mistake)."""
        assert self._check is not None
        problem: tuple[str, str] | None = None
        try:
            self._check(values)
        except ValidationError as exc:
            if exc.field in values and values[exc.field].strip():
                problem = (exc.field, exc.message)
        for f in self.fields:
            error = self.query_one(f"#error-{f.name}", Static)
            show_error(error, problem[1] if problem is not None and problem[0] == f.name else "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.query_one("#submit", Button).disabled = True
        self._run(self.values())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exit_on_error=False, group="form-submit")
    def _run(self, values: dict[str, str]) -> None:
        try:
            result = self._submit_fn(values)
        except Exception as exc:  # shown in the form; a bad input must never close the app
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Done(result))

    def on_form_screen_done(self, message: Done) -> None:
        self.dismiss(message.result)  # type: ignore[arg-type]

    def on_form_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self.query_one("#submit", Button).disabled = False
        error = message.error
        field = error.field if isinstance(error, ValidationError) else None
        self._show_error(field, describe(error)[1])
