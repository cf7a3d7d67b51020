"""Claude's data export: ``conversations.json``, a list of conversations with their
``chat_messages``.

A conversation has ``uuid``, ``name``, ``created_at`` (ISO 8601), sometimes ``model`` and
``current_leaf_message_uuid``; each message ``uuid``, ``sender`` ("human" or "assistant"),
``text`` (or ``content``: [{type: "text", text}]), ``created_at``, ``attachments`` (files
whose text Claude extracted: kept after the message, as the model saw them) and, in newer
exports, ``parent_message_uuid``: then the messages form a tree (edits and retries), mapped
like ChatGPT's; without it they are one line in the order given.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from promptterm.services.chat.importers.json_items import array_items, read_export_text
from promptterm.services.chat.importers.model import (
    BadItem,
    ItemProblem,
    Parsed,
    SourceMessage,
    SourceThread,
    counted,
    iso_time,
    joined,
    role_of,
    text_or_none,
)

NAME = "Claude"
ROLES = {"human": "user", "user": "user", "assistant": "assistant"}
# Claude's parent of a conversation's first message.
ROOT = "00000000-0000-4000-8000-000000000000"


def read(path: Path) -> Parsed:
    for entry in array_items(read_export_text(path, NAME), NAME):
        if isinstance(entry, ItemProblem):
            yield entry
            continue
        number, value = entry
        try:
            yield conversation(value)
        except BadItem as exc:
            name = value.get("name") if isinstance(value, dict) else None
            label = f"conversation {number}" + (f" ({name})" if text_or_none(name) else "")
            yield ItemProblem(label, str(exc))


def conversation(value: Any) -> SourceThread:
    if not isinstance(value, dict):
        raise BadItem("it is not a conversation (expected a JSON object)")
    conv_id = text_or_none(value.get("uuid"))
    if conv_id is None:
        raise BadItem("it has no uuid")
    items = value.get("chat_messages")
    if not isinstance(items, list):
        raise BadItem("it has no messages (its 'chat_messages' is missing or not a list)")
    model = text_or_none(value.get("model"))
    messages = []
    left_out = 0
    for item in items:
        message = _message(item, model)
        if message is None:
            left_out += 1
        else:
            messages.append(message)
    ids = {m.source_id for m in messages}
    tree = any(m.parent_id in ids for m in messages)
    if not tree:
        messages = [replace(m, parent_id=None) for m in messages]
    leaf = value.get("current_leaf_message_uuid")
    return SourceThread(
        source_id=conv_id,
        title=text_or_none(value.get("name")),
        messages=tuple(messages),
        created_at=iso_time(value.get("created_at")),
        model=model,
        current_id=leaf if leaf in ids else None,
        tree=tree,
        notes=(f"{counted(left_out, 'unreadable message')} left out",) if left_out else (),
    )


def _message(item: Any, model: str | None) -> SourceMessage | None:
    if not isinstance(item, dict):
        return None
    message_id = text_or_none(item.get("uuid"))
    role = role_of(item.get("sender"), ROLES)
    if message_id is None or role is None:
        return None
    text = item.get("text") if isinstance(item.get("text"), str) else ""
    if not text and isinstance(item.get("content"), list):
        text = joined(
            str(part.get("text") or "")
            for part in item["content"]
            if isinstance(part, dict) and part.get("type") == "text"
        )
    parent = item.get("parent_message_uuid")
    return SourceMessage(
        source_id=message_id,
        role=role,
        content=joined([text, *_attachments(item.get("attachments"))]),
        created_at=iso_time(item.get("created_at")),
        parent_id=parent if isinstance(parent, str) and parent != ROOT else None,
        model=model if role == "assistant" else None,
    )


def _attachments(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    found = []
    for attachment in value:
        if isinstance(attachment, dict) and isinstance(attachment.get("extracted_content"), str):
            name = attachment.get("file_name") or "attachment"
            found.append(f"[{name}]\n{attachment['extracted_content']}")
    return found
