"""Prompt files from other tools, read into the library's own documents.

Fabric patterns (one folder per pattern, ``system.md`` and sometimes ``user.md``):
- a pattern with only a system prompt that fits a component (5000 characters) becomes a
  **role** component named after its folder, tagged "fabric": a Fabric pattern is a system
  prompt, and a role is what a preset composes into one;
- a longer pattern, or one with a ``user.md``, becomes a modular **prompt** in the folder
  "Fabric" with a "System" module (and a "User" module); its ``{{name}}`` placeholders become
  required variables.

llm templates (simonw/llm YAML: ``system:``, ``prompt:``, ``defaults:``; a bare string is a
prompt):
- a template with only a system prompt and no variables becomes a **role** component named
  after the file, tagged "llm" (when it fits);
- anything else becomes a modular **prompt** in the folder "llm" with "System" and "Prompt"
  modules. ``$name`` and ``${name}`` become ``{{name}}`` variables, ``$$`` a plain ``$``; a
  variable with a default in ``defaults:`` is optional, one without is required, and
  ``$input`` (llm's piped input) is a required multi-line variable.
Other keys (model, options, schema, extract...) have no counterpart here and are ignored.
"""

from __future__ import annotations

import re
from typing import Any

from promptterm.services.errors import ValidationError
from promptterm.services.library.components import CONTENT_MAX, check_content, check_name, storable
from promptterm.services.library.formats.documents import (
    VARIABLE_NAME,
    ComponentDoc,
    ModuleDoc,
    OptionDoc,
    PromptDoc,
)
from promptterm.services.library.formats.yaml_text import FormatError, load_yaml
from promptterm.services.library.prompt_render import PLACEHOLDER_RE, VariableSpec, check_spec

FABRIC_FOLDER = "Fabric"
LLM_FOLDER = "llm"
OPTION_MAX = 20000

# string.Template's syntax: $$, $name, ${name}; a lone $ stays as it is.
_LLM_PLACEHOLDER = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|\{(?P<braced>[_a-z][_a-z0-9]*)\})",
    re.IGNORECASE | re.ASCII,
)


def fabric_pattern(name: str, system: str, user: str | None) -> ComponentDoc | PromptDoc:
    system, user = system.strip(), (user or "").strip()
    if not system:
        raise FormatError("system.md is empty.")
    try:
        if not user and len(system) <= CONTENT_MAX:
            return ComponentDoc(
                type="role", name=check_name(name), content=check_content(system), tags=("fabric",)
            )
        texts = [("System", system)] + ([("User", user)] if user else [])
        names = _unique(m.group(1) for _, text in texts for m in PLACEHOLDER_RE.finditer(text))
        variables = tuple(_spec(v, "multiline", required=True) for v in names)
        return _prompt(name, FABRIC_FOLDER, texts, variables)
    except ValidationError as exc:
        raise FormatError(exc.message) from exc


def llm_template(name: str, text: str) -> ComponentDoc | PromptDoc:
    data = load_yaml(text)
    if isinstance(data, str):
        data = {"prompt": data}
    if not isinstance(data, dict):
        raise FormatError("An llm template is a YAML mapping with system: and/or prompt:.")
    system, prompt = _field(data, "system"), _field(data, "prompt")
    if not (system or "").strip() and not (prompt or "").strip():
        raise FormatError("The template has neither a system: nor a prompt: text.")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise FormatError("'defaults' must map variable names to values.")
    try:
        texts: list[tuple[str, str]] = []
        found: list[str] = []
        for label, raw in (("System", system), ("Prompt", prompt)):
            if raw is not None and raw.strip():
                converted, names = _from_template(raw)
                texts.append((label, converted.strip()))
                found.extend(names)
        names = _unique(found)
        if not (prompt or "").strip() and not names and len(texts[0][1]) <= CONTENT_MAX:
            return ComponentDoc(
                type="role",
                name=check_name(name),
                content=check_content(texts[0][1]),
                tags=("llm",),
            )
        variables = tuple(_llm_variable(v, defaults) for v in names)
        return _prompt(name, LLM_FOLDER, texts, variables)
    except ValidationError as exc:
        raise FormatError(exc.message) from exc


def _from_template(text: str) -> tuple[str, list[str]]:
    """``text`` with llm's placeholders as ours, and the variable names in order of use."""
    names: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group("escaped"):
            return "$"
        name = match.group("named") or match.group("braced")
        names.append(name)
        return "{{" + name + "}}"

    return _LLM_PLACEHOLDER.sub(replace, text), names


def _llm_variable(name: str, defaults: dict[Any, Any]) -> VariableSpec:
    value = defaults.get(name)
    if value is None:
        kind = "multiline" if name == "input" else "text"
        return _spec(name, kind, required=True)
    if isinstance(value, bool):
        default = "true" if value else "false"
    elif isinstance(value, str | int | float):
        default = str(value)
    else:
        raise FormatError(f"The default of {name!r} must be text or a number.")
    kind = "multiline" if name == "input" or "\n" in default else "text"
    return _spec(name, kind, required=False, default=default)


def _spec(name: str, kind: str, *, required: bool, default: str | None = None) -> VariableSpec:
    if not VARIABLE_NAME.fullmatch(name):
        raise FormatError(f"The placeholder {name!r} is not a usable variable name.")
    return check_spec(VariableSpec(name=name, type=kind, required=required, default=default))


def _prompt(
    name: str, folder: str, texts: list[tuple[str, str]], variables: tuple[VariableSpec, ...]
) -> PromptDoc:
    modules = []
    for label, text in texts:
        if len(text) > OPTION_MAX:
            raise FormatError(
                f"The {label.lower()} text is {len(text)} characters; "
                f"a prompt module holds at most {OPTION_MAX}."
            )
        storable(text, label.lower(), f"The {label.lower()} text")
        modules.append(ModuleDoc(label, True, (OptionDoc("Option 1", text, True),)))
    return PromptDoc(
        name=check_name(name),
        folder=folder,
        description=None,
        variables=variables,
        modules=tuple(modules),
    )


def _field(data: dict[Any, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise FormatError(f"{key!r} must be text.")
    return value


def _unique(names: Any) -> list[str]:
    return list(dict.fromkeys(names))
