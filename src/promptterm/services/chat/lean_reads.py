"""`chat list` and `provider list` on the lean path (db/lean.py): the services' filter,
order and row-to-info functions over db/lean_rows.py's records, for a command that must
answer in a blink."""

from __future__ import annotations

from promptterm.db.lean import LeanRead
from promptterm.db.lean_rows import records
from promptterm.services.chat.provider_info import PROVIDER_ORDER, ProviderInfo, provider_info
from promptterm.services.chat.thread_info import THREAD_ORDER, ThreadInfo, _thread_info


def lean_thread_list(read: LeanRead, *, archived: bool, limit: int | None) -> list[ThreadInfo]:
    """As ``ChatService.list_threads(archived=archived, limit=limit)``."""
    where = {"user_id": read.user_id, "is_archived": archived}
    rows = records(read, "conversations", where, THREAD_ORDER, limit)
    return [_thread_info(t) for t in rows]


def lean_provider_list(read: LeanRead) -> list[ProviderInfo]:
    """As ``ProviderService.list()``."""
    rows = records(read, "provider_entries", {"user_id": read.user_id}, PROVIDER_ORDER)
    return [provider_info(e) for e in rows]
