"""Users, workspaces, their members and projects (seed 002 core, seed 004 products)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field, ts_field
from promptterm.db.vocab import PROJECT_VISIBILITIES, WORKSPACE_ROLES

__all__ = ["PROJECT_VISIBILITIES", "WORKSPACE_ROLES"]


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: uuid.UUID = id_field()
    email: str | None = Field(default=None, unique=True, max_length=320)
    display_name: str = Field(max_length=100)
    avatar_url: str | None = None
    # Team mode on PostgreSQL: the database role this person logs in as.
    db_role: str | None = Field(default=None, unique=True, max_length=63)
    is_local: bool = Field(default=False)
    preferences: dict[str, Any] = json_field({})
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Workspace(SQLModel, table=True):
    __tablename__ = "workspaces"
    __table_args__ = (Index(None, "owner_id"),)

    id: uuid.UUID = id_field()
    name: str = Field(max_length=100)
    slug: str = Field(unique=True, max_length=64)
    description: str | None = None
    owner_id: uuid.UUID = fk("users.id", "CASCADE")
    settings: dict[str, Any] = json_field({})
    is_active: bool = Field(default=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class WorkspaceMember(SQLModel, table=True):
    __tablename__ = "workspace_members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id"),
        CheckConstraint(f"role IN {WORKSPACE_ROLES}", name="role"),
        Index(None, "user_id"),
    )

    id: uuid.UUID = id_field()
    workspace_id: uuid.UUID = fk("workspaces.id", "CASCADE", index=True)
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    role: str = Field(max_length=16)
    invited_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    joined_at: datetime = created_field()


class Project(SQLModel, table=True):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slug"),
        UniqueConstraint("workspace_id", "name"),
        CheckConstraint(f"visibility IN {PROJECT_VISIBILITIES}", name="visibility"),
        Index(None, "workspace_id", "last_accessed_at"),
        Index(None, "last_accessed_at"),
    )

    id: uuid.UUID = id_field()
    workspace_id: uuid.UUID = fk("workspaces.id", "CASCADE")
    name: str = Field(max_length=100)
    slug: str = Field(max_length=64)
    description: str | None = None
    repository_url: str | None = None
    language: str | None = Field(default=None, max_length=50)
    framework: str | None = Field(default=None, max_length=50)
    visibility: str = Field(default="private", max_length=16)
    # A project bound to a directory on disk keeps its files in sync with it.
    root_path: str | None = None
    settings: dict[str, Any] = json_field({})
    last_accessed_at: datetime | None = ts_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
