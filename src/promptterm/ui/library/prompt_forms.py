"""The forms that edit a prompt's parts (options and variables), shared by the prompts view
and its dialogs. Each checks as the user types with the services' own rules, and each write
names the version the user saw (``PromptSeen``): an edit made meanwhile is refused in words,
the form keeps what was typed, and a second, deliberate submit goes through."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from promptterm.services.errors import ValidationError
from promptterm.services.library.prompt_module_edits import (
    OPTION_MAX,
    OPTION_NAME_MAX,
    check_option,
    check_option_name,
)
from promptterm.services.library.prompt_variable_edits import check_config
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.seen import Seen

if TYPE_CHECKING:
    from textual.screen import Screen

    from promptterm.services.facade import Services
    from promptterm.services.library.prompt_render import VariableSpec
    from promptterm.services.library.prompts import ModuleInfo, PromptInfo

VARIABLE_TYPES = ("text", "multiline", "number", "boolean", "choice")
BOOLEAN_WORDS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def prompt_seen(services: Services, prompt: PromptInfo) -> Seen[int]:
    """The version a form opened on; after a refusal, the one stored now."""
    return Seen(prompt.version, lambda: services.prompts.get(prompt.id).version)


def form(*args: Any, **kwargs: Any) -> Screen[Any]:
    from promptterm.ui.common.dialogs.form import FormScreen

    return FormScreen(*args, **kwargs)


# Options ----------------------------------------------------------------------------------


def option_fields(name: str = "", content: str = "") -> list[Field]:
    return [
        Field("name", "Name", value=name, placeholder="optional: Option N", limit=OPTION_NAME_MAX),
        Field("content", "Text", value=content, multiline=True, limit=OPTION_MAX),
    ]


def check_option_form(values: dict[str, str]) -> None:
    if values["name"].strip():
        check_option_name(values["name"])
    check_option(values["content"])


# Modules ----------------------------------------------------------------------------------


def add_module_form(
    services: Services, prompt: PromptInfo, here: ModuleInfo | None
) -> Screen[PromptInfo | None]:
    """A module after ``here`` (None: at the end), with up to three options."""
    from promptterm.services.library.prompt_module_edits import MODULE_NAME_MAX, check_module_name

    keys = ("options", "option2", "option3")
    fields = [
        Field("name", "Name", placeholder="e.g. Intro", limit=MODULE_NAME_MAX),
        Field("options", "Option 1", placeholder="the text; {{name}} inserts a variable"),
        Field("option2", "Option 2", placeholder="optional alternative"),
        Field("option3", "Option 3", placeholder="optional alternative"),
    ]
    position = [m.id for m in prompt.modules].index(here.id) + 1 if here is not None else None
    seen = prompt_seen(services, prompt)

    def check(values: dict[str, str]) -> None:
        # A blank field is only refused on submit: check what has been typed.
        if values["name"].strip():
            check_module_name(values["name"])
        for key in keys:
            if values[key].strip():
                try:
                    check_option(values[key])
                except ValidationError as exc:
                    raise ValidationError(exc.message, key) from exc

    def submit(values: dict[str, str]) -> PromptInfo:
        texts = [values[k] for k in keys if values[k].strip()]
        return seen.write(
            lambda version: services.prompt_edits.add_module(
                prompt.id, values["name"], texts, position=position, expected_version=version
            )
        )

    where = f"after {here.name!r}" if here is not None else "at the end"
    # The prompt's name goes in the intro (plain text), not the title (read as markup).
    intro = (
        f"A module of {prompt.name!r}, {where}. Options are alternatives for this part of "
        "the prompt; the first is the default (o edits them later)."
    )
    return form("Add a module", fields, submit, submit_label="Add", intro=intro, check=check)


# Variables --------------------------------------------------------------------------------


def _number(text: str, field: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"{field} must be a number, like 1 or 2.5.", field) from None


def variable_config(values: dict[str, str]) -> dict[str, Any]:
    """The form's text as the services' keyword arguments (blank: not set)."""
    kind = values["type"]
    config: dict[str, Any] = {
        "required": values["required"] == "yes",
        "label": values["label"].strip() or None,
        "min": _number(values["min"], "min"),
        "max": _number(values["max"], "max"),
        "choices": [c.strip() for c in values["choices"].split(",") if c.strip()] or None,
    }
    default: Any = values["default"].strip() or None
    if default is not None and kind == "number":
        number = _number(default, "default")
        default = int(number) if number is not None and number.is_integer() else number
    elif default is not None and kind == "boolean":
        # Stored as a boolean, as the CLI and imports store it (text the service refuses stays).
        default = BOOLEAN_WORDS.get(default.lower(), default)
    config["default"] = default
    return config


def _bound(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def variable_fields(spec: VariableSpec | None = None) -> list[Field]:
    """The add form (no ``spec``: with a name) or the edit form of ``spec``."""
    fields = (
        []
        if spec is not None
        else [Field("name", "Name", placeholder="letters, digits and _ (used as {{name}})")]
    )
    default = "" if spec is None or spec.default is None else str(spec.default)
    if spec is not None and isinstance(spec.default, bool):
        default = "yes" if spec.default else "no"
    return [
        *fields,
        Field("type", "Type", value=spec.type if spec else "text", choices=VARIABLE_TYPES),
        Field("label", "Label", value=(spec.label or "") if spec else "", placeholder="optional"),
        Field("default", "Default", value=default, placeholder="optional"),
        Field(
            "required",
            "Required",
            value="yes" if spec and spec.required else "no",
            choices=("no", "yes"),
        ),
        Field(
            "choices",
            "Choices",
            value=", ".join(spec.choices) if spec else "",
            placeholder="for choice: a, b, c",
        ),
        Field(
            "min",
            "Min",
            value=_bound(spec.min) if spec else "",
            placeholder="number: lowest; text: fewest characters",
        ),
        Field(
            "max",
            "Max",
            value=_bound(spec.max) if spec else "",
            placeholder="number: highest; text: most characters",
        ),
    ]


def variable_checker(name: str | None) -> Callable[[dict[str, str]], dict[str, Any]]:
    """Checks a variable form as the service will; ``name`` None reads it from the form.
    A bad default is named by the variable (the value's own check): shown at Default."""

    def check(values: dict[str, str]) -> dict[str, Any]:
        named = (values.get("name", "") if name is None else name).strip()
        kind = values["type"]
        config = variable_config(values)
        try:
            check_config(named or "x", kind, config)  # a blank name is refused on submit
        except ValidationError as exc:
            if exc.field == (named or "x"):
                raise ValidationError(exc.message, "default") from exc
            raise
        return config

    return check


def uses_of(prompt: PromptInfo, name: str) -> list[str]:
    """The modules whose options use {{name}} (as the services count them)."""
    from promptterm.services.library.prompt_variable_edits import placeholders

    return [
        m.name for m in prompt.modules if any(name in placeholders(o.content) for o in m.options)
    ]


def new_option_id(before: PromptInfo, after: PromptInfo, module_id: uuid.UUID) -> uuid.UUID | None:
    """The option an add made (to keep the cursor on it)."""
    old = {o.id for m in before.modules if m.id == module_id for o in m.options}
    return next(
        (o.id for m in after.modules if m.id == module_id for o in m.options if o.id not in old),
        None,
    )
