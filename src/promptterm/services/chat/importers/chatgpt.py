"""ChatGPT's data export: ``conversations.json``, a list of conversations, each a tree.

Each conversation has ``id`` (or ``conversation_id``), ``title``, ``create_time`` (Unix
seconds), ``mapping`` (node id -> {id, message, parent, children}) and ``current_node``, the
leaf of the line the user last saw. A node's ``message`` has ``author.role`` (system, user,
assistant, tool), ``create_time``, ``content`` ({content_type, parts} for text and
multimodal_text, {content_type: code, language, text} for code) and ``metadata.model_slug``.
Editing a question or regenerating an answer in ChatGPT adds a sibling node: the tree holds
every branch, and importers/tree.py maps them onto versions and branch threads.

Left out (and counted in the thread's notes): the empty root, system and context messages
ChatGPT hides (``metadata.is_visually_hidden_from_conversation``), tool calls' outputs
(role "tool") and content that is not text (browsing displays, reasoning summaries). An
image in a message is kept as "[image]" where it stood.
"""

from __future__ import annotations

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
    epoch_time,
    role_of,
    text_or_none,
)

NAME = "ChatGPT"
ROLES = {"user": "user", "assistant": "assistant", "system": "system"}
TEXT_TYPES = ("text", "multimodal_text", "code")


def read(path: Path) -> Parsed:
    for entry in array_items(read_export_text(path, NAME), NAME):
        if isinstance(entry, ItemProblem):
            yield entry
            continue
        number, value = entry
        try:
            yield conversation(value)
        except BadItem as exc:
            yield ItemProblem(_label(number, value), str(exc))


def conversation(value: Any) -> SourceThread:
    if not isinstance(value, dict):
        raise BadItem("it is not a conversation (expected a JSON object)")
    conv_id = text_or_none(value.get("conversation_id")) or text_or_none(value.get("id"))
    if conv_id is None:
        raise BadItem("it has no id")
    mapping = value.get("mapping")
    if not isinstance(mapping, dict):
        raise BadItem("it has no message tree (its 'mapping' is missing or not an object)")
    kept: dict[str, SourceMessage] = {}
    parents: dict[str, str | None] = {}
    left_out = 0
    for node_id, node in mapping.items():
        if not isinstance(node, dict):
            left_out += 1
            continue
        parent = node.get("parent")
        parents[str(node_id)] = str(parent) if isinstance(parent, str) else None
        message = _message(str(node_id), node.get("message"))
        if message is None:
            left_out += isinstance(node.get("message"), dict)
            continue
        kept[message.source_id] = message
    # Hidden and tool nodes are skipped: a kept message hangs from its nearest kept ancestor.
    messages = tuple(
        SourceMessage(
            source_id=m.source_id,
            role=m.role,
            content=m.content,
            created_at=m.created_at,
            parent_id=_kept_ancestor(parents.get(m.source_id), parents, kept),
            model=m.model,
        )
        for m in kept.values()
    )
    current = value.get("current_node")
    current_id = current if isinstance(current, str) and current in kept else None
    if current_id is None and isinstance(current, str):
        current_id = _kept_ancestor(current, parents, kept)
    notes = (
        (f"{counted(left_out, 'hidden, tool or non-text message')} left out",) if left_out else ()
    )
    return SourceThread(
        source_id=conv_id,
        title=text_or_none(value.get("title")),
        messages=messages,
        created_at=epoch_time(value.get("create_time")),
        model=text_or_none(value.get("default_model_slug")),
        current_id=current_id,
        tree=True,
        notes=notes,
    )


def _message(node_id: str, message: Any) -> SourceMessage | None:
    if not isinstance(message, dict):
        return None
    author = message.get("author")
    role = role_of(author.get("role") if isinstance(author, dict) else None, ROLES)
    metadata = message.get("metadata") if isinstance(message.get("metadata"), dict) else {}
    if role is None or metadata.get("is_visually_hidden_from_conversation"):
        return None
    content = _text(message.get("content"))
    if content is None or (role == "system" and not content.strip()):
        return None
    return SourceMessage(
        source_id=node_id,
        role=role,
        content=content,
        created_at=epoch_time(message.get("create_time")),
        model=text_or_none(metadata.get("model_slug")) if role == "assistant" else None,
    )


def _text(content: Any) -> str | None:
    if not isinstance(content, dict) or content.get("content_type") not in TEXT_TYPES:
        return None
    if content.get("content_type") == "code":
        code = content.get("text")
        if not isinstance(code, str):
            return None
        language = content.get("language")
        fence = language if isinstance(language, str) and language != "unknown" else ""
        return f"```{fence}\n{code}\n```"
    parts = content.get("parts")
    if not isinstance(parts, list):
        return None
    texts = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict):
            kind = str(part.get("content_type") or "")
            texts.append("[image]" if "image" in kind else f"[{kind or 'attachment'}]")
    return "\n".join(texts)


def _kept_ancestor(
    node: str | None, parents: dict[str, str | None], kept: dict[str, SourceMessage]
) -> str | None:
    seen: set[str] = set()
    while node is not None and node not in kept and node not in seen:
        seen.add(node)
        node = parents.get(node)
    return node if node in kept else None


def _label(number: int, value: Any) -> str:
    title = value.get("title") if isinstance(value, dict) else None
    return f"conversation {number}" + (f" ({title})" if isinstance(title, str) and title else "")
