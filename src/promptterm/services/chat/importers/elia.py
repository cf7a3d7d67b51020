"""elia's database (``elia.sqlite``): SQLite, tables ``chat`` (id, model, title, started_at,
archived) and ``message`` (id, chat_id, role, content, timestamp, meta, parent_id, model).
Roles are "user", "assistant", "system" (older versions wrote "human" and "ai"). A message's
``parent_id`` names the message it answers, so a chat is a tree like ChatGPT's; the line
shown is the one ending at its newest message. Times are UTC without a zone. An archived
chat stays archived.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from promptterm.services.chat.importers.model import (
    BadItem,
    Parsed,
    SourceMessage,
    SourceThread,
    counted,
    iso_time,
    role_of,
    text_or_none,
)
from promptterm.services.chat.importers.sqlite_source import fingerprint, read_chats

NAME = "elia"
ROLES = {
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "system": "system",
}
CHAT_COLUMNS = ("id", "model", "title", "started_at", "archived")
MESSAGE_COLUMNS = ("id", "chat_id", "role", "content", "timestamp", "parent_id", "model")


def read(path: Path) -> Parsed:
    return read_chats(path, NAME, (CHAT_COLUMNS, MESSAGE_COLUMNS), "title", conversation)


def conversation(chat: sqlite3.Row, rows: list[sqlite3.Row]) -> SourceThread:
    messages = []
    left_out = 0
    for row in rows:
        role = role_of(row["role"], ROLES)
        if row["id"] is None or role is None or not isinstance(row["content"], str):
            left_out += 1
            continue
        messages.append(
            SourceMessage(
                source_id=str(row["id"]),
                role=role,
                content=row["content"],
                created_at=iso_time(row["timestamp"]),
                parent_id=None if row["parent_id"] is None else str(row["parent_id"]),
                model=text_or_none(row["model"]) if role == "assistant" else None,
            )
        )
    if rows and not messages:
        raise BadItem("none of its messages could be read")
    ids = {m.source_id for m in messages}
    first = messages[0].content if messages else ""
    return SourceThread(
        source_id=f"{chat['id']}:{fingerprint(chat['started_at'], first)}",
        title=text_or_none(chat["title"]),
        messages=tuple(messages),
        created_at=iso_time(chat["started_at"]),
        model=text_or_none(chat["model"]),
        current_id=messages[-1].source_id if messages else None,
        tree=any(m.parent_id in ids for m in messages),
        archived=bool(chat["archived"]),
        notes=(f"{counted(left_out, 'unreadable message')} left out",) if left_out else (),
    )
