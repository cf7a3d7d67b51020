"""Chat threads and their messages, with the preset history of seed 003."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import Conversation, Message, Preset, Project
from promptterm.db.models.chat import MESSAGE_ROLES, MESSAGE_STATUSES
from promptterm.db.models.library import COMPONENT_TYPES
from promptterm.db.order import order_by
from promptterm.db.types import quick_ids
from promptterm.services.chat.thread_info import THREAD_ORDER
from promptterm.services.chat.thread_info import UNTITLED as UNTITLED
from promptterm.services.chat.thread_info import MessageInfo as MessageInfo
from promptterm.services.chat.thread_info import PresetChange as PresetChange
from promptterm.services.chat.thread_info import ThreadInfo as ThreadInfo
from promptterm.services.chat.thread_info import ThreadTotals as ThreadTotals
from promptterm.services.chat.thread_info import _message_info as _message_info
from promptterm.services.chat.thread_info import _thread_info as _thread_info
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.validation import choice, clean_name, escape_like, strip_controls
from promptterm.services.workspaces import require_role

# The messages table's columns as rows name them: the "metadata" column read back as "meta",
# like the model's attribute, so one converter serves rows and ORM objects alike. A page of
# messages is read in bulk: its ids the quick way (db/types.py).
_MESSAGE_COLUMNS = tuple(
    c.label("meta") if c.name == "metadata" else quick_ids(c) for c in Message.__table__.columns
)


class ChatService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # Threads ---------------------------------------------------------------------------

    def create_thread(
        self,
        *,
        project_id: uuid.UUID | None = None,
        title: str | None = None,
        preset_id: uuid.UUID | None = None,
        provider: str | None = None,
        model: str | None = None,
    ) -> ThreadInfo:
        now = self.ctx.now()
        thread = Conversation(
            id=self.ctx.new_id(),
            project_id=project_id,
            user_id=self.ctx.user_id,
            title=_title(title) if title else None,
            provider=provider,
            model=model,
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            if project_id is not None:
                project = session.get(Project, project_id)
                if project is None:
                    raise NotFound("That project does not exist or you cannot see it.")
                require_role(
                    session, project.workspace_id, self.ctx.user_id, "member", "start threads"
                )
            session.add(thread)
            if preset_id is not None:
                self._switch_preset(session, thread, preset_id, now)
            session.flush()
            return _thread_info(thread)

    def list_threads(
        self,
        *,
        project_id: uuid.UUID | None = None,
        archived: bool = False,
        query: str | None = None,
        limit: int | None = None,
    ) -> list[ThreadInfo]:
        """The user's threads, most recently active first (all projects when no project)."""
        # Rows of the table, not ORM objects: the same columns, without the per-object cost
        # of the identity map (several times faster for a page of threads).
        stmt = select(Conversation.__table__).where(
            Conversation.user_id == self.ctx.user_id, Conversation.is_archived == archived
        )
        if project_id is not None:
            stmt = stmt.where(Conversation.project_id == project_id)
        if query:
            pattern = f"%{escape_like(query.strip())}%"
            stmt = stmt.where(col(Conversation.title).ilike(pattern, escape="\\"))
        stmt = stmt.order_by(*order_by(Conversation, THREAD_ORDER))
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.ctx.db.session() as session:
            return [_thread_info(t) for t in session.execute(stmt).all()]

    def get_thread(self, thread_id: uuid.UUID) -> ThreadInfo:
        with self.ctx.db.session() as session:
            return _thread_info(self._own(session, thread_id))

    def rename(self, thread_id: uuid.UUID, title: str) -> ThreadInfo:
        return self._update(thread_id, title=_title(title))

    def archive(self, thread_id: uuid.UUID, archived: bool = True) -> ThreadInfo:
        return self._update(thread_id, is_archived=archived)

    def set_model(
        self, thread_id: uuid.UUID, provider: str | None, model: str | None
    ) -> ThreadInfo:
        return self._update(thread_id, provider=provider, model=model)

    def delete_thread(self, thread_id: uuid.UUID) -> str:
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            title = thread.title or UNTITLED
            session.delete(thread)
            return title

    def set_preset(self, thread_id: uuid.UUID, preset_id: uuid.UUID | None) -> ThreadInfo:
        """Switch the thread's preset; the change is appended to its preset history."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            self._switch_preset(session, thread, preset_id, now)
            thread.updated_at = now
            session.add(thread)
            return _thread_info(thread)

    # Messages --------------------------------------------------------------------------

    def add_message(
        self,
        thread_id: uuid.UUID,
        role: str,
        content: str,
        *,
        status: str = "complete",
        tokens_in: int | None = None,
        tokens_out: int | None = None,
        tokens_estimated: bool = False,
        provider: str | None = None,
        model: str | None = None,
        cost_usd: Decimal | None = None,
        meta: dict[str, Any] | None = None,
        tool: dict[str, Any] | None = None,
    ) -> MessageInfo:
        choice(role, "role", label="Role", options=MESSAGE_ROLES)
        choice(status, "status", label="Status", options=MESSAGE_STATUSES)
        if role == "user" and not content.strip():
            raise ValidationError("Type a message before sending.", "content")
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            last = session.exec(
                select(func.max(Message.seq)).where(Message.conversation_id == thread_id)
            ).one()
            message = Message(
                id=self.ctx.new_id(),
                conversation_id=thread_id,
                seq=(last or 0) + 1,
                role=role,
                content=content,
                status=status,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                tokens_estimated=tokens_estimated,
                provider=provider,
                model=model,
                cost_usd=cost_usd,
                meta=meta or {},
                created_at=now,
                tool=tool,
            )
            session.add(message)
            thread.total_tokens += (tokens_in or 0) + (tokens_out or 0)
            if thread.title is None and role == "user":
                thread.title = _auto_title(content)
            thread.updated_at = now
            session.add(thread)
            try:
                session.flush()
            except IntegrityError as exc:
                # Another session appended to this thread at the same moment.
                raise Conflict(
                    "The thread changed while this message was being added; send it again."
                ) from exc
            return _message_info(message)

    def update_message(
        self,
        message_id: uuid.UUID,
        *,
        content: str | None = None,
        status: str | None = None,
        tokens_in: int | None = None,
        tokens_out: int | None = None,
        tokens_estimated: bool | None = None,
        cost_usd: Decimal | None = None,
    ) -> MessageInfo:
        """Update a message in place (a streaming answer as it grows, then its usage)."""
        with self.ctx.db.session() as session:
            message = session.get(Message, message_id)
            if message is None:
                raise NotFound("That message no longer exists.")
            thread = self._own(session, message.conversation_id)
            if content is not None:
                message.content = content
            if status is not None:
                message.status = choice(status, "status", label="Status", options=MESSAGE_STATUSES)
            if tokens_in is not None or tokens_out is not None:
                before = (message.tokens_in or 0) + (message.tokens_out or 0)
                message.tokens_in = tokens_in if tokens_in is not None else message.tokens_in
                message.tokens_out = tokens_out if tokens_out is not None else message.tokens_out
                after = (message.tokens_in or 0) + (message.tokens_out or 0)
                thread.total_tokens = max(0, thread.total_tokens + after - before)
            if tokens_estimated is not None:
                message.tokens_estimated = tokens_estimated
            if cost_usd is not None:
                message.cost_usd = cost_usd
            thread.updated_at = self.ctx.now()
            session.add_all([message, thread])
            return _message_info(message)

    def delete_message(self, message_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            message = session.get(Message, message_id)
            if message is None:
                raise NotFound("That message no longer exists.")
            thread = self._own(session, message.conversation_id)
            used = (message.tokens_in or 0) + (message.tokens_out or 0)
            thread.total_tokens = max(0, thread.total_tokens - used)
            session.delete(message)
            session.add(thread)

    def messages(
        self,
        thread_id: uuid.UUID,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        after_seq: int | None = None,
    ) -> list[MessageInfo]:
        """The last ``limit`` messages (before ``before_seq`` when paging back), oldest first;
        with ``after_seq``, the first ``limit`` after it (paging forward from a search hit)."""
        with self.ctx.db.session() as session:
            self._own(session, thread_id)
            return _page(session, thread_id, limit, before_seq, after_seq)

    def thread_tail(
        self, thread_id: uuid.UUID, *, limit: int
    ) -> tuple[ThreadInfo, list[MessageInfo]]:
        """The thread and its last ``limit`` messages, oldest first, in one read: what opening
        it draws first. (``totals`` and ``message_count`` go through all its messages; this
        reads the same few rows however long the thread is.)"""
        with self.ctx.db.session() as session:
            thread = _thread_info(self._own(session, thread_id))
            return thread, _page(session, thread_id, limit, None, None)

    def totals(self, thread_id: uuid.UUID) -> ThreadTotals:
        """Tokens and cost of the thread's messages as they stand (what the screen shows as
        the thread's total; replaced versions stay metered in the usage records)."""
        stmt = select(
            func.coalesce(func.sum(Message.cost_usd), 0),
            func.count().filter(
                col(Message.cost_usd).is_(None)
                & (col(Message.tokens_in).is_not(None) | col(Message.tokens_out).is_not(None))
            ),
            func.count().filter(col(Message.tokens_estimated).is_(True)),
        ).where(Message.conversation_id == thread_id)
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            cost, unpriced, estimated = session.execute(stmt).one()
            return ThreadTotals(
                tokens=thread.total_tokens,
                cost_usd=Decimal(cost),
                unpriced=int(unpriced),
                estimated=bool(estimated),
            )

    def message_count(
        self,
        thread_id: uuid.UUID,
        *,
        before_seq: int | None = None,
        after_seq: int | None = None,
    ) -> int:
        """All the thread's messages, or those before / after a seq (what a page leaves out)."""
        query = select(func.count()).where(Message.conversation_id == thread_id)
        if before_seq is not None:
            query = query.where(col(Message.seq) < before_seq)
        if after_seq is not None:
            query = query.where(col(Message.seq) > after_seq)
        with self.ctx.db.session() as session:
            self._own(session, thread_id)
            return session.exec(query).one()

    # Helpers ---------------------------------------------------------------------------

    def _own(self, session: Session, thread_id: uuid.UUID) -> Conversation:
        thread = session.get(Conversation, thread_id)
        if thread is None or thread.user_id != self.ctx.user_id:
            raise NotFound("That thread does not exist; it may have been deleted.")
        return thread

    def _update(self, thread_id: uuid.UUID, **values: Any) -> ThreadInfo:
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            for key, value in values.items():
                setattr(thread, key, value)
            thread.updated_at = self.ctx.now()
            session.add(thread)
            return _thread_info(thread)

    def _switch_preset(
        self, session: Session, thread: Conversation, preset_id: uuid.UUID | None, now: datetime
    ) -> None:
        new = None
        if preset_id is not None:
            new = session.get(Preset, preset_id)
            if new is None or new.user_id != self.ctx.user_id:
                raise NotFound("That preset does not exist; it may have been deleted.")
        old = session.get(Preset, thread.current_preset_id) if thread.current_preset_id else None
        changed = [
            kind
            for kind in COMPONENT_TYPES
            if getattr(old, f"{kind}_id", None) != getattr(new, f"{kind}_id", None)
        ]
        entry = {
            "timestamp": now.isoformat(),
            "preset_id": str(new.id) if new else None,
            "preset_name": new.name if new else "No preset",
            "changed_components": changed,
        }
        # Reassign (not append) so SQLAlchemy sees the JSON column change.
        thread.preset_history = [*thread.preset_history, entry]
        thread.current_preset_id = new.id if new else None


def _page(
    session: Session,
    thread_id: uuid.UUID,
    limit: int,
    before_seq: int | None,
    after_seq: int | None,
) -> list[MessageInfo]:
    stmt = select(*_MESSAGE_COLUMNS).where(Message.conversation_id == thread_id)
    if before_seq is not None:
        stmt = stmt.where(col(Message.seq) < before_seq)
    if after_seq is not None:
        stmt = stmt.where(col(Message.seq) > after_seq).order_by(col(Message.seq))
    else:
        stmt = stmt.order_by(col(Message.seq).desc())
    # Core rows: plain columns need none of the ORM's per-row loading (a third of the read).
    rows = session.connection().execute(stmt.limit(limit)).all()
    if after_seq is None:
        rows.reverse()
    return [_message_info(m) for m in rows]


def _title(title: str) -> str:
    return clean_name(title, "title", label="Title", min_len=1, max_len=200)


def _auto_title(first_message: str) -> str:
    words = (strip_controls(word) for word in first_message.split())
    line = " ".join(word for word in words if word)
    return line if len(line) <= 60 else line[:59].rstrip() + "…"
