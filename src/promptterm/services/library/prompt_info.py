"""A prompt as plain data (what screens and the CLI hold), built in a handful of queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from promptterm.db.models import Prompt
from promptterm.services.library.prompt_render import VariableSpec, spec_from_config
from promptterm.services.library.prompt_state import load_rows, tags_of


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


def prompt_info(session: Session, prompt: Prompt) -> PromptInfo:
    rows = load_rows(session, prompt.id)
    return PromptInfo(
        id=prompt.id,
        name=prompt.name,
        description=prompt.description,
        folder_id=prompt.folder_id,
        modules=tuple(
            ModuleInfo(
                module_id,
                name,
                order_index,
                visible,
                tuple(OptionInfo(*option) for option in rows.options[module_id]),
            )
            for module_id, name, order_index, visible in rows.modules
        ),
        variables=tuple(
            spec_from_config(name, kind, config or {}) for name, kind, config in rows.variables
        ),
        deleted_at=prompt.deleted_at,
        updated_at=prompt.updated_at,
        version=prompt.version,
        category=prompt.category,
        tags=tags_of(session, prompt.id),
        project_id=prompt.project_id,
        usage_count=prompt.usage_count,
        last_used_at=prompt.last_used_at,
        user_id=prompt.user_id,
        shared_workspace_id=prompt.shared_workspace_id,
        copied_from_id=prompt.copied_from_id,
    )
