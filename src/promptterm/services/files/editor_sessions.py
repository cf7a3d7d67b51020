"""Editor sessions: the open tabs, the active file and each file's cursor and scroll, kept
per user per project so that opening the project again brings the editor back as it was.

The editor saves the whole state when it changes (debounced) and loads it on opening; tabs
whose files were deleted meanwhile are dropped on load, so a stale session never fails.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import EditorSession, File, Project
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.workspaces import require_role

MAX_TABS = 100


@dataclass(frozen=True)
class TabState:
    file_id: uuid.UUID
    cursor: tuple[int, int] = (0, 0)  # (line, column), 0-based as in Textual's TextArea
    scroll: tuple[int, int] = (0, 0)  # (x, y) scroll offset


@dataclass(frozen=True)
class EditorState:
    project_id: uuid.UUID
    tabs: tuple[TabState, ...] = ()
    active_file_id: uuid.UUID | None = None
    # Free-form view settings the editor owns (panel widths, soft wrap, history shown...).
    layout: dict[str, Any] = field(default_factory=dict)
    last_active_at: datetime | None = None

    def tab(self, file_id: uuid.UUID) -> TabState | None:
        return next((t for t in self.tabs if t.file_id == file_id), None)


class EditorSessionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def load(self, project_id: uuid.UUID) -> EditorState:
        """The user's editor state for the project (empty the first time)."""
        with self.ctx.db.session() as session:
            self._check(session, project_id)
            row = self._row(session, project_id)
            if row is None:
                return EditorState(project_id)
            live = _live_files(session, project_id)
            tabs = tuple(t for t in _parse_tabs(row.open_files) if t.file_id in live)
            active = row.active_file_id
            if active not in {t.file_id for t in tabs}:
                active = tabs[0].file_id if tabs else None
            layout = row.layout_state if isinstance(row.layout_state, dict) else {}
            return EditorState(project_id, tabs, active, dict(layout), row.last_active_at)

    def save(self, state: EditorState) -> EditorState:
        """Store ``state`` as the user's editor state for its project."""
        tabs = _dedupe(state.tabs)
        if len(tabs) > MAX_TABS:
            raise ValidationError(f"At most {MAX_TABS} tabs can be kept open.", "tabs")
        for tab in tabs:
            if min(*tab.cursor, *tab.scroll) < 0:
                raise ValidationError("Cursor and scroll positions cannot be negative.", "tabs")
        if state.active_file_id is not None and state.active_file_id not in {
            t.file_id for t in tabs
        }:
            raise ValidationError("The active file must be one of the open tabs.", "active")
        now = self.ctx.now()
        payload = [
            {"file_id": str(t.file_id), "cursor": list(t.cursor), "scroll": list(t.scroll)}
            for t in tabs
        ]
        for attempt in range(2):
            try:
                with self.ctx.db.session() as session:
                    self._check(session, state.project_id)
                    live = _live_files(session, state.project_id)
                    stray = [t.file_id for t in tabs if t.file_id not in live]
                    if stray:
                        raise ValidationError(
                            f"The file {stray[0]} is not an open file of this project.", "tabs"
                        )
                    row = self._row(session, state.project_id)
                    if row is None:
                        row = EditorSession(
                            id=self.ctx.new_id(),
                            user_id=self.ctx.user_id,
                            project_id=state.project_id,
                            created_at=now,
                        )
                    row.open_files = payload
                    row.active_file_id = state.active_file_id
                    row.layout_state = dict(state.layout)
                    row.last_active_at = now
                    session.add(row)
                    session.flush()
                break
            except IntegrityError:
                # Another window of the same user created the row first: update that one.
                if attempt:
                    raise
        return EditorState(state.project_id, tabs, state.active_file_id, dict(state.layout), now)

    def clear(self, project_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            self._check(session, project_id)
            row = self._row(session, project_id)
            if row is not None:
                session.delete(row)

    def _check(self, session: Session, project_id: uuid.UUID) -> None:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        require_role(session, project.workspace_id, self.ctx.user_id, "viewer", "open it")

    def _row(self, session: Session, project_id: uuid.UUID) -> EditorSession | None:
        return session.exec(
            select(EditorSession).where(
                EditorSession.user_id == self.ctx.user_id,
                EditorSession.project_id == project_id,
            )
        ).first()


def _live_files(session: Session, project_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        session.exec(
            select(File.id).where(
                File.project_id == project_id,
                File.type == "file",
                col(File.is_deleted).is_(False),
            )
        ).all()
    )


def _parse_tabs(raw: Any) -> list[TabState]:
    """Tabs from the stored JSON; entries that do not parse are skipped, not fatal."""
    tabs: list[TabState] = []
    for item in raw if isinstance(raw, list) else []:
        try:
            cursor = tuple(int(v) for v in item.get("cursor", (0, 0)))[:2]
            scroll = tuple(int(v) for v in item.get("scroll", (0, 0)))[:2]
            tabs.append(
                TabState(
                    uuid.UUID(str(item["file_id"])),
                    (cursor[0], cursor[1]) if len(cursor) == 2 else (0, 0),
                    (scroll[0], scroll[1]) if len(scroll) == 2 else (0, 0),
                )
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    return _dedupe(tabs)


def _dedupe(tabs: Any) -> tuple[TabState, ...]:
    seen: set[uuid.UUID] = set()
    out = []
    for tab in tabs:
        if tab.file_id not in seen:
            seen.add(tab.file_id)
            out.append(tab)
    return tuple(out)
