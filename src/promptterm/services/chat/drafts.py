"""Composer drafts: what a person typed in a thread and has not sent, one per thread (and one
for the new thread, ``None``), kept in the database so a draft waits in its own thread across
thread switches and restarts, as an editor keeps unsaved text (hot exit)."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from promptterm.db.models import ChatDraft, Conversation
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError

MAX_DRAFT = 1_000_000  # characters; a pasted file fits, a runaway paste does not


class ChatDraftService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def all(self) -> dict[uuid.UUID | None, str]:
        """Every non-empty draft of the user, by thread (``None``: the new thread)."""
        with self.ctx.db.session() as session:
            rows = session.exec(
                select(ChatDraft).where(ChatDraft.user_id == self.ctx.user_id)
            ).all()
            return {r.conversation_id: r.text for r in rows if r.text}

    def get(self, thread_id: uuid.UUID | None) -> str:
        return self.all().get(thread_id, "")

    def save(self, thread_id: uuid.UUID | None, text: str) -> None:
        """Keep ``text`` as the thread's draft; an empty text removes the draft."""
        if len(text) > MAX_DRAFT:
            raise ValidationError(
                f"A draft can hold at most {MAX_DRAFT:,} characters; this one has {len(text):,}.",
                "text",
            )
        with self.ctx.db.session() as session:
            if thread_id is not None:
                thread = session.get(Conversation, thread_id)
                if thread is None or thread.user_id != self.ctx.user_id:
                    raise NotFound("That thread does not exist; it may have been deleted.")
            query = select(ChatDraft).where(ChatDraft.user_id == self.ctx.user_id)
            if thread_id is None:
                query = query.where(col(ChatDraft.conversation_id).is_(None))
            else:
                query = query.where(ChatDraft.conversation_id == thread_id)
            rows = session.exec(query).all()
            if not text:
                for row in rows:
                    session.delete(row)
            else:
                row = rows[0] if rows else None
                for extra in rows[1:]:
                    session.delete(extra)
                if row is None:
                    row = ChatDraft(
                        id=self.ctx.new_id(), user_id=self.ctx.user_id, conversation_id=thread_id
                    )
                row.text = text
                row.updated_at = self.ctx.now()
                session.add(row)
