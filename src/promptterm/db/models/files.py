"""Project files, their numbered versions and editor sessions (seed 002 IDE module)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field

FILE_TYPES = ("file", "folder")
VERSION_ENCODINGS = ("zlib", "delta")


class File(SQLModel, table=True):
    __tablename__ = "files"
    __table_args__ = (
        UniqueConstraint("project_id", "path"),
        CheckConstraint(f"type IN {FILE_TYPES}", name="type"),
        Index(None, "parent_id"),
    )

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    path: str
    name: str = Field(max_length=255)
    type: str = Field(default="file", max_length=8)
    size_bytes: int = Field(default=0)
    mime_type: str | None = None
    language: str | None = Field(default=None, max_length=50)
    parent_id: uuid.UUID | None = fk("files.id", "CASCADE", nullable=True)
    # Number of the newest version; a save names the version it started from and is refused
    # if this moved meanwhile, so two editors never silently overwrite each other.
    head_version: int = Field(default=0)
    is_deleted: bool = Field(default=False)
    created_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    updated_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class FileVersion(SQLModel, table=True):
    __tablename__ = "file_versions"
    __table_args__ = (
        UniqueConstraint("file_id", "version_number"),
        CheckConstraint(f"encoding IN {VERSION_ENCODINGS}", name="encoding"),
        CheckConstraint("version_number >= 1", name="version_number_positive"),
    )

    id: uuid.UUID = id_field()
    file_id: uuid.UUID = fk("files.id", "CASCADE")
    version_number: int
    # Content is stored compressed ("zlib") or as a compressed delta against an earlier
    # version ("delta"); the services hide this, callers always get text back.
    encoding: str = Field(default="zlib", max_length=8)
    payload: bytes = Field(sa_type=LargeBinary, nullable=False)
    base_version: int | None = None
    size_bytes: int = Field(default=0)
    sha256: str = Field(max_length=64)
    changed_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    change_message: str | None = None
    created_at: datetime = created_field()


class EditorSession(SQLModel, table=True):
    __tablename__ = "editor_sessions"
    __table_args__ = (UniqueConstraint("user_id", "project_id"), Index(None, "project_id"))

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    open_files: list[Any] = json_field([])
    active_file_id: uuid.UUID | None = fk("files.id", "SET NULL", nullable=True)
    layout_state: dict[str, Any] = json_field({})
    last_active_at: datetime = created_field()
    created_at: datetime = created_field()
