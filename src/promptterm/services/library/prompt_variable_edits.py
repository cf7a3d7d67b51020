"""Variable edits, each applied inside one ``Edit`` (prompt_edit.py).

A variable's {{uses}} live in its prompt's option texts. Renaming a variable can rename its
uses too; deleting one that is still used is refused (the prompt would no longer render),
unless the caller says to go ahead.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.exc import IntegrityError

from promptterm.db.models import PromptVariable
from promptterm.db.models.library import VARIABLE_TYPES
from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.library.prompt_edit import Edit
from promptterm.services.library.prompt_render import (
    PLACEHOLDER_RE,
    VariableSpec,
    check_spec,
    spec_from_config,
)
from promptterm.services.library.prompt_state import PromptState
from promptterm.services.validation import choice, clean_name

CONFIG_KEYS = ("default", "required", "choices", "min", "max", "label")
LABEL_MAX, CHOICE_MAX, CHOICES_MAX = 255, 255, 100
# Keep a key as it is (``edit_variable(..., min=KEEP)`` is the default for every key).
KEEP: Any = object()


def check_config(name: str, kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """The config to store (Nones dropped), or a ValidationError naming the field."""
    choice(kind, "type", label="Variable type", options=VARIABLE_TYPES)
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        raise ValidationError(
            f"Unknown setting {', '.join(unknown)}; a variable has {', '.join(CONFIG_KEYS)}.",
            unknown[0],
        )
    kept = {k: v for k, v in config.items() if v is not None}
    if "label" in kept:
        kept["label"] = clean_name(str(kept["label"]), "label", label="Label", max_len=LABEL_MAX)
    if "choices" in kept:
        choices = [
            clean_name(str(c), "choices", label="A choice", max_len=CHOICE_MAX)
            for c in kept["choices"]
        ]
        if len(choices) > CHOICES_MAX:
            raise ValidationError(f"A variable can have at most {CHOICES_MAX} choices.", "choices")
        if len(set(choices)) != len(choices):
            raise ValidationError("The choices repeat one another; give each once.", "choices")
        kept["choices"] = choices
        if kind != "choice":
            raise ValidationError("Only a choice variable has choices.", "choices")
    for bound in ("min", "max"):
        if bound in kept:
            value = kept[bound]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValidationError(f"{bound} must be a number; got {value!r}.", bound)
            if kind in ("boolean", "choice"):
                raise ValidationError(f"A {kind} variable has no {bound}.", bound)
    check_spec(spec_from_config(name, kind, kept))
    return kept


def add_variable(edit: Edit, name: str, kind: str = "text", **config: Any) -> VariableSpec:
    stored = check_config(name, kind, config)
    if any(v.name == name for v in edit.before.variables):
        raise Conflict(f"The prompt already has a variable {name!r}.")
    edit.session.add(
        PromptVariable(
            id=edit.new_id(),
            prompt_id=edit.prompt.id,
            name=name,
            type=kind,
            config=stored,
            created_at=edit.now,
            updated_at=edit.now,
        )
    )
    try:
        edit.session.flush()
    except IntegrityError as exc:
        raise Conflict(f"The prompt already has a variable {name!r}.") from exc
    edit.changed = True
    return spec_from_config(name, kind, stored)


def edit_variable(edit: Edit, name: str, kind: str | None = None, **changes: Any) -> VariableSpec:
    """Change a variable's type and settings; a setting given as None is cleared, one not
    given (or KEEP) stays. The result must still make sense as a whole: a choice variable
    keeps its choices, a default fits the new type and bounds."""
    variable = edit.variable(name)
    new_kind = variable.type if kind is None else kind
    config = dict(variable.config or {})
    for key, value in changes.items():
        if value is KEEP:
            continue
        config[key] = value
    if kind is not None and new_kind != "choice":
        config.pop("choices", None)
    if kind is not None and new_kind in ("boolean", "choice"):
        config.pop("min", None)
        config.pop("max", None)
    stored = check_config(name, new_kind, config)
    if (new_kind, stored) != (variable.type, variable.config or {}):
        variable.type = new_kind
        variable.config = stored
        variable.updated_at = edit.now
        edit.session.add(variable)
        edit.changed = True
    return spec_from_config(name, new_kind, stored)


def uses(state: PromptState, name: str) -> list[str]:
    """The modules whose options use {{name}}, in order (each once)."""
    found = []
    for module in state.modules:
        if any(name in placeholders(o.content) for o in module.options):
            found.append(module.name)
    return found


def placeholders(text: str) -> set[str]:
    return {m.group(1) for m in PLACEHOLDER_RE.finditer(text)}


def rename_variable(edit: Edit, old: str, new: str, *, rename_uses: bool) -> int:
    """Rename a variable; with ``rename_uses`` its {{uses}} in every option too. Returns
    how many uses were renamed."""
    variable = edit.variable(old)
    if new == old:
        return 0
    check_config(new, variable.type, dict(variable.config or {}))
    if any(v.name == new for v in edit.before.variables):
        raise Conflict(f"The prompt already has a variable {new!r}; choose another name.")
    used_in = uses(edit.before, old)
    if used_in and not rename_uses:
        raise ValidationError(
            f"{{{{{old}}}}} is used in {', '.join(repr(m) for m in used_in)}: rename its uses "
            f"too (they would no longer render), or edit those texts first.",
            "name",
        )
    variable.name = new
    variable.updated_at = edit.now
    edit.session.add(variable)
    edit.changed = True
    if not used_in:
        return 0
    pattern = re.compile(r"\{\{\s*" + re.escape(old) + r"\s*\}\}")
    renamed = 0
    for module in edit.modules():
        for option in edit.options(module.id):
            text, count = pattern.subn("{{" + new + "}}", option.content)
            if count:
                option.content = text
                option.updated_at = edit.now
                edit.session.add(option)
                renamed += count
    return renamed


def delete_variable(edit: Edit, name: str, *, force: bool = False) -> None:
    variable = edit.variable(name)
    used_in = uses(edit.before, name)
    if used_in and not force:
        raise ValidationError(
            f"{{{{{name}}}}} is still used in {', '.join(repr(m) for m in used_in)}; remove "
            "those uses first (the prompt would no longer render), or delete it anyway.",
            "name",
        )
    edit.session.delete(variable)
    edit.changed = True
