"""A thread as the JSON `chat export` and `chat show --json` write: the document built from
plain data (ThreadInfo, MessageInfo), read by the export service or, without SQLAlchemy, on
the lean path (db/lean.py). What the document holds and why: export.py.

JSON (``"format": "promptterm.thread/1"``) keeps costs as decimal strings, so that they add
up exactly, and times as ISO 8601 in UTC.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from promptterm.services.chat.thread_info import MessageInfo, ThreadInfo

FORMAT = "promptterm.thread/1"
# Answer details worth keeping, from chat/send.py's list of meta keys.
_META_KEYS = ("usage", "finish_reason", "served_model", "preset", "price", "error", "interrupted")
_VERSION_KEYS = (
    "content",
    "status",
    "provider",
    "model",
    "tokens_in",
    "tokens_out",
    "tokens_estimated",
    "cost_usd",
    "error",
    "replaced_at",
)
_EDIT_KEYS = ("previous_content", "previous_message_id", "branch_thread_id")


@dataclass(frozen=True)
class _Thread:
    info: ThreadInfo
    messages: list[MessageInfo]
    branch_of: dict[str, Any] | None  # {"thread_id", "from_seq"} for an earlier branch

    @property
    def cost(self) -> Decimal | None:
        costs = [m.cost_usd for m in self.messages if m.cost_usd is not None]
        return sum(costs, Decimal(0)) if costs else None


def exported(info: ThreadInfo, messages: list[MessageInfo], context: Any) -> _Thread:
    """A thread with its messages (in order) and its row's ``context`` (what it branched from)."""
    context = context or {}
    branch_of = None
    if context.get("branch_of"):
        branch_of = {"thread_id": context["branch_of"], "from_seq": context.get("from_seq")}
    return _Thread(info, messages, branch_of)


def branch_ids(thread: _Thread) -> list[uuid.UUID]:
    """The earlier branches its edits left, in the order of the messages edited."""
    found = (_uuid((m.meta.get("edited") or {}).get("branch_thread_id")) for m in thread.messages)
    return [branch_id for branch_id in found if branch_id is not None]


def json_document(thread: _Thread, branches: list[_Thread], now: datetime) -> str:
    document = {
        "format": FORMAT,
        "exported_at": _iso(now),
        "thread": _thread_dict(thread),
        "messages": [_message_dict(m) for m in thread.messages],
        "branches": [
            {**_thread_dict(b), "messages": [_message_dict(m) for m in b.messages]}
            for b in branches
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- JSON -----------------------------------------------------------------------------------


def _thread_dict(thread: _Thread) -> dict[str, Any]:
    t = thread.info
    return {
        "id": str(t.id),
        "title": t.title,
        "project_id": _str(t.project_id),
        "is_archived": t.is_archived,
        "provider": t.provider,
        "model": t.model,
        "total_tokens": t.total_tokens,
        "cost_usd": _str(thread.cost),
        "message_count": len(thread.messages),
        "created_at": _iso(t.created_at),
        "updated_at": _iso(t.updated_at),
        "branch_of": thread.branch_of,
        "current_preset_id": _str(t.current_preset_id),
        "preset_history": [
            {
                "timestamp": h.timestamp,
                "preset_id": h.preset_id,
                "preset_name": h.preset_name,
                "changed_components": list(h.changed_components),
            }
            for h in t.preset_history
        ],
    }


def _message_dict(m: MessageInfo) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(m.id),
        "seq": m.seq,
        "role": m.role,
        "status": m.status,
        "content": m.content,
        "provider": m.provider,
        "model": m.model,
        "tokens_in": m.tokens_in,
        "tokens_out": m.tokens_out,
        "tokens_estimated": m.tokens_estimated,
        "cost_usd": _str(m.cost_usd),
        "created_at": _iso(m.created_at),
    }
    data.update({k: m.meta[k] for k in _META_KEYS if m.meta.get(k) is not None})
    versions = [_pick(v, _VERSION_KEYS) for v in m.meta.get("versions") or ()]
    if versions:
        data["versions"] = versions
    if m.meta.get("edited"):
        data["edited"] = _pick(m.meta["edited"], _EDIT_KEYS)
    if m.tool is not None:
        data["tool"] = m.tool  # a round's calls, or what a result answers
    return data


def _pick(values: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(values, dict):
        return {}
    return {k: values[k] for k in keys if k in values}


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
