"""`chat list|show` and `provider list` on the lean path (db/lean.py): the services' filter,
order and row-to-info functions over db/lean_rows.py's records, for a command that must
answer in a blink.

A thread that is not the user's, or not there, is left to the services (``Declined``):
they say so, and the activity log keeps what they refused."""

from __future__ import annotations

import uuid
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from promptterm.db.lean import Declined, LeanRead
from promptterm.db.lean_rows import Order, count, records
from promptterm.services.chat.export_json import branch_ids, exported, json_document
from promptterm.services.chat.provider_info import PROVIDER_ORDER, ProviderInfo, provider_info
from promptterm.services.chat.thread_info import (
    THREAD_ORDER,
    MessageInfo,
    ThreadInfo,
    _message_info,
    _thread_info,
)

_BY_SEQ: Order = (("seq", "asc"),)


def lean_thread_list(read: LeanRead, *, archived: bool, limit: int | None) -> list[ThreadInfo]:
    """As ``ChatService.list_threads(archived=archived, limit=limit)``."""
    where = {"user_id": read.user_id, "is_archived": archived}
    rows = records(read, "conversations", where, THREAD_ORDER, limit)
    return [_thread_info(t) for t in rows]


def lean_thread(read: LeanRead, thread_id: uuid.UUID) -> ThreadInfo:
    """As ``ChatService.get_thread(thread_id)`` for one of the user's threads."""
    return _thread_info(_own(read, thread_id))


def lean_message_count(read: LeanRead, thread_id: uuid.UUID) -> int:
    """As ``ChatService.message_count(thread_id)``."""
    _own(read, thread_id)
    return count(read, "messages", {"conversation_id": thread_id})


def lean_messages(read: LeanRead, thread_id: uuid.UUID, limit: int) -> list[MessageInfo]:
    """As ``ChatService.messages(thread_id, limit=limit)``: the last ``limit``, oldest first."""
    _own(read, thread_id)
    where = {"conversation_id": thread_id}
    rows = records(read, "messages", where, (("seq", "desc"),), limit)
    return [_message(m) for m in reversed(rows)]


def lean_export_json(read: LeanRead, thread_id: uuid.UUID, now: datetime) -> str:
    """As ``ChatExportService.to_json(thread_id)`` exported at ``now``."""
    thread = _exported(read, _own(read, thread_id))
    branches = []
    for branch_id in branch_ids(thread):
        found = records(read, "conversations", {"id": branch_id})
        if found and found[0].user_id == read.user_id:
            branches.append(_exported(read, found[0]))
    return json_document(thread, branches, now)


def lean_provider_list(read: LeanRead) -> list[ProviderInfo]:
    """As ``ProviderService.list()``."""
    rows = records(read, "provider_entries", {"user_id": read.user_id}, PROVIDER_ORDER)
    return [provider_info(e) for e in rows]


def _own(read: LeanRead, thread_id: uuid.UUID) -> Any:
    found = records(read, "conversations", {"id": thread_id})
    if not found or found[0].user_id != read.user_id:
        raise Declined("not one of the user's threads")
    return found[0]


def _exported(read: LeanRead, row: Any) -> Any:
    rows = records(read, "messages", {"conversation_id": row.id}, _BY_SEQ)
    return exported(_thread_info(row), [_message(m) for m in rows], row.context)


def _message(record: SimpleNamespace) -> MessageInfo:
    # The column is "metadata" (a name SQLAlchemy's declarative classes keep for themselves);
    # the model and the service's query call it ``meta``.
    record.meta = record.metadata
    return _message_info(record)
