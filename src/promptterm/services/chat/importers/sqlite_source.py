"""Reading another tool's SQLite database: read-only, never locked against its owner, with
a clear message when the file is not the database it should be."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from promptterm.services.chat.importers.model import (
    BadItem,
    ItemProblem,
    Parsed,
    SourceThread,
    text_or_none,
)
from promptterm.services.errors import ValidationError


@contextmanager
def open_source(path: Path, name: str, tables: tuple[str, ...]) -> Iterator[sqlite3.Connection]:
    """``path`` opened read-only (mode=ro: the tool may keep writing to it meanwhile); a
    ValidationError unless it is an SQLite database holding ``tables``."""
    if not path.is_file():
        raise ValidationError(f"There is no file {path}: give the path of {name}'s database.")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ValidationError(f"Could not open {path}: {exc}.", "path") from exc
    with closing(connection):
        connection.row_factory = sqlite3.Row
        try:
            found = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            raise ValidationError(
                f"{path.name} is not a readable SQLite database ({exc}): is it {name}'s?",
                "path",
            ) from exc
        missing = [t for t in tables if t not in found]
        if missing:
            raise ValidationError(
                f"{path.name} is not {name}'s database: it has no {', '.join(missing)} table.",
                "path",
            )
        yield connection


def columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row["name"] for row in connection.execute(f"PRAGMA table_info([{table}])")}


def pick(available: set[str], wanted: tuple[str, ...]) -> str:
    """A select list of ``wanted``, NULL for the columns an older version did not have."""
    return ", ".join(f"[{c}]" if c in available else f"NULL AS [{c}]" for c in wanted)


def fingerprint(*parts: Any) -> str:
    """A short stable hash: elia and oterm number their chats 1, 2, 3 on every machine, so
    the key of a chat is its number plus what it began with, and chat 1 of a second
    machine's database is not taken for chat 1 of the first."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "replace"))
    return digest.hexdigest()[:12]


def read_chats(
    path: Path,
    name: str,
    wanted: tuple[tuple[str, ...], tuple[str, ...]],
    title: str,
    conversation: Callable[[sqlite3.Row, list[sqlite3.Row]], SourceThread],
) -> Parsed:
    """Each row of the ``chat`` table with its ``message`` rows, in id order, made a thread by
    ``conversation``; ``wanted`` names the columns of each table. A chat that cannot be read
    is an ItemProblem, labelled with its ``title`` column, and the others go on."""
    chat_columns, message_columns = wanted
    with open_source(path, name, ("chat", "message")) as db:
        chat_select = pick(columns(db, "chat"), chat_columns)
        message_select = pick(columns(db, "message"), message_columns)
        for chat in db.execute(f"SELECT {chat_select} FROM chat ORDER BY id").fetchall():
            named = text_or_none(chat[title])
            label = f"chat {chat['id']}" + (f" ({named})" if named else "")
            try:
                rows = db.execute(
                    f"SELECT {message_select} FROM message WHERE chat_id = ? ORDER BY id",
                    (chat["id"],),
                ).fetchall()
                yield conversation(chat, rows)
            except (BadItem, sqlite3.Error) as exc:
                yield ItemProblem(label, str(exc))
