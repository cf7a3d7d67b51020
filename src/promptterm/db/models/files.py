"""Project files, their numbered versions and editor sessions (seed 002 IDE module)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field

FILE_TYPES = ("file", "folder")
VERSION_ENCODINGS = ("zlib", "delta")
# What promptterm holds of a file: its text ("text"), or only a note that it is binary, over
# the size cap, or not UTF-8 (then it keeps no content and never writes the file).
CONTENT_STATES = ("text", "binary", "too_large", "undecodable")
# Sizes on disk can pass 2 GiB; SQLite's INTEGER is 64-bit already.
BIG_INT = BigInteger().with_variant(Integer(), "sqlite")


class File(SQLModel, table=True):
    __tablename__ = "files"
    __table_args__ = (
        UniqueConstraint("project_id", "path"),
        CheckConstraint(f"type IN {FILE_TYPES}", name="type"),
        CheckConstraint(f"content_state IN {CONTENT_STATES}", name="content_state"),
        Index(None, "parent_id"),
    )

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    path: str
    name: str = Field(max_length=255)
    type: str = Field(default="file", max_length=8)
    size_bytes: int = Field(default=0, sa_type=BIG_INT)
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
    content_state: str = Field(default="text", max_length=16)
    # The disk as promptterm last saw or wrote it (projects bound to a directory): a change
    # on disk is one whose bytes differ from disk_sha256; NULL means never on disk, so a
    # file missing there is to be written, not one deleted there.
    disk_sha256: str | None = Field(default=None, max_length=64)
    disk_size_bytes: int | None = Field(default=None, sa_type=BIG_INT)
    disk_mtime_ns: int | None = Field(default=None, sa_type=BIG_INT)
    # Why the newest version is not on disk yet (disk full, permission denied...).
    sync_error: str | None = None


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
    # A save in a bound folder: the SHA-256 of the bytes it is to write there, stored in the
    # same commit, so a write that never landed is found on the next open (0013).
    disk_sha256: str | None = Field(default=None, max_length=64)
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
