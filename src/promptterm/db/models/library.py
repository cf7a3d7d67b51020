"""Components and presets (seed 003), modular prompts (seed 000, seed 004 prompt_templates)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field, ts_field
from promptterm.db.types import JSONType
from promptterm.db.vocab import COMPONENT_TYPES, PROMPT_ACTIONS, VARIABLE_TYPES

__all__ = ["COMPONENT_TYPES", "PROMPT_ACTIONS", "VARIABLE_TYPES"]


class Component(SQLModel, table=True):
    __tablename__ = "components"
    __table_args__ = (
        # Names are unique per user and type, so scripts and imports can address them by name.
        UniqueConstraint("user_id", "type", "name"),
        # Most-used-first pages, per type and across types, without a sort step.
        Index("ix_components_user_type_used", "user_id", "type", text("usage_count DESC"), "name"),
        Index("ix_components_user_used", "user_id", text("usage_count DESC"), "name"),
        Index(None, "user_id", "name"),
        CheckConstraint(f"type IN {COMPONENT_TYPES}", name="type"),
        CheckConstraint("usage_count >= 0", name="usage_count_positive"),
        CheckConstraint("length(name) BETWEEN 1 AND 100", name="name_length"),
        CheckConstraint("length(content) BETWEEN 1 AND 5000", name="content_length"),
        CheckConstraint(
            "description IS NULL OR length(description) <= 500", name="description_length"
        ),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    type: str = Field(max_length=16)
    name: str = Field(max_length=100)
    content: str
    description: str | None = None
    tags: list[str] = json_field([])
    usage_count: int = Field(default=0)
    last_used_at: datetime | None = ts_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Preset(SQLModel, table=True):
    __tablename__ = "presets"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        Index(None, "user_id", "usage_count"),
        Index(None, "user_id", "last_used_at"),
        CheckConstraint("usage_count >= 0", name="usage_count_positive"),
        CheckConstraint("length(name) BETWEEN 1 AND 100", name="name_length"),
        CheckConstraint(
            "description IS NULL OR length(description) <= 500", name="description_length"
        ),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    name: str = Field(max_length=100)
    description: str | None = None
    # All four optional; deleting a component leaves the preset "incomplete", not deleted.
    role_id: uuid.UUID | None = fk("components.id", "SET NULL", nullable=True, index=True)
    style_id: uuid.UUID | None = fk("components.id", "SET NULL", nullable=True, index=True)
    context_id: uuid.UUID | None = fk("components.id", "SET NULL", nullable=True, index=True)
    mode_id: uuid.UUID | None = fk("components.id", "SET NULL", nullable=True, index=True)
    # The slots the user filled. A slot listed here whose id went NULL lost its component
    # to a delete: that is what makes a preset "incomplete" rather than merely partial.
    declared_slots: list[str] = json_field([])
    # Tool sources a thread started with this preset offers ("server", "server:tool").
    tools: list[str] | None = Field(default=None, sa_type=JSONType, nullable=True)
    usage_count: int = Field(default=0)
    last_used_at: datetime | None = ts_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class PromptFolder(SQLModel, table=True):
    __tablename__ = "prompt_folders"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    name: str = Field(max_length=255)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    deleted_at: datetime | None = ts_field()


class Prompt(SQLModel, table=True):
    __tablename__ = "prompts"
    __table_args__ = (
        Index(None, "user_id", "deleted_at"),
        Index(None, "folder_id"),
        Index(None, "project_id"),
        Index(None, "user_id", "category"),
        Index(None, "shared_workspace_id"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("usage_count >= 0", name="usage_count_positive"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    folder_id: uuid.UUID | None = fk("prompt_folders.id", "SET NULL", nullable=True)
    # A project prompt (seed 004 product_prompts) shows under its project; when the project
    # goes, the prompt stays in the library.
    project_id: uuid.UUID | None = fk("projects.id", "SET NULL", nullable=True)
    # Shared with one workspace (seed 004 is_public, in a team): its members read and copy
    # it, only its owner changes it. When the workspace goes, the prompt is private again.
    shared_workspace_id: uuid.UUID | None = fk("workspaces.id", "SET NULL", nullable=True)
    # The prompt this one was copied from, while it exists.
    copied_from_id: uuid.UUID | None = fk("prompts.id", "SET NULL", nullable=True)
    name: str = Field(max_length=255)
    description: str | None = None
    category: str | None = Field(default=None, max_length=50)
    # The number of the current state; every edit keeps the state it replaces under this
    # number in prompt_versions and counts up. Edits name the number they started from.
    version: int = Field(default=1)
    usage_count: int = Field(default=0)
    last_used_at: datetime | None = ts_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    deleted_at: datetime | None = ts_field()


class PromptModule(SQLModel, table=True):
    __tablename__ = "prompt_modules"
    __table_args__ = (Index(None, "prompt_id", "order_index"),)

    id: uuid.UUID = id_field()
    prompt_id: uuid.UUID = fk("prompts.id", "CASCADE")
    name: str = Field(max_length=255)
    order_index: int
    visible: bool = Field(default=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class ModuleOption(SQLModel, table=True):
    __tablename__ = "module_options"
    __table_args__ = (
        Index(None, "module_id"),
        # At most one default option per module, enforced by the database itself.
        Index(
            "uq_module_options_one_default",
            "module_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    id: uuid.UUID = id_field()
    module_id: uuid.UUID = fk("prompt_modules.id", "CASCADE")
    name: str = Field(default="", max_length=255)
    content: str
    is_default: bool = Field(default=False)
    meta: dict[str, Any] = json_field({})
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class PromptVariable(SQLModel, table=True):
    __tablename__ = "prompt_variables"
    __table_args__ = (
        UniqueConstraint("prompt_id", "name"),
        CheckConstraint(f"type IN {VARIABLE_TYPES}", name="type"),
    )

    id: uuid.UUID = id_field()
    prompt_id: uuid.UUID = fk("prompts.id", "CASCADE")
    name: str = Field(max_length=255)
    type: str = Field(default="text", max_length=16)
    # {default, required, choices, min, max, label}
    config: dict[str, Any] = json_field({})
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class ComponentVersion(SQLModel, table=True):
    """A component's earlier state, kept on every edit so it can be diffed and restored."""

    __tablename__ = "component_versions"
    __table_args__ = (
        UniqueConstraint("component_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: uuid.UUID = id_field()
    component_id: uuid.UUID = fk("components.id", "CASCADE")
    # Denormalised from the component so row-level security can key on it directly.
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    version: int
    name: str = Field(max_length=100)
    content: str
    description: str | None = None
    tags: list[str] = json_field([])
    created_at: datetime = created_field()


class PromptVersion(SQLModel, table=True):
    """A prompt's earlier state (modules, options and variables together), kept on every edit
    as one JSON snapshot so it can be diffed and restored."""

    __tablename__ = "prompt_versions"
    __table_args__ = (
        UniqueConstraint("prompt_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: uuid.UUID = id_field()
    prompt_id: uuid.UUID = fk("prompts.id", "CASCADE")
    # Denormalised from the prompt so row-level security can key on it directly.
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    version: int
    snapshot: dict[str, Any] = json_field({})
    created_at: datetime = created_field()


class PromptTag(SQLModel, table=True):
    """A prompt's tags (seed 001 ``tags``), one row each so filters are an index lookup."""

    __tablename__ = "prompt_tags"
    __table_args__ = (Index(None, "user_id", "tag"),)

    prompt_id: uuid.UUID = Field(foreign_key="prompts.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(max_length=50, primary_key=True)
    user_id: uuid.UUID = fk("users.id", "CASCADE")


class PromptUse(SQLModel, table=True):
    """One render, copy or send of a prompt (seed 000 ``usage_tracking``), with the options
    and variable values chosen. The record outlives the prompt (SET NULL)."""

    __tablename__ = "prompt_usage"
    __table_args__ = (
        Index(None, "prompt_id", "created_at"),
        CheckConstraint(f"action IN {PROMPT_ACTIONS}", name="action"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    prompt_id: uuid.UUID | None = fk("prompts.id", "SET NULL", nullable=True)
    action: str = Field(max_length=16)
    # {"options": {module name: option name}, "values": {variable: value}}
    meta: dict[str, Any] = json_field({})
    created_at: datetime = created_field()
