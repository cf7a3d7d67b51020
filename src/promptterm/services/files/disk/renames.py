"""Renames on disk, recognised by content, so a moved file keeps its row and history.

A file that vanished from one path while a file with the same bytes appeared at another is
the same file, moved. Usually both halves arrive in one watcher batch; when a burst splits
them, the first half has already sent the row to the trash, so a new file also matches a
text file deleted on disk within the last RECENT_DELETE_S seconds.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from sqlmodel import col, select

from promptterm.db.models import File
from promptterm.services.context import ServiceContext
from promptterm.services.files import tree as file_tree
from promptterm.services.files import version_store
from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk.events import FileRenamed

RECENT_DELETE_S = 60


def detect(
    ctx: ServiceContext,
    project_id: uuid.UUID,
    root: Path,
    missing: list[File],
    new: list[str],
    max_bytes: int,
) -> list[FileRenamed]:
    """Move the rows of renamed files; the events, one per moved file."""
    if not new:
        return []
    events: list[FileRenamed] = []
    by_sha: dict[str, list[File]] = {}
    for row in missing:
        if row.disk_sha256:
            by_sha.setdefault(row.disk_sha256, []).append(row)
    unmatched = []
    for rel, sha in _hashes(root, new, max_bytes):
        row = _pick(by_sha.get(sha), rel)
        event = _move(ctx, project_id, root, row.id, rel, revive=False) if row else None
        if event is not None:
            events.append(event)
        else:
            unmatched.append((rel, sha))
    if unmatched:
        recent = _recently_deleted(ctx, project_id)
        for rel, sha in unmatched:
            row = _pick(recent.get(sha), rel)
            event = _move(ctx, project_id, root, row.id, rel, revive=True) if row else None
            if event is not None:
                events.append(event)
    return events


def _hashes(root: Path, paths: list[str], max_bytes: int) -> Iterator[tuple[str, str]]:
    for rel in paths:
        try:
            if os.stat(root / rel).st_size > max_bytes:
                continue
            yield rel, disk_io.sha256((root / rel).read_bytes())
        except OSError:
            continue


def _pick(candidates: list[File] | None, rel: str) -> File | None:
    """The best match for ``rel`` (same name first), taken out of ``candidates``."""
    if not candidates:
        return None
    name = rel.rsplit("/", 1)[-1]
    row = next((r for r in candidates if r.name == name), candidates[0])
    candidates.remove(row)
    return row


def _recently_deleted(ctx: ServiceContext, project_id: uuid.UUID) -> dict[str, list[File]]:
    cutoff = ctx.now() - timedelta(seconds=RECENT_DELETE_S)
    with ctx.db.session() as session:
        rows = session.exec(
            select(File).where(
                File.project_id == project_id,
                col(File.is_deleted).is_(True),
                File.type == "file",
                File.content_state == "text",
                col(File.updated_at) >= cutoff,
            )
        ).all()
        by_sha: dict[str, list[File]] = {}
        for row in rows:
            sha = version_store.head_sha(session, row)
            if sha:
                by_sha.setdefault(sha, []).append(row)
        return by_sha


def _move(
    ctx: ServiceContext,
    project_id: uuid.UUID,
    root: Path,
    file_id: uuid.UUID,
    target: str,
    *,
    revive: bool,
) -> FileRenamed | None:
    with ctx.db.session() as session:
        row = session.get(File, file_id)
        if row is None or file_tree.find(session, project_id, target) is not None:
            return None  # something holds the path already: plain sync handles it
        now = ctx.now()
        if revive:
            file_tree.set_deleted(session, ctx, row, False, now)
        old = row.path
        file_tree.move(session, ctx, row, target, now)
        try:
            st = os.stat(root / target)
        except OSError:
            st = None
        if st is not None:
            row.disk_size_bytes, row.disk_mtime_ns = st.st_size, st.st_mtime_ns
            if revive:
                row.disk_sha256 = version_store.head_sha(session, row)
        session.add(row)
        return FileRenamed(path=target, file_id=file_id, old_path=old)
