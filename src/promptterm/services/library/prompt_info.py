"""A prompt as plain data (what screens and the CLI hold), built in a handful of queries, or
from the cache of what its current version says (prompt_cache.py).

Light at import (SQLAlchemy and the tables load inside the functions that read): `prompt
list|show` build the same infos on the lean path (lean_prompts.py, db/lean.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from promptterm.db.lean_rows import Order
from promptterm.services.library.prompt_cache import Content, cache_for
from promptterm.services.library.prompt_render import VariableSpec, spec_from_config

if TYPE_CHECKING:
    from sqlmodel import Session

    from promptterm.db.models import Prompt

# The orders a prompt list is sorted in (``PromptService.list``'s ``sort``), the id last so
# that two of a name always come in the same order.
PROMPT_ORDER: dict[str, Order] = {
    "name": (("name", "asc"), ("id", "asc")),
    "most_used": (("usage_count", "desc"), ("name", "asc"), ("id", "asc")),
    "recent": (("updated_at", "desc"), ("name", "asc"), ("id", "asc")),
}


@dataclass(frozen=True)
class OptionInfo:
    id: uuid.UUID
    name: str
    content: str
    is_default: bool


@dataclass(frozen=True)
class ModuleInfo:
    id: uuid.UUID
    name: str
    order_index: int
    visible: bool
    options: tuple[OptionInfo, ...]


@dataclass(frozen=True)
class PromptInfo:
    id: uuid.UUID
    name: str
    description: str | None
    folder_id: uuid.UUID | None
    modules: tuple[ModuleInfo, ...]
    variables: tuple[VariableSpec, ...]
    deleted_at: datetime | None
    updated_at: datetime
    # The number of this state: an edit passes it back as its precondition.
    version: int = 1
    category: str | None = None
    tags: tuple[str, ...] = ()
    project_id: uuid.UUID | None = None
    usage_count: int = 0
    last_used_at: datetime | None = None
    # Whose it is (someone else's when shared with me: read-only), where it is shared, and
    # what it was copied from.
    user_id: uuid.UUID | None = None
    shared_workspace_id: uuid.UUID | None = None
    copied_from_id: uuid.UUID | None = None


def content_of(session: Session, prompt: Prompt, *, keep: bool = True) -> Content:
    """What the prompt's current version says: from the cache (prompt_cache.py), else read
    and, with ``keep``, kept. ``keep=False`` in a unit of work that changed it: the caller
    keeps it once that is committed."""
    from promptterm.services.library.prompt_state import load_rows, tags_of

    cache = cache_for(session.get_bind())  # type: ignore[arg-type]
    found = cache.get(prompt.id, prompt.version)
    if found is not None:
        return found
    rows = load_rows(session, prompt.id)
    content = content_from(rows, tags_of(session, prompt.id))
    if keep:
        cache.put(prompt.id, prompt.version, content)
    return content


def content_from(rows: Any, tags: tuple[str, ...]) -> Content:
    """What screens use of a prompt's rows (prompt_state.Rows: modules, options, variables
    as column tuples, in order) and tags, read by either path."""
    return Content(
        rows,
        tags,
        tuple(
            ModuleInfo(
                module_id,
                name,
                order_index,
                visible,
                tuple(OptionInfo(*option) for option in rows.options[module_id]),
            )
            for module_id, name, order_index, visible in rows.modules
        ),
        tuple(spec_from_config(name, kind, config or {}) for name, kind, config in rows.variables),
    )


def content_after(session: Session, before: Content, module_ids: set[uuid.UUID]) -> Content:
    """What an edit that changed only ``module_ids``' options left: those options read
    again, everything else as ``before`` (a big prompt's other options are not read)."""
    from promptterm.services.library.prompt_state import Rows, load_options

    options = dict(before.rows.options)
    modules = list(before.modules)
    for index, module in enumerate(modules):
        if module.id in module_ids:
            options[module.id] = load_options(session, module.id)
            shown = tuple(OptionInfo(*option) for option in options[module.id])
            modules[index] = replace(module, options=shown)
    rows = Rows(before.rows.modules, options, before.rows.variables)
    return Content(rows, before.tags, tuple(modules), before.variables)


def prompt_info(session: Session, prompt: Prompt, *, keep: bool = True) -> PromptInfo:
    return info_from(prompt, content_of(session, prompt, keep=keep))


def info_from(prompt: Any, content: Content) -> PromptInfo:
    """A ``Prompt`` (or a record with its attributes) and what it says, as handed out."""
    return PromptInfo(
        id=prompt.id,
        name=prompt.name,
        description=prompt.description,
        folder_id=prompt.folder_id,
        modules=content.modules,
        variables=content.variables,
        deleted_at=prompt.deleted_at,
        updated_at=prompt.updated_at,
        version=prompt.version,
        category=prompt.category,
        tags=content.tags,
        project_id=prompt.project_id,
        usage_count=prompt.usage_count,
        last_used_at=prompt.last_used_at,
        user_id=prompt.user_id,
        shared_workspace_id=prompt.shared_workspace_id,
        copied_from_id=prompt.copied_from_id,
    )
