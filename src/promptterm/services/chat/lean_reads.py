"""`chat list` on the lean path (db/lean.py): ``ChatService.list_threads``'s filter, order
and row-to-info function over db/lean_rows.py's records, for a command that must answer in
a blink."""

from __future__ import annotations

from promptterm.db.lean import LeanRead
from promptterm.db.lean_rows import records
from promptterm.services.chat.thread_info import THREAD_ORDER, ThreadInfo, _thread_info


def lean_thread_list(read: LeanRead, *, archived: bool, limit: int | None) -> list[ThreadInfo]:
    """As ``ChatService.list_threads(archived=archived, limit=limit)``."""
    where = {"user_id": read.user_id, "is_archived": archived}
    rows = records(read, "conversations", where, THREAD_ORDER, limit)
    return [_thread_info(t) for t in rows]
