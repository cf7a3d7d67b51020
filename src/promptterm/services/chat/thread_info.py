"""What the chat service hands out: a thread, a message, a thread's totals, a preset change,
and the converters that build them from ORM objects, plain rows or lean records alike
(without SQLAlchemy: `chat list` reads them on the lean path, db/lean.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from promptterm.db.lean_rows import Order

if TYPE_CHECKING:
    from sqlalchemy import Row

    from promptterm.db.models import Conversation, Message


@dataclass(frozen=True)
class PresetChange:
    timestamp: str
    preset_id: str | None
    preset_name: str
    changed_components: tuple[str, ...]


@dataclass(frozen=True)
class ThreadInfo:
    id: uuid.UUID
    project_id: uuid.UUID | None
    title: str
    is_archived: bool
    current_preset_id: uuid.UUID | None
    preset_history: tuple[PresetChange, ...]
    total_tokens: int
    provider: str | None
    model: str | None
    created_at: datetime
    updated_at: datetime
    # Tool sources set on the thread itself ("server", "server:tool"); None: the preset's.
    tools: tuple[str, ...] | None = None


@dataclass(frozen=True)
class MessageInfo:
    id: uuid.UUID
    thread_id: uuid.UUID
    seq: int
    role: str
    content: str
    status: str
    tokens_in: int | None
    tokens_out: int | None
    tokens_estimated: bool
    provider: str | None
    model: str | None
    cost_usd: Decimal | None
    created_at: datetime
    # Send details (usage source, price source, error, earlier versions, edit branch):
    # see services/chat/send.py for the keys.
    meta: dict[str, Any] = field(default_factory=dict)
    # A tool round: the calls an answer asked for, or what a result answers (db/models/chat.py).
    tool: dict[str, Any] | None = None

    @property
    def is_tool_result(self) -> bool:
        return self.tool is not None and "result_of" in self.tool

    @property
    def tool_calls(self) -> list[dict[str, Any]]:
        return list((self.tool or {}).get("calls") or ())


@dataclass(frozen=True)
class ThreadTotals:
    tokens: int
    cost_usd: Decimal  # of the priced messages
    unpriced: int  # messages with tokens but no price (an unknown model): cost is a floor
    estimated: bool  # some counts are estimates


UNTITLED = "New thread"
# A thread list's order: most recently active first (the service's query and the lean read).
THREAD_ORDER: Order = (("updated_at", "desc"),)


def _thread_info(t: Conversation | Row[Any]) -> ThreadInfo:
    history = tuple(
        PresetChange(
            timestamp=h.get("timestamp", ""),
            preset_id=h.get("preset_id"),
            preset_name=h.get("preset_name", ""),
            changed_components=tuple(h.get("changed_components") or ()),
        )
        for h in t.preset_history or ()
    )
    return ThreadInfo(
        id=t.id,
        project_id=t.project_id,
        title=t.title or UNTITLED,
        is_archived=t.is_archived,
        current_preset_id=t.current_preset_id,
        preset_history=history,
        total_tokens=t.total_tokens,
        provider=t.provider,
        model=t.model,
        created_at=t.created_at,
        updated_at=t.updated_at,
        tools=_tools(getattr(t, "tools", None)),
    )


def _tools(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in value)


def _message_info(m: Message | Row[Any]) -> MessageInfo:
    return MessageInfo(
        id=m.id,
        thread_id=m.conversation_id,
        seq=m.seq,
        role=m.role,
        content=m.content,
        status=m.status,
        tokens_in=m.tokens_in,
        tokens_out=m.tokens_out,
        tokens_estimated=m.tokens_estimated,
        provider=m.provider,
        model=m.model,
        cost_usd=m.cost_usd,
        created_at=m.created_at,
        meta=dict(m.meta or {}),
        tool=getattr(m, "tool", None),
    )
