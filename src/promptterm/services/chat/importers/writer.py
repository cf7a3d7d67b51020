"""Storing a planned thread (importers/tree.py): its line, branches and versions, keyed on
the source's ids so that importing again adds nothing, or only what the source gained.

Each thread and branch is matched on (user, source, key) (migration 0016), each message on
``meta["import"]["id"]`` within it. An existing line whose stored messages begin the
planned line gets the rest appended (a conversation continued in the other tool since);
one that differs (edited or continued here) is left as it was, with a note. Nothing is
metered: no usage record is written, because these tokens were spent, and paid for,
elsewhere and before; the thread's own token total still shows them, as history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from promptterm.db.models import Conversation, Message
from promptterm.db.text_guard import scrub
from promptterm.services.chat.importers.model import SourceMessage
from promptterm.services.chat.importers.tree import PlannedLine, PlannedMessage, ThreadPlan
from promptterm.services.chat.threads import _auto_title
from promptterm.services.chat.versions import _branch_title
from promptterm.services.context import ServiceContext
from promptterm.services.validation import strip_controls

TITLE_CHARS = 200
KEY_CHARS = 255
MODEL_CHARS = 128  # the column's width (PostgreSQL refuses longer, SQLite would keep it)


@dataclass(frozen=True)
class WriteOutcome:
    thread_id: uuid.UUID | None  # None on a dry run of a new thread
    status: str  # "new" | "added" | "unchanged" | "kept"
    messages: int  # messages added (or that would be)
    branches: int  # branch threads added
    notes: tuple[str, ...] = ()


@dataclass
class _Line:
    planned: PlannedLine
    key: str
    existing: Conversation | None
    thread_id: uuid.UUID | None = None
    to_add: list[PlannedMessage] | None = None  # None: nothing to do
    next_seq: int = 1
    note: str | None = None


def line_key(plan: ThreadPlan, line: PlannedLine) -> str:
    key = plan.source.source_id if line.key is None else f"{plan.source.source_id}#{line.key}"
    return key[:KEY_CHARS]


class ImportWriter:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def write(
        self,
        session: Session,
        source: str,
        plan: ThreadPlan,
        project_id: uuid.UUID | None,
        *,
        dry_run: bool,
    ) -> WriteOutcome:
        ids: dict[str, uuid.UUID] = {}  # source message id -> promptterm message id
        lines = [self._match(session, source, plan, line, ids) for line in plan.lines]
        main = lines[0]
        if main.note is not None:
            # The thread differs from the source: nothing of it is added, so nothing already
            # stored can come in twice by another path.
            for line in lines:
                line.to_add = None
        stored = set(ids)
        for line in lines:
            if line.existing is None and any(
                m.source.source_id in stored for m in line.to_add or ()
            ):
                line.to_add = None  # already here, on another line: the source was rearranged
        added = sum(len(line.to_add or ()) for line in lines)
        branches = sum(1 for line in lines[1:] if line.existing is None and line.to_add)
        if main.existing is None:
            status = "new"
        elif main.note is not None:
            status = "kept"
        else:
            status = "added" if added else "unchanged"
        notes = tuple(line.note for line in lines if line.note)
        if dry_run or not added:
            return WriteOutcome(main.thread_id, status, added, branches, notes)
        # Every id first: a message names the branch it replaced, which is stored after it.
        for line in lines:
            if line.to_add and line.existing is None:
                line.thread_id = self.ctx.new_id()
            for planned in line.to_add or ():
                ids[planned.source.source_id] = self.ctx.new_id()
        by_plan = {id(line.planned): line for line in lines}
        for line in lines:
            if line.to_add:
                self._store(session, source, plan, line, by_plan, ids, project_id)
        return WriteOutcome(main.thread_id, status, added, branches, notes)

    # -- matching -----------------------------------------------------------------------------

    def _match(
        self,
        session: Session,
        source: str,
        plan: ThreadPlan,
        line: PlannedLine,
        ids: dict[str, uuid.UUID],
    ) -> _Line:
        key = line_key(plan, line)
        existing = session.exec(
            select(Conversation).where(
                Conversation.user_id == self.ctx.user_id,
                Conversation.import_source == source,
                Conversation.import_key == key,
            )
        ).first()
        found = _Line(line, key, existing)
        planned = [m.source.source_id for m in line.messages]
        if existing is None:
            found.to_add = list(line.messages) if line.messages else None
            found.next_seq = line.from_seq
            return found
        found.thread_id = existing.id
        rows = session.exec(
            select(Message.id, Message.seq, Message.meta)
            .where(Message.conversation_id == existing.id)
            .order_by(col(Message.seq))
        ).all()
        stored = []
        for message_id, _seq, meta in rows:
            mark = (meta or {}).get("import") or {}
            if mark.get("source") == source and isinstance(mark.get("id"), str):
                ids[mark["id"]] = message_id
                stored.append(mark["id"])
        found.next_seq = (rows[-1][1] + 1) if rows else line.from_seq
        if set(planned) <= set(stored):
            return found
        last_is_ours = bool(rows) and bool((rows[-1][2] or {}).get("import"))
        if stored == planned[: len(stored)] and (last_is_ours or not rows):
            found.to_add = line.messages[len(stored) :]
        else:
            found.note = (
                f"{existing.title or 'a thread'}: changed since it was imported (here, or "
                "another branch chosen there); left as it is"
            )
        return found

    # -- storing ------------------------------------------------------------------------------

    def _store(
        self,
        session: Session,
        source: str,
        plan: ThreadPlan,
        line: _Line,
        by_plan: dict[int, _Line],
        ids: dict[str, uuid.UUID],
        project_id: uuid.UUID | None,
    ) -> None:
        assert line.to_add is not None
        now = self.ctx.now()
        times = _times(plan, line.to_add, now)
        thread = line.existing
        if thread is None:
            thread = self._new_thread(source, plan, line, by_plan, project_id, times, now)
            session.add(thread)
            session.flush()
        rows: list[dict[str, Any]] = []
        for n, planned in enumerate(line.to_add):
            m = planned.source
            meta: dict[str, Any] = {"import": {"source": source, "id": m.source_id}}
            if m.tokens_in is not None or m.tokens_out is not None:
                meta["usage"] = "provider"
            if planned.versions:
                meta["versions"] = _versions(source, planned, times[n])
            if planned.replaced is not None and planned.replaced.messages:
                branch = by_plan[id(planned.replaced)]
                first = planned.replaced.messages[0].source
                meta["edited"] = {
                    "branch_thread_id": str(branch.thread_id),
                    "previous_message_id": str(ids.get(first.source_id, "")),
                    "previous_content": first.content,
                }
            rows.append(
                {
                    "id": ids[m.source_id],
                    "conversation_id": thread.id,
                    "seq": line.next_seq + n,
                    "role": m.role,
                    "content": m.content,
                    "status": "complete",
                    "tokens_in": m.tokens_in,
                    "tokens_out": m.tokens_out,
                    "tokens_estimated": False,
                    "model": _model(m.model),
                    "metadata": meta,
                    "created_at": times[n],
                }
            )
        # One executemany, not an ORM object per message (a large export held 15,000 of
        # them: building and flushing those took half the import's time). Core bypasses the
        # NUL guard of every ORM flush, so it is applied here (db/text_guard.py).
        session.execute(insert(Message.__table__), [scrub(row) for row in rows])
        if line.existing is not None:
            thread.total_tokens += _tokens(line.to_add)
            thread.updated_at = max(thread.updated_at, times[-1])
            session.add(thread)
        session.flush()

    def _new_thread(
        self,
        source: str,
        plan: ThreadPlan,
        line: _Line,
        by_plan: dict[int, _Line],
        project_id: uuid.UUID | None,
        times: list[datetime],
        now: datetime,
    ) -> Conversation:
        assert line.to_add is not None
        src = plan.source
        title = thread_title(src.title, plan)
        context: dict[str, Any] = {}
        archived = src.archived
        if line.planned.branch_of is not None:
            parent = by_plan[id(line.planned.branch_of)]
            context = {"branch_of": str(parent.thread_id), "from_seq": line.planned.from_seq}
            title = _branch_title(title)
            archived = True
        models = [m.source.model for m in line.to_add if m.source.model]
        return Conversation(
            id=line.thread_id,
            project_id=project_id,
            user_id=self.ctx.user_id,
            title=title,
            context=context,
            is_archived=archived,
            total_tokens=_tokens(line.to_add),
            model=_model(src.model or (models[-1] if models else None)),
            created_at=(src.created_at or times[0]) if line.planned.branch_of is None else times[0],
            updated_at=max(times),
            import_source=source,
            import_key=line.key,
        )


def thread_title(title: str | None, plan: ThreadPlan) -> str | None:
    cleaned = " ".join(strip_controls(title or "").split())
    if cleaned:
        return cleaned[:TITLE_CHARS]
    first = next((m.source.content for m in plan.main.messages if m.source.role == "user"), "")
    return _auto_title(first) or None


def _model(model: str | None) -> str | None:
    return model[:MODEL_CHARS] if model else None


def _times(plan: ThreadPlan, messages: list[PlannedMessage], now: datetime) -> list[datetime]:
    """Each message's time; one the source left out takes the one before it (or the
    thread's start, or now), so the order the source gave is never contradicted."""
    times = []
    last = plan.source.created_at or now
    for planned in messages:
        last = planned.source.created_at or last
        times.append(last)
    return times


def _tokens(messages: list[PlannedMessage]) -> int:
    return sum((m.source.tokens_in or 0) + (m.source.tokens_out or 0) for m in messages)


def _versions(source: str, planned: PlannedMessage, shown_at: datetime) -> list[dict[str, Any]]:
    found = []
    others: list[SourceMessage] = planned.versions
    for n, version in enumerate(others):
        following = others[n + 1].created_at if n + 1 < len(others) else None
        replaced_at = following or planned.source.created_at or shown_at
        found.append(
            {
                "content": version.content,
                "status": "complete",
                "provider": None,
                "model": version.model,
                "tokens_in": version.tokens_in,
                "tokens_out": version.tokens_out,
                "tokens_estimated": False,
                "cost_usd": None,
                "error": None,
                "replaced_at": replaced_at.isoformat(),
                "import": {"source": source, "id": version.source_id},
            }
        )
    return found
