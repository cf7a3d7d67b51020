"""The stored side of a send: the answer as it streams, its final state, earlier versions of a
regenerated answer, and the branch an edit-and-resend leaves behind.

How replaced text is kept (the chat screen shows both):

- **Regenerate** rewrites the last answer in place. What it said before moves into the
  message's ``meta["versions"]`` (oldest first: content, status, provider, model, tokens,
  cost, error, replaced_at), so the thread stays one line of messages and the screen can
  offer "version 2 of 3". The thread's ``total_tokens`` counts messages as they stand;
  every call, replaced ones too, stays metered in ``usage_records``.
- **Edit and resend** of user message *k* moves message *k* and everything after it,
  untouched and with their ids, to a new **archived branch thread** titled "<title> (earlier
  branch)" whose ``context`` says ``{"branch_of": thread id, "from_seq": k}``; their tokens
  move with them. The thread gets the edited message at *k*, whose
  ``meta["edited"]`` names the branch thread and the text it replaced. Moving rows is one
  UPDATE however long the tail, and nothing of the old conversation is lost or rewritten.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from promptterm.db.models import Conversation, Message
from promptterm.db.text_guard import scrub
from promptterm.services.chat.threads import MessageInfo, ThreadInfo, _message_info, _thread_info
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError


class AnswerStore:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self, message_id: uuid.UUID) -> MessageInfo:
        with self.ctx.db.session() as session:
            return _message_info(self._message(session, message_id))

    def save_partial(self, message_id: uuid.UUID, content: str) -> None:
        """The growing answer, while it streams: one UPDATE, several times a second.

        No ownership lookup here: ``message_id`` comes from the send that created it for
        this user (and row-level security guards PostgreSQL). Only a message still
        "streaming" is touched, so a late save never overwrites the final text.
        """
        with self.ctx.db.session() as session:
            session.execute(
                update(Message)
                .where(col(Message.id) == message_id, col(Message.status) == "streaming")
                .values(content=scrub(content))
                .execution_options(synchronize_session=False)
            )

    def finish(
        self,
        message_id: uuid.UUID,
        *,
        content: str,
        status: str,
        tokens_in: int | None,
        tokens_out: int | None,
        tokens_estimated: bool,
        cost_usd: Decimal | None,
        meta: dict[str, Any],
        tool: dict[str, Any] | None = None,
    ) -> tuple[MessageInfo, int]:
        """Final state of an answer; returns it and the thread's new total tokens."""
        with self.ctx.db.session() as session:
            message = self._message(session, message_id)
            thread = self._thread(session, message.conversation_id)
            before = (message.tokens_in or 0) + (message.tokens_out or 0)
            message.content = content
            message.status = status
            message.tokens_in, message.tokens_out = tokens_in, tokens_out
            message.tokens_estimated = tokens_estimated
            message.cost_usd = cost_usd
            kept = {k: v for k, v in (message.meta or {}).items() if k != "stream"}
            message.meta = {**kept, **meta}  # finished: no longer anyone's stream
            if tool is not None:
                message.tool = tool
            thread.total_tokens = max(
                0, thread.total_tokens + (tokens_in or 0) + (tokens_out or 0) - before
            )
            thread.updated_at = self.ctx.now()
            session.add_all([message, thread])
            return _message_info(message), thread.total_tokens

    def supersede(
        self,
        message_id: uuid.UUID,
        provider: str,
        model: str,
        meta: dict[str, Any] | None = None,
    ) -> MessageInfo:
        """Regenerate: keep the current answer in ``meta["versions"]`` and reset it to stream."""
        with self.ctx.db.session() as session:
            message = self._message(session, message_id)
            if message.role != "assistant":
                raise ValidationError("Only an answer can be regenerated.", "message")
            thread = self._thread(session, message.conversation_id)
            meta = dict(message.meta or {})
            old = {
                "content": message.content,
                "status": message.status,
                "provider": message.provider,
                "model": message.model,
                "tokens_in": message.tokens_in,
                "tokens_out": message.tokens_out,
                "tokens_estimated": message.tokens_estimated,
                "cost_usd": None if message.cost_usd is None else str(message.cost_usd),
                "error": meta.get("error"),
                "replaced_at": self.ctx.now().isoformat(),
            }
            versions = [*meta.get("versions", []), old]
            # Only what describes the current version is reset; history keys stay.
            message.meta = {"versions": versions, **(meta or {})}
            thread.total_tokens = max(
                0, thread.total_tokens - (message.tokens_in or 0) - (message.tokens_out or 0)
            )
            message.content, message.status = "", "streaming"
            message.tokens_in = message.tokens_out = None
            message.tokens_estimated = False
            message.cost_usd = None
            message.provider, message.model = provider, model
            thread.updated_at = self.ctx.now()
            session.add_all([message, thread])
            return _message_info(message)

    def branch_off(self, message_id: uuid.UUID) -> tuple[MessageInfo, ThreadInfo]:
        """Edit and resend: move user message ``message_id`` and all after it to a new
        archived branch thread. Returns the moved message and the branch."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            message = self._message(session, message_id)
            if message.role != "user":
                raise ValidationError("Only your own messages can be edited and resent.", "message")
            thread = self._thread(session, message.conversation_id)
            tail = (Message.conversation_id == thread.id) & (col(Message.seq) >= message.seq)
            moved_tokens = session.exec(
                select(
                    func.coalesce(
                        func.sum(
                            func.coalesce(Message.tokens_in, 0)
                            + func.coalesce(Message.tokens_out, 0)
                        ),
                        0,
                    )
                ).where(tail)
            ).one()
            branch = Conversation(
                id=self.ctx.new_id(),
                project_id=thread.project_id,
                user_id=thread.user_id,
                title=_branch_title(thread.title),
                context={"branch_of": str(thread.id), "from_seq": message.seq},
                is_archived=True,
                current_preset_id=thread.current_preset_id,
                preset_history=list(thread.preset_history or []),
                total_tokens=int(moved_tokens),
                provider=thread.provider,
                model=thread.model,
                created_at=now,
                updated_at=now,
            )
            session.add(branch)
            session.flush()
            session.execute(update(Message).where(tail).values(conversation_id=branch.id))
            thread.total_tokens = max(0, thread.total_tokens - int(moved_tokens))
            thread.updated_at = now
            session.add(thread)
            session.flush()
            session.refresh(message)
            return _message_info(message), _thread_info(branch)

    def _message(self, session: Session, message_id: uuid.UUID) -> Message:
        message = session.get(Message, message_id)
        if message is None:
            raise NotFound("That message no longer exists.")
        self._thread(session, message.conversation_id)
        return message

    def _thread(self, session: Session, thread_id: uuid.UUID) -> Conversation:
        thread = session.get(Conversation, thread_id)
        if thread is None or thread.user_id != self.ctx.user_id:
            raise NotFound("That thread does not exist; it may have been deleted.")
        return thread


def _branch_title(title: str | None) -> str:
    base = title or "New thread"
    suffix = " (earlier branch)"
    return base[: 200 - len(suffix)] + suffix
