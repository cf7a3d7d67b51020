"""Module and option edits, each applied inside one ``Edit`` (prompt_edit.py).

Module positions stay 0..n-1 with no gaps: every add, move and delete renumbers under the
prompt's lock. A module always has an option and exactly one default: the database's unique
index keeps it to one, and these verbs keep it to at least one.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from promptterm.db.models import ModuleOption, PromptModule
from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.library.prompt_edit import Edit
from promptterm.services.validation import clean_name, clean_text

MODULE_NAME_MAX, OPTION_NAME_MAX, OPTION_MAX = 255, 255, 20000


def check_module_name(name: str) -> str:
    return clean_name(name, "name", label="Module name", min_len=1, max_len=MODULE_NAME_MAX)


def check_option_name(name: str) -> str:
    return clean_name(name, "name", label="Option name", min_len=1, max_len=OPTION_NAME_MAX)


def check_option(text: str) -> str:
    content = clean_text(
        (text or "").replace("\r\n", "\n"), "content", label="Option", min_len=1, max_len=OPTION_MAX
    )
    if "\x00" in content:
        raise ValidationError("Option contains a NUL character; remove it.", "content")
    return content


def add_module(
    edit: Edit, name: str, options: list[str], position: int | None = None
) -> PromptModule:
    """A module whose first option is the default, at ``position`` (0-based; None: last)."""
    if not options:
        raise ValidationError("A module needs at least one option text.", "options")
    name = check_module_name(name)
    texts = [check_option(text) for text in options]
    modules = edit.modules()
    where = len(modules) if position is None else _position(position, len(modules) + 1)
    module = PromptModule(
        id=edit.new_id(),
        prompt_id=edit.prompt.id,
        name=name,
        order_index=len(modules),
        created_at=edit.now,
        updated_at=edit.now,
    )
    edit.session.add(module)
    edit.session.flush()
    for i, text in enumerate(texts):
        edit.session.add(
            ModuleOption(
                id=edit.new_id(),
                module_id=module.id,
                name=f"Option {i + 1}",
                content=text,
                is_default=i == 0,
                # Options made together share created_at; this keeps their order.
                meta={"position": i},
                created_at=edit.now,
                updated_at=edit.now,
            )
        )
    modules.insert(where, module)
    edit.renumber(modules)
    edit.changed = True
    return module


def rename_module(edit: Edit, module_id: uuid.UUID, name: str) -> None:
    module = edit.module(module_id)
    name = check_module_name(name)
    if module.name != name:
        module.name = name
        _touch(edit, module)


def set_visible(edit: Edit, module_id: uuid.UUID, visible: bool) -> None:
    module = edit.module(module_id)
    if module.visible != visible:
        module.visible = visible
        _touch(edit, module)


def move_module(edit: Edit, module_id: uuid.UUID, position: int) -> None:
    """Put the module at ``position`` (0-based) and close the gap it leaves."""
    modules = edit.modules()
    module = edit.module(module_id)
    where = _position(position, len(modules))
    modules = [m for m in modules if m.id != module.id]
    modules.insert(where, module)
    edit.renumber(modules)


def reorder_modules(edit: Edit, module_ids: list[uuid.UUID]) -> None:
    modules = {m.id: m for m in edit.modules()}
    if set(module_ids) != set(modules) or len(module_ids) != len(modules):
        raise ValidationError("Give every module of the prompt exactly once.", "modules")
    edit.renumber([modules[m] for m in module_ids])


def delete_module(edit: Edit, module_id: uuid.UUID) -> str:
    module = edit.module(module_id)
    name = module.name
    edit.session.delete(module)
    edit.session.flush()
    edit.renumber([m for m in edit.modules() if m.id != module_id])
    edit.changed = True
    return name


def add_option(
    edit: Edit,
    module_id: uuid.UUID,
    content: str,
    *,
    name: str | None = None,
    make_default: bool = False,
) -> ModuleOption:
    module = edit.module(module_id)
    edit.options_only(module.id)
    text = check_option(content)
    existing = edit.options(module.id)
    label = check_option_name(name) if name else _free_name(existing)
    if any(o.name == label for o in existing):
        raise Conflict(f"The module {module.name!r} already has an option named {label!r}.")
    last = max((int((o.meta or {}).get("position", 0)) for o in existing), default=-1)
    option = ModuleOption(
        id=edit.new_id(),
        module_id=module.id,
        name=label,
        content=text,
        is_default=not existing,
        meta={"position": last + 1},
        # Not before any existing option, whatever the clock says: options list by creation.
        created_at=max([edit.now, *(o.created_at for o in existing)]),
        updated_at=edit.now,
    )
    edit.session.add(option)
    edit.changed = True
    if make_default and existing:
        edit.session.flush()
        set_default(edit, option.id)
    return option


def edit_option(
    edit: Edit, option_id: uuid.UUID, *, content: str | None = None, name: str | None = None
) -> None:
    module, option = edit.option(option_id)
    edit.options_only(module.id)
    if name is not None:
        label = check_option_name(name)
        if label != option.name and any(o.name == label for o in edit.options(module.id)):
            raise Conflict(f"The module {module.name!r} already has an option named {label!r}.")
        if label != option.name:
            option.name = label
            _touch(edit, option)
    if content is not None:
        text = check_option(content)
        if text != option.content:
            option.content = text
            _touch(edit, option)


def delete_option(edit: Edit, option_id: uuid.UUID) -> str | None:
    """Delete an option; returns the name of the option that became the default in its
    place (None when the default did not move)."""
    module, option = edit.option(option_id)
    edit.options_only(module.id)
    options = edit.options(module.id)
    if len(options) == 1:
        raise ValidationError(
            f"{option.name!r} is the only option of {module.name!r}; a module needs one. "
            "Delete the module instead, or add another option first.",
            "option",
        )
    was_default = option.is_default
    edit.session.delete(option)
    edit.session.flush()
    edit.changed = True
    if not was_default:
        return None
    heir = next(o for o in options if o.id != option_id)
    heir.is_default = True
    _touch(edit, heir)
    return heir.name


def set_default(edit: Edit, option_id: uuid.UUID) -> None:
    """One default per module: the old one is cleared first, in its own statement, since
    the database's unique index would refuse two at once."""
    module, option = edit.option(option_id)
    edit.options_only(module.id)
    if option.is_default:
        return
    for other in edit.options(module.id):
        if other.is_default:
            other.is_default = False
            _touch(edit, other)
    edit.session.flush()
    option.is_default = True
    _touch(edit, option)
    try:
        edit.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"The module {module.name!r} already has a default option (a module has exactly "
            "one); it changed at the same moment. Reload the prompt and try again."
        ) from exc


def _touch(edit: Edit, row: PromptModule | ModuleOption) -> None:
    row.updated_at = edit.now
    edit.session.add(row)
    edit.changed = True


def _position(position: int, count: int) -> int:
    if not 0 <= position < max(count, 1):
        raise ValidationError(
            f"Position {position + 1} is out of range: give a number from 1 to {max(count, 1)}.",
            "position",
        )
    return position


def _free_name(options: list[ModuleOption]) -> str:
    taken = {o.name for o in options}
    n = len(options) + 1
    while f"Option {n}" in taken:
        n += 1
    return f"Option {n}"
