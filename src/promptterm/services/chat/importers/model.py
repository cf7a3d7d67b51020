"""What every importer hands over: threads as their source holds them, and the items that
could not be read.

A source thread is a set of messages, each with its parent when the source keeps a tree
(ChatGPT's ``mapping``, elia's ``parent_id``, Claude's ``parent_message_uuid``), plus the
message its user last looked at (``current_id``); without parents the messages are one line
in the order given. ``importers/tree.py`` turns that into promptterm's threads, versions and
branches; ``importers/writer.py`` stores them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

IMPORT_SOURCES = ("chatgpt", "claude", "llm", "elia", "oterm")
SOURCE_NAMES = {
    "chatgpt": "ChatGPT",
    "claude": "Claude",
    "llm": "llm",
    "elia": "elia",
    "oterm": "oterm",
}


@dataclass(frozen=True)
class SourceMessage:
    source_id: str
    role: str  # user | assistant | system
    content: str
    created_at: datetime | None = None
    parent_id: str | None = None
    model: str | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None


@dataclass(frozen=True)
class SourceThread:
    source_id: str
    title: str | None
    messages: tuple[SourceMessage, ...]
    created_at: datetime | None = None
    model: str | None = None
    current_id: str | None = None  # the message the source showed last (its leaf)
    tree: bool = False  # messages name their parents
    archived: bool = False
    notes: tuple[str, ...] = field(default=())  # what was left out, in words


@dataclass(frozen=True)
class ItemProblem:
    """One item of the file that could not be imported, and why; the rest goes on."""

    item: str  # "conversation 3 (Dinner plans)", "chat 7"
    message: str


Parsed = Iterator[SourceThread | ItemProblem]


class BadItem(Exception):
    """Raised inside an importer for one item; reported as an ItemProblem."""


def role_of(value: Any, mapping: dict[str, str]) -> str | None:
    """promptterm's role for a source's, or None for one that is not a chat message."""
    return mapping.get(str(value).lower()) if value is not None else None


def epoch_time(value: Any) -> datetime | None:
    """A Unix time in seconds (ChatGPT's floats), or None when absent or not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def iso_time(value: Any) -> datetime | None:
    """An ISO 8601 time ("2024-05-01T10:00:00.000Z", or SQLite's "2024-05-01 10:00:00");
    one without a zone is UTC, as every source here writes it."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def token_count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def joined(parts: Iterable[str]) -> str:
    return "\n\n".join(p for p in parts if p)


def counted(n: int, word: str) -> str:
    """``1 message``, ``2 messages``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
