"""A form built from a prompt's typed variables: text and number as inputs, multiline as a
text area, boolean as a checkbox, choice as a select. Each value is checked as it is typed
with the service's own rules, and a refused one is named at its field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from promptterm.services.errors import ValidationError
from promptterm.services.library.prompt_render import coerce
from promptterm.ui.common.widgets.field_error import show_error

if TYPE_CHECKING:
    from promptterm.services.library.prompt_render import VariableSpec


def _hint(spec: VariableSpec) -> str:
    """The placeholder: what the field takes."""
    if spec.type == "number":
        if spec.min is not None and spec.max is not None:
            return f"a number, {spec.min:g} to {spec.max:g}"
        if spec.min is not None:
            return f"a number, at least {spec.min:g}"
        if spec.max is not None:
            return f"a number, at most {spec.max:g}"
        return "a number"
    hint = spec.label or ""
    if spec.max is not None:
        hint = f"{hint} (up to {spec.max:g} characters)".strip()
    return hint or ("required" if spec.required else "optional")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class VariablesForm(Vertical):
    """Posts ``Changed`` with every value whenever one changes (the screen renders then)."""

    class Changed(Message):
        def __init__(self, values: dict[str, Any], valid: bool) -> None:
            super().__init__()
            self.values = values
            self.valid = valid

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.specs: tuple[VariableSpec, ...] = ()

    async def build(self, specs: tuple[VariableSpec, ...]) -> None:
        """Replace the fields with ones for ``specs``, filled with their defaults."""
        self.specs = specs
        await self.remove_children()
        widgets: list[Widget] = []
        for spec in specs:
            mark = "*" if spec.required else ""
            row = Horizontal(
                Label(Content.assemble(spec.name, (mark, "bold $error")), classes="var-label"),
                self._field(spec),
                classes=f"var-row -{spec.type}",
            )
            widgets.append(row)
            error = Static("", id=f"var-error-{spec.name}", classes="var-error", markup=False)
            error.display = False
            widgets.append(error)
        if not specs:
            note = "No variables: the text renders as written. v adds one."
            widgets.append(Static(Content.styled(note, "dim italic")))
        await self.mount_all(widgets)

    def _field(self, spec: VariableSpec) -> Widget:
        wid = f"var-{spec.name}"
        if spec.type == "multiline":
            area = TextArea(_text(spec.default), id=wid, compact=True, soft_wrap=True)
            area.cursor_blink = getattr(self.app, "cursor_blink", True)
            return area
        if spec.type == "boolean":
            value = spec.default is not None and coerce(spec, spec.default) == "true"
            return Checkbox("yes" if value else "no", value, id=wid, compact=True)
        if spec.type == "choice":
            return Select(
                [(Content(c), c) for c in spec.choices],  # a choice is text, not markup
                value=spec.default if spec.default in spec.choices else Select.NULL,
                allow_blank=not spec.required or spec.default not in spec.choices,
                prompt="pick one",
                id=wid,
                compact=True,
            )
        return Input(_text(spec.default), placeholder=_hint(spec), id=wid, compact=True)

    def values(self) -> dict[str, Any]:
        """What the user entered, as the service takes it (blank: not given)."""
        values: dict[str, Any] = {}
        for spec in self.specs:
            widget = self.query_one(f"#var-{spec.name}")
            if isinstance(widget, TextArea):
                values[spec.name] = widget.text
            elif isinstance(widget, Checkbox):
                values[spec.name] = widget.value
            elif isinstance(widget, Select):
                values[spec.name] = None if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                values[spec.name] = widget.value
        return values

    def check(self) -> bool:
        """Check every value with the service's rules; show each refusal at its field."""
        ok = True
        values = self.values()
        for spec in self.specs:
            raw = values.get(spec.name)
            message = ""
            if raw is None or raw == "":
                if spec.required and spec.default in (None, ""):
                    message = f"{spec.name} is required."
            else:
                try:
                    coerce(spec, raw)
                except ValidationError as exc:
                    message = exc.message
            self.show_error(spec.name, message)
            ok = ok and not message
        return ok

    def show_error(self, name: str, message: str) -> None:
        errors = self.query(f"#var-error-{name}")
        if not errors:
            return
        show_error(errors.first(Static), message)
        row = self.query_one(f"#var-{name}").parent
        if row is not None:
            row.set_class(bool(message), "-invalid")

    def focus_field(self, name: str) -> bool:
        fields = self.query(f"#var-{name}")
        if not fields:
            return False
        fields.first().focus()
        return True

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        if isinstance(event, Checkbox.Changed):
            event.checkbox.label = "yes" if event.value else "no"
        self.post_message(self.Changed(self.values(), self.check()))
