"""Notes in the chat's search (ctrl+f in chat): the notes the user may read that hold every
word typed, each with its project's name and a one-line snippet whose matches are marked.

A word is what the chat's search takes it to be (services/chat/search.py ``parse_query``:
split on whitespace, the last one possibly unfinished), matched anywhere in the title or the
text, any case. Readable is what NoteService reads: the user's own personal notes and the
notes of every project in a workspace the user belongs to; PostgreSQL's row-level security
(migration 0027) says the same again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import col, select

from promptterm.db.models import PlanNote, Project, WorkspaceMember
from promptterm.services.chat import make_snippet, parse_query
from promptterm.services.context import ServiceContext
from promptterm.services.validation import escape_like


@dataclass(frozen=True)
class NoteHit:
    note_id: uuid.UUID
    title: str
    project_id: uuid.UUID | None  # None: a personal note
    project_name: str | None
    # One line of the note around the first match, and the (start, end) of each match.
    snippet: str
    spans: tuple[tuple[int, int], ...]
    updated_at: datetime


def search_notes(ctx: ServiceContext, query: str, *, limit: int = 10) -> list[NoteHit]:
    """Readable notes holding every word of ``query``, the last changed first."""
    parsed = parse_query(query)
    if not parsed.words or limit <= 0:
        return []
    uid = ctx.user_id
    member_projects = (
        select(Project.id)
        .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == col(Project.workspace_id))
        .where(col(WorkspaceMember.user_id) == uid)
    )
    words = []
    for word in parsed.words:
        pattern = f"%{escape_like(word.lower())}%"
        words.append(
            or_(
                col(PlanNote.title).ilike(pattern, escape="\\"),
                col(PlanNote.content).ilike(pattern, escape="\\"),
            )
        )
    readable = or_(
        and_(col(PlanNote.project_id).is_(None), col(PlanNote.user_id) == uid),
        col(PlanNote.project_id).in_(member_projects),
    )
    with ctx.db.session() as session:
        rows = session.exec(
            select(PlanNote, Project.name)
            .join(Project, col(Project.id) == col(PlanNote.project_id), isouter=True)
            .where(readable, *words)
            .order_by(col(PlanNote.updated_at).desc(), col(PlanNote.id))
            .limit(limit)
        ).all()
    phrases = parsed.phrases()
    hits = []
    for note, project_name in rows:
        snippet, spans = make_snippet(note.content or note.title, phrases)
        where = (note.project_id, project_name)
        hits.append(NoteHit(note.id, note.title, *where, snippet, spans, note.updated_at))
    return hits
