"""The library's plain-file formats: what a component, preset and prompt look like on disk.

- a component is Markdown with YAML front matter (name, type, description, tags) and its
  content as the body;
- a preset is YAML naming its components by type and name;
- a prompt is YAML with its folder, variables and modules (each with its options).

Parsing applies the same rules as the services, so a file that parses can be imported, and
its result compares equal to what an export of the stored item produces: that equality is
how an import tells "already there" from "different".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from promptterm.db.vocab import COMPONENT_TYPES, VARIABLE_TYPES
from promptterm.services.errors import ValidationError
from promptterm.services.library.components import (
    check_content,
    check_description,
    check_name,
    check_type,
    storable,
)
from promptterm.services.library.formats.yaml_text import FormatError, dump_yaml, load_yaml
from promptterm.services.library.prompt_render import VariableSpec, check_spec
from promptterm.services.validation import (
    clean_name,
    clean_tags,
    clean_text,
    optional_text,
    plain,
)

MAX_MODULES, MAX_OPTIONS, MAX_VARIABLES, MAX_CHOICES, MAX_TAGS = 200, 100, 200, 500, 100
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
NUMBER_LIMIT = 1e15  # bigger bounds are typos, and beyond 2**53 floats stop counting


@dataclass(frozen=True)
class ComponentDoc:
    type: str
    name: str
    content: str
    description: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PresetDoc:
    name: str
    description: str | None
    parts: tuple[tuple[str, str], ...]  # (type, component name), in role-style-context-mode order
    missing: tuple[str, ...] = ()  # slots whose component was deleted (informational)


@dataclass(frozen=True)
class OptionDoc:
    name: str
    content: str
    default: bool


@dataclass(frozen=True)
class ModuleDoc:
    name: str
    visible: bool
    options: tuple[OptionDoc, ...]


@dataclass(frozen=True)
class PromptDoc:
    name: str
    folder: str | None
    description: str | None
    variables: tuple[VariableSpec, ...]
    modules: tuple[ModuleDoc, ...]


# Components: Markdown with front matter ---------------------------------------------------


def component_to_markdown(doc: ComponentDoc) -> str:
    meta: dict[str, Any] = {"name": doc.name, "type": doc.type}
    if doc.description:
        meta["description"] = doc.description
    if doc.tags:
        meta["tags"] = list(doc.tags)
    return f"---\n{dump_yaml(meta)}---\n\n{doc.content}\n"


def component_from_markdown(
    text: str, *, default_name: str, folder_type: str | None = None
) -> ComponentDoc:
    """A component file. Without front matter the file's name names it and its folder
    (components/<type>/) gives the type."""
    meta: dict[str, Any] = {}
    body = text
    lines = text.split("\n")
    if lines[0].rstrip() == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if closing is None:
            raise FormatError("The front matter has no closing '---' line.")
        meta = _mapping(
            load_yaml("\n".join(lines[1:closing]), first_line=2), "The front matter", empty_ok=True
        )
        body = "\n".join(lines[closing + 1 :])
    with _as_format_error():
        kind = _text(meta, "type") or folder_type
        if kind is None:
            raise FormatError(
                f"Say the type in the front matter: one of {', '.join(COMPONENT_TYPES)}."
            )
        kind = check_type(kind)
        if folder_type is not None and kind != folder_type:
            raise FormatError(
                f"The front matter says type {kind!r} but the file is in components/{folder_type}/."
            )
        return ComponentDoc(
            type=kind,
            name=check_name(_text(meta, "name") or default_name),
            content=check_content(body),
            description=check_description(_text(meta, "description")),
            tags=tuple(clean_tags(_tags(meta))),
        )


# Presets ----------------------------------------------------------------------------------


def preset_to_yaml(doc: PresetDoc) -> str:
    data: dict[str, Any] = {"name": doc.name}
    if doc.description:
        data["description"] = doc.description
    data.update(dict(doc.parts))
    if doc.missing:
        data["missing"] = list(doc.missing)
    return dump_yaml(data)


def preset_from_yaml(text: str) -> PresetDoc:
    data = _mapping(load_yaml(text), "A preset file")
    with _as_format_error():
        name = clean_name(_text(data, "name"), "name", label="Preset name", min_len=1, max_len=100)
        parts: list[tuple[str, str]] = []
        for kind in COMPONENT_TYPES:
            ref = _text(data, kind)
            if ref is not None and ref.strip():
                parts.append((kind, check_name(ref)))
        missing = tuple(k for k in COMPONENT_TYPES if k in _string_list(data, "missing", 4))
        if not parts:
            lost = f" (its {', '.join(missing)} was deleted)" if missing else ""
            raise FormatError(
                f"The preset names no components{lost}: give at least one of "
                "role, style, context or mode."
            )
        return PresetDoc(
            name=storable(name, "name", "Preset name"),
            description=check_description(_text(data, "description")),
            parts=tuple(parts),
            missing=missing,
        )


# Prompts ----------------------------------------------------------------------------------


def prompt_to_yaml(doc: PromptDoc) -> str:
    data: dict[str, Any] = {"name": doc.name}
    if doc.folder is not None:
        data["folder"] = doc.folder
    if doc.description:
        data["description"] = doc.description
    if doc.variables:
        data["variables"] = [_variable_data(v) for v in doc.variables]
    data["modules"] = [_module_data(m) for m in doc.modules]
    return dump_yaml(data)


def _variable_data(spec: VariableSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"name": spec.name, "type": spec.type}
    if spec.required:
        data["required"] = True
    for key in ("default", "min", "max", "label"):
        if getattr(spec, key) is not None:
            data[key] = getattr(spec, key)
    if spec.choices:
        data["choices"] = list(spec.choices)
    return data


def _module_data(module: ModuleDoc) -> dict[str, Any]:
    data: dict[str, Any] = {"name": module.name}
    if not module.visible:
        data["visible"] = False
    options = []
    for option in module.options:
        entry: dict[str, Any] = {"name": option.name}
        if option.default:
            entry["default"] = True
        entry["content"] = option.content
        options.append(entry)
    data["options"] = options
    return data


def prompt_from_yaml(text: str, *, default_folder: str | None = None) -> PromptDoc:
    data = _mapping(load_yaml(text), "A prompt file")
    with _as_format_error():
        folder = _text(data, "folder") if "folder" in data else default_folder
        if folder is not None:
            folder = _storable_name(folder, "folder", "Folder name", 255)
        variables = tuple(
            _variable(v, i) for i, v in enumerate(_list(data, "variables", MAX_VARIABLES))
        )
        seen: set[str] = set()
        for spec in variables:
            if spec.name in seen:
                raise FormatError(f"The variable {spec.name!r} is defined twice.")
            seen.add(spec.name)
        modules = tuple(_module(m, i) for i, m in enumerate(_list(data, "modules", MAX_MODULES)))
        description = optional_text(
            _text(data, "description"), "description", label="Description", max_len=2000
        )
        return PromptDoc(
            name=_storable_name(_text(data, "name"), "name", "Prompt name", 255),
            folder=folder,
            description=None
            if description is None
            else storable(description, "description", "Description"),
            variables=variables,
            modules=modules,
        )


def _variable(raw: Any, index: int) -> VariableSpec:
    data = _mapping(raw, f"Variable {index + 1}")
    spec = VariableSpec(
        name=_text(data, "name") or "",
        type=_text(data, "type") or "text",
        required=_flag(data, "required", False),
        default=_scalar(data, "default"),
        choices=tuple(_string_list(data, "choices", MAX_CHOICES)),
        min=_number(data, "min"),
        max=_number(data, "max"),
        label=_text(data, "label"),
    )
    if not VARIABLE_NAME.fullmatch(spec.name):
        # Checked here as well as by check_spec, whose pattern lets a trailing newline through.
        raise FormatError(
            f"{spec.name!r} is not a usable variable name: use letters, digits and _, "
            "starting with a letter."
        )
    if spec.type not in VARIABLE_TYPES:
        raise FormatError(
            f"Variable {spec.name!r} has type {spec.type!r}; "
            f"use one of {', '.join(VARIABLE_TYPES)}."
        )
    for text in (spec.label, *spec.choices, spec.default if isinstance(spec.default, str) else ""):
        if text:
            storable(text, spec.name, spec.name)
    return check_spec(spec)


def _module(raw: Any, index: int) -> ModuleDoc:
    data = _mapping(raw, f"Module {index + 1}")
    name = _storable_name(_text(data, "name"), "name", f"Module {index + 1}'s name", 255)
    raw_options = _list(data, "options", MAX_OPTIONS)
    if not raw_options:
        raise FormatError(f"The module {name!r} needs at least one option.")
    options = []
    for i, raw_option in enumerate(raw_options):
        if isinstance(raw_option, str):  # a bare text is an option with the default name
            raw_option = {"content": raw_option}
        option = _mapping(raw_option, f"Option {i + 1} of {name!r}")
        label = _text(option, "name")
        options.append(
            OptionDoc(
                name=f"Option {i + 1}" if label is None else _option_name(label),
                content=_storable_text(
                    _text(option, "content"), "content", f"{name!r}'s option", 20000
                ),
                default=_flag(option, "default", False),
            )
        )
    defaults = sum(o.default for o in options)
    if defaults > 1:
        raise FormatError(f"The module {name!r} marks {defaults} options as default; mark one.")
    if defaults == 0:
        options[0] = OptionDoc(options[0].name, options[0].content, True)
    return ModuleDoc(name=name, visible=_flag(data, "visible", True), options=tuple(options))


def _option_name(label: str) -> str:
    text = label.strip()
    if len(text) > 255:
        raise FormatError("An option name is over 255 characters.")
    return storable(plain(text, "name", "Option name"), "name", "Option name")


# Field readers: each refuses the wrong type with a message, never with a TypeError --------


@contextmanager
def _as_format_error() -> Iterator[None]:
    """The services' ValidationErrors, as FormatErrors with the same message."""
    try:
        yield
    except ValidationError as exc:
        raise FormatError(exc.message) from exc


def _mapping(value: Any, what: str, *, empty_ok: bool = False) -> dict[str, Any]:
    if value is None and empty_ok:
        return {}
    if not isinstance(value, dict):
        raise FormatError(f"{what} must be a YAML mapping of keys to values.")
    return value


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(f"{key!r} must be text; put it in quotes.")
    return value


def _storable_text(value: str | None, field: str, label: str, max_len: int) -> str:
    return storable(clean_text(value, field, label=label, min_len=1, max_len=max_len), field, label)


def _storable_name(value: str | None, field: str, label: str, max_len: int) -> str:
    return storable(clean_name(value, field, label=label, max_len=max_len), field, label)


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise FormatError(f"{key!r} must be true or false.")
    return value


def _number(data: dict[str, Any], key: str) -> float | int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(f"{key!r} must be a number.")
    if not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:  # also refuses NaN
        raise FormatError(f"{key!r} must be a number between -1e15 and 1e15.")
    return value


def _scalar(data: dict[str, Any], key: str) -> str | int | float | bool | None:
    value = data.get(key)
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int | float):
        return _number(data, key)
    raise FormatError(f"{key!r} must be text, a number, or true or false.")


def _list(data: dict[str, Any], key: str, most: int) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"{key!r} must be a list.")
    if len(value) > most:
        raise FormatError(f"{key!r} has {len(value)} entries; at most {most} are read.")
    return value


def _string_list(data: dict[str, Any], key: str, most: int) -> list[str]:
    items = _list(data, key, most)
    if any(not isinstance(item, str) for item in items):
        raise FormatError(f"Every entry of {key!r} must be text; put numbers in quotes.")
    return items


def _tags(data: dict[str, Any]) -> list[str]:
    value = data.get("tags")
    if isinstance(value, str):  # "a, b" is a common hand-written form
        value = [t for t in value.split(",") if t.strip()]
        data = {"tags": value}
    tags = _string_list(data, "tags", MAX_TAGS)
    for tag in tags:
        storable(tag, "tags", "A tag")
    return tags
