"""oterm's database (``store.db`` in its data folder): SQLite, tables ``chat`` (id, name,
model, system, parameters, tools...) and ``message`` (id, chat_id, author, text, images).
Authors are "me" and "ollama" (newer versions: "user" and "assistant"). The chat's system
prompt becomes its first message; the answers are the chat's model's. oterm keeps no times,
so messages take the moment of the import, in their order; images are not imported (a
note says how many were left).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from promptterm.services.chat.importers.model import (
    BadItem,
    Parsed,
    SourceMessage,
    SourceThread,
    counted,
    role_of,
    text_or_none,
)
from promptterm.services.chat.importers.sqlite_source import fingerprint, read_chats

NAME = "oterm"
ROLES = {
    "me": "user",
    "user": "user",
    "ollama": "assistant",
    "assistant": "assistant",
    "system": "system",
}
CHAT_COLUMNS = ("id", "name", "model", "system")
MESSAGE_COLUMNS = ("id", "author", "text", "images")


def read(path: Path) -> Parsed:
    return read_chats(path, NAME, (CHAT_COLUMNS, MESSAGE_COLUMNS), "name", conversation)


def conversation(chat: sqlite3.Row, rows: list[sqlite3.Row]) -> SourceThread:
    model = text_or_none(chat["model"])
    messages = []
    if text_or_none(chat["system"]):
        messages.append(SourceMessage("system", "system", chat["system"]))
    left_out = images = 0
    for row in rows:
        role = role_of(row["author"], ROLES)
        if row["id"] is None or role is None or not isinstance(row["text"], str):
            left_out += 1
            continue
        images += _count(row["images"])
        messages.append(
            SourceMessage(
                source_id=str(row["id"]),
                role=role,
                content=row["text"],
                model=model if role == "assistant" else None,
            )
        )
    if rows and left_out == len(rows):
        raise BadItem("none of its messages could be read")
    first = next((m.content for m in messages if m.role == "user"), "")
    notes = []
    if left_out:
        notes.append(f"{counted(left_out, 'unreadable message')} left out")
    if images:
        notes.append(f"{counted(images, 'image')} not imported")
    return SourceThread(
        source_id=f"{chat['id']}:{fingerprint(chat['name'], chat['model'], first)}",
        title=text_or_none(chat["name"]),
        messages=tuple(messages),
        model=model,
        notes=tuple(notes),
    )


def _count(images: object) -> int:
    if not isinstance(images, str) or not images.strip():
        return 0
    try:
        value = json.loads(images)
    except ValueError:
        return 0
    return len(value) if isinstance(value, list) else 0
