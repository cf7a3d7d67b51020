"""Typed prompt variables and rendering of {{name}} placeholders, with errors that name names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from promptterm.services.errors import ValidationError

PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
TRUE_WORDS = {"true", "yes", "y", "1", "on"}
FALSE_WORDS = {"false", "no", "n", "0", "off"}


@dataclass(frozen=True)
class VariableSpec:
    name: str
    type: str  # text, multiline, number, boolean, choice
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    label: str | None = None


def spec_from_config(name: str, kind: str, config: dict[str, Any]) -> VariableSpec:
    return VariableSpec(
        name=name,
        type=kind,
        required=bool(config.get("required", False)),
        default=config.get("default"),
        choices=tuple(str(c) for c in config.get("choices") or ()),
        min=config.get("min"),
        max=config.get("max"),
        label=config.get("label"),
    )


def check_spec(spec: VariableSpec) -> VariableSpec:
    """Refuse a variable definition that could never be filled in."""
    if not NAME_RE.fullmatch(spec.name):
        raise ValidationError(
            f"{spec.name!r} is not a usable variable name: use letters, digits and _, "
            "starting with a letter.",
            "name",
        )
    if spec.type == "choice" and not spec.choices:
        raise ValidationError(f"The choice variable {spec.name!r} needs choices.", "choices")
    if spec.min is not None and spec.max is not None and spec.min > spec.max:
        raise ValidationError(f"{spec.name!r}: min {spec.min} is above max {spec.max}.", "min")
    if spec.default is not None:
        coerce(spec, spec.default)
    return spec


def coerce(spec: VariableSpec, raw: Any) -> str:
    """The text a value renders as, or a ValidationError that names the variable."""
    name = spec.name
    if spec.type in ("text", "multiline"):
        text = str(raw)
        if spec.type == "text" and "\n" in text:
            raise ValidationError(f"{name} is a single line; remove the line breaks.", name)
        if spec.min is not None and len(text) < spec.min:
            raise ValidationError(f"{name} needs at least {spec.min:g} characters.", name)
        if spec.max is not None and len(text) > spec.max:
            raise ValidationError(f"{name} allows at most {spec.max:g} characters.", name)
        return text
    if spec.type == "number":
        try:
            number = float(raw) if not isinstance(raw, bool) else float("nan")
        except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond float
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError(f"{name} must be a number; got {raw!r}.", name)
        if spec.min is not None and number < spec.min:
            raise ValidationError(f"{name} must be at least {spec.min:g}; got {number:g}.", name)
        if spec.max is not None and number > spec.max:
            raise ValidationError(f"{name} must be at most {spec.max:g}; got {number:g}.", name)
        return str(int(number)) if number.is_integer() else repr(number)
    if spec.type == "boolean":
        if isinstance(raw, bool):
            return "true" if raw else "false"
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return "true"
        if word in FALSE_WORDS:
            return "false"
        raise ValidationError(f"{name} must be yes or no; got {raw!r}.", name)
    if spec.type == "choice":
        value = str(raw)
        if value not in spec.choices:
            raise ValidationError(
                f"{name} must be one of {', '.join(spec.choices)}; got {value!r}.", name
            )
        return value
    raise ValidationError(f"{name} has an unknown type {spec.type!r}.", name)


def resolve_values(specs: list[VariableSpec], given: dict[str, Any]) -> dict[str, str]:
    """Every variable's text: given, else its default; missing required ones are named."""
    known = {s.name for s in specs}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValidationError(
            f"Unknown variable {', '.join(unknown)}; this prompt has "
            f"{', '.join(sorted(known)) or 'no variables'}.",
            unknown[0],
        )
    values: dict[str, str] = {}
    missing: list[str] = []
    for spec in specs:
        raw = given.get(spec.name)
        if raw is None or raw == "":
            raw = spec.default
        if raw is None or raw == "":
            if spec.required:
                missing.append(spec.name)
            else:
                values[spec.name] = ""
            continue
        values[spec.name] = coerce(spec, raw)
    if missing:
        noun = "variable" if len(missing) == 1 else "variables"
        raise ValidationError(f"Fill in the required {noun}: {', '.join(missing)}.", missing[0])
    return values


def substitute(template: str, values: dict[str, str]) -> str:
    """Replace {{name}}; a placeholder with no variable behind it is an error, not a blank."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValidationError(
                f"The text uses {{{{{name}}}}} but the prompt has no variable {name!r}; "
                "define it or fix the spelling.",
                name,
            )
        return values[name]

    # One pass over the template: a value that itself contains {{x}} is left as typed.
    return PLACEHOLDER_RE.sub(replace, template)
