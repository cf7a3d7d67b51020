"""Plain data the file services hand out, and the path rules every file follows."""

from __future__ import annotations

import posixpath
import uuid
from dataclasses import dataclass
from datetime import datetime

from promptterm.db.models import File, FileVersion
from promptterm.services.errors import ServiceError, ValidationError
from promptterm.services.validation import plain


@dataclass(frozen=True)
class FileInfo:
    id: uuid.UUID
    project_id: uuid.UUID
    path: str
    name: str
    type: str  # "file" | "folder"
    size_bytes: int
    language: str | None
    head_version: int
    is_deleted: bool
    updated_at: datetime
    # "text", or "binary" / "too_large" / "undecodable": then promptterm keeps no content
    # and the editor shows a notice instead.
    content_state: str = "text"
    # Why the newest version has not reached the bound directory, if it has not.
    sync_error: str | None = None

    @property
    def is_folder(self) -> bool:
        return self.type == "folder"

    @property
    def has_text(self) -> bool:
        return self.type == "file" and self.content_state == "text"


@dataclass(frozen=True)
class VersionInfo:
    file_id: uuid.UUID
    number: int
    size_bytes: int
    sha256: str
    author: str | None
    message: str | None
    created_at: datetime
    # Set by a save in a bound project when the version is stored but the disk could not
    # be written (disk full, permission denied...): say so to the user.
    disk_error: str | None = None


@dataclass(frozen=True)
class FileContent:
    file: FileInfo
    version: int
    text: str


class ContentUnavailable(ServiceError):
    """The file is binary, too large or not UTF-8: promptterm records it but keeps no text."""

    kind = "not loaded"


class DiskError(ServiceError):
    """The bound directory refused a move, delete or folder creation; nothing changed."""

    kind = "disk"


def check_path(path: str) -> str:
    """A project-relative POSIX path with no '..' and no leading slash."""
    raw = (path or "").strip().replace("\\", "/")
    if not raw:
        raise ValidationError("A file needs a path, such as src/main.py.", "path")
    if raw.startswith("/"):
        raise ValidationError("Give the path relative to the project, without a leading /.", "path")
    norm = posixpath.normpath(raw)
    # After normpath a '..' can only lead the path; a name such as '..hidden' is fine.
    if norm == "." or norm.split("/")[0] == "..":
        raise ValidationError(f"The path {path!r} leaves the project; remove the '..'.", "path")
    if len(norm) > 1024:
        raise ValidationError("The path is over 1024 characters.", "path")
    if any(len(part) > 255 for part in norm.split("/")):
        raise ValidationError("A file or folder name is over 255 characters.", "path")
    return norm


def check_new_path(path: str) -> str:
    """``check_path`` for a path we are about to give a file or folder: no control
    characters either (files found on disk keep the names they have)."""
    return plain(check_path(path), "path", "The path")


def parent_of(path: str) -> str:
    """The folder part of a path ("" at the top of the project)."""
    return posixpath.dirname(path)


def file_info(f: File) -> FileInfo:
    return FileInfo(
        id=f.id,
        project_id=f.project_id,
        path=f.path,
        name=f.name,
        type=f.type,
        size_bytes=f.size_bytes,
        language=f.language,
        head_version=f.head_version,
        is_deleted=f.is_deleted,
        updated_at=f.updated_at,
        content_state=f.content_state,
        sync_error=f.sync_error,
    )


def version_info(v: FileVersion, author: str | None, disk_error: str | None = None) -> VersionInfo:
    return VersionInfo(
        file_id=v.file_id,
        number=v.version_number,
        size_bytes=v.size_bytes,
        sha256=v.sha256,
        author=author,
        message=v.change_message,
        created_at=v.created_at,
        disk_error=disk_error,
    )


def unavailable(f: File) -> ContentUnavailable:
    reasons = {
        "binary": "is a binary file",
        "too_large": "is over the size limit for files promptterm loads",
        "undecodable": "is not valid UTF-8 text",
    }
    reason = reasons.get(f.content_state, "has no text")
    return ContentUnavailable(
        f"{f.path} {reason}; promptterm keeps it as it is on disk and does not load it. "
        "Open it in another program."
    )
