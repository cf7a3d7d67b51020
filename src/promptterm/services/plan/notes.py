"""Notes (seed 004): Markdown pages, personal (no project: only the author sees them) or a
project's (its workspace reads, members write). Every save is a version; a save made from an
older version than the one stored is refused, so two people never overwrite each other."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from promptterm.db.models import PlanNote, Project, WorkspaceMember
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, StaleEdit
from promptterm.services.plan import doc_access, doc_rules
from promptterm.services.plan.doc_models import DocVersion, Note
from promptterm.services.validation import escape_like

if TYPE_CHECKING:
    from promptterm.services.plan.note_search import NoteHit

_GONE = "That note no longer exists: someone may have deleted it a moment ago."


class NoteService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, project_id: uuid.UUID | None = None) -> list[Note]:
        """The project's notes, or with no project the user's personal ones; newest first."""
        with self.ctx.db.session() as session:
            editable = True
            query = select(PlanNote).order_by(col(PlanNote.updated_at).desc())
            if project_id is None:
                query = query.where(
                    col(PlanNote.project_id).is_(None), col(PlanNote.user_id) == self.ctx.user_id
                )
            else:
                role = doc_access.project_role(
                    session, self.ctx.user_id, project_id, "viewer", "read its notes"
                )
                editable = doc_access.can_edit(role)
                query = query.where(col(PlanNote.project_id) == project_id)
            return [_note(n, editable) for n in session.exec(query).all()]

    def get(self, note_id: uuid.UUID) -> Note:
        with self.ctx.db.session() as session:
            note, editable = self._open(session, note_id, "viewer")
            return _note(note, editable)

    def find(self, ref: str, project_id: uuid.UUID | None = None) -> Note:
        """A note by its id, the end of its id (4+ characters) or its exact title."""
        ref = ref.strip()
        notes = self.list(project_id)
        hexed = ref.lower().replace("-", "")
        matches = [n for n in notes if n.id.hex == hexed]
        if not matches and len(hexed) >= 4:
            matches = [n for n in notes if n.id.hex.endswith(hexed)]
        if not matches:
            matches = [n for n in notes if n.title == ref]
        where = "this project's notes" if project_id else "your personal notes"
        if not matches:
            raise NotFound(f"No note {ref!r} among {where}.")
        if len(matches) > 1:
            ids = ", ".join(n.short_id for n in matches[:5])
            raise Conflict(f"{ref!r} names {len(matches)} notes ({ids}); give its id.")
        return matches[0]

    def add(self, title: str, content: str = "", project_id: uuid.UUID | None = None) -> Note:
        clean_title = doc_rules.title(title)
        body = doc_rules.long_text(content, "content", "The note", doc_rules.LIMITS["content"])
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            if project_id is not None:
                doc_access.project_role(
                    session, self.ctx.user_id, project_id, "member", "write its notes"
                )
            note = PlanNote(
                user_id=self.ctx.user_id,
                project_id=project_id,
                title=clean_title,
                content=body,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(note)
            session.flush()
            doc_access.record(
                session, number=1, title=clean_title, body=body, user_id=self.ctx.user_id,
                note_id=note.id,
            )  # fmt: skip
            return _note(note, True)

    def save(self, note_id: uuid.UUID, title: str, content: str, *, seen_version: int) -> Note:
        """A new version, if the stored one is still ``seen_version`` (what the editor
        opened); otherwise StaleEdit, and the caller keeps what the user typed."""
        clean_title = doc_rules.title(title)
        body = doc_rules.long_text(content, "content", "The note", doc_rules.LIMITS["content"])
        with self.ctx.db.session() as session:
            note, _ = self._open(session, note_id, "member")
            if note.title == clean_title and note.content == body:
                return _note(note, True)  # nothing changed: no empty version
            moved = session.execute(
                update(PlanNote)
                .where(col(PlanNote.id) == note_id, col(PlanNote.version) == seen_version)
                .values(
                    version=seen_version + 1,
                    title=clean_title,
                    content=body,
                    updated_at=self.ctx.now(),
                )
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleEdit(
                    f"Note {note.title!r}",
                    (f"version {seen_version} → {note.version}",),
                    "Copy your text, reopen the note, and apply your change again.",
                )
            doc_access.record(
                session, number=seen_version + 1, title=clean_title, body=body,
                user_id=self.ctx.user_id, note_id=note_id,
            )  # fmt: skip
            session.refresh(note)
            return _note(note, True)

    def versions(self, note_id: uuid.UUID) -> list[DocVersion]:
        with self.ctx.db.session() as session:
            self._open(session, note_id, "viewer")
            return doc_access.history(session, note_id=note_id)

    def delete(self, note_id: uuid.UUID) -> Note:
        with self.ctx.db.session() as session:
            note, _ = self._open(session, note_id, "member")
            gone = _note(note, True)
            session.delete(note)
            return gone

    def search(self, text: str, *, limit: int = 20) -> list[Note]:
        """Notes the user may read whose title or content holds ``text`` (any case):
        personal ones and those of every project in the user's workspaces."""
        words = text.strip()
        if not words:
            return []
        pattern = f"%{escape_like(words.lower())}%"
        uid = self.ctx.user_id
        with self.ctx.db.session() as session:
            member_projects = (
                select(Project.id)
                .join(
                    WorkspaceMember, col(WorkspaceMember.workspace_id) == col(Project.workspace_id)
                )
                .where(col(WorkspaceMember.user_id) == uid)
            )
            rows = session.exec(
                select(PlanNote)
                .where(
                    or_(
                        col(PlanNote.project_id).is_(None) & (col(PlanNote.user_id) == uid),
                        col(PlanNote.project_id).in_(member_projects),
                    ),
                    or_(
                        col(PlanNote.title).ilike(pattern, escape="\\"),
                        col(PlanNote.content).ilike(pattern, escape="\\"),
                    ),
                )
                .order_by(col(PlanNote.updated_at).desc())
                .limit(limit)
            ).all()
            return [_note(n, True) for n in rows]

    def search_hits(self, query: str, *, limit: int = 10) -> list[NoteHit]:
        """What the chat's search shows of notes: every word of ``query`` in a note the
        user may read, with its project and a snippet (note_search.py)."""
        from promptterm.services.plan.note_search import search_notes

        return search_notes(self.ctx, query, limit=limit)

    def _open(self, session: Session, note_id: uuid.UUID, minimum: str) -> tuple[PlanNote, bool]:
        note = session.get(PlanNote, note_id)
        if note is None:
            raise NotFound(_GONE)
        if note.project_id is None:
            if note.user_id != self.ctx.user_id:
                raise NotFound(_GONE)  # someone else's personal note: not even its existence
            return note, True
        action = "write its notes" if minimum == "member" else "read its notes"
        role = doc_access.project_role(session, self.ctx.user_id, note.project_id, minimum, action)
        return note, doc_access.can_edit(role)


def _note(note: PlanNote, editable: bool) -> Note:
    return Note(
        id=note.id,
        user_id=note.user_id,
        project_id=note.project_id,
        title=note.title,
        content=note.content,
        version=note.version,
        updated_at=note.updated_at,
        can_edit=editable,
    )
