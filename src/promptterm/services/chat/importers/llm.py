"""``llm``'s logs database (``llm logs path``): SQLite, tables ``conversations`` (id, name,
model) and ``responses`` (id, model, prompt, system, response, conversation_id,
datetime_utc, and since llm 0.19 input_tokens, output_tokens; newer ones add
resolved_model). One response is one exchange: the prompt becomes the user's message, the
response the answer, with the response's model and token counts; a system prompt becomes a
system message wherever it changes. A response logged without a conversation is a thread
of its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from promptterm.services.chat.importers.model import (
    BadItem,
    ItemProblem,
    Parsed,
    SourceMessage,
    SourceThread,
    iso_time,
    text_or_none,
    token_count,
)
from promptterm.services.chat.importers.sqlite_source import columns, open_source, pick

NAME = "llm"
RESPONSE_COLUMNS = (
    "id",
    "model",
    "resolved_model",
    "prompt",
    "system",
    "response",
    "conversation_id",
    "datetime_utc",
    "input_tokens",
    "output_tokens",
)


def read(path: Path) -> Parsed:
    with open_source(path, NAME, ("conversations", "responses")) as db:
        names = {
            row["id"]: (row["name"], row["model"])
            for row in db.execute("SELECT id, name, model FROM conversations")
        }
        select = pick(columns(db, "responses"), RESPONSE_COLUMNS)
        rows = db.execute(
            f"SELECT {select} FROM responses"
            " ORDER BY conversation_id IS NULL, conversation_id, datetime_utc, id"
        )
        for conv_id, group in _grouped(rows):
            name, model = names.get(conv_id, (None, None)) if conv_id else (None, None)
            label = f"conversation {conv_id}" if conv_id else f"response {group[0]['id']}"
            try:
                yield conversation(conv_id, name, model, group)
            except (BadItem, sqlite3.Error) as exc:
                yield ItemProblem(label, str(exc))


def _grouped(rows: Any) -> Iterator[tuple[str | None, list[sqlite3.Row]]]:
    current: list[sqlite3.Row] = []
    for row in rows:
        conv_id = row["conversation_id"]
        if current and (conv_id is None or conv_id != current[0]["conversation_id"]):
            yield current[0]["conversation_id"], current
            current = []
        current.append(row)
    if current:
        yield current[0]["conversation_id"], current


def conversation(
    conv_id: str | None, name: Any, model: Any, rows: list[sqlite3.Row]
) -> SourceThread:
    messages: list[SourceMessage] = []
    system = None
    for row in rows:
        response_id = row["id"]
        if response_id is None:
            raise BadItem("a response in it has no id")
        prompt, answer = row["prompt"], row["response"]
        if not isinstance(prompt, str) or not isinstance(answer, str):
            raise BadItem(f"response {response_id} has no prompt or no response text")
        when = iso_time(row["datetime_utc"])
        if isinstance(row["system"], str) and row["system"] and row["system"] != system:
            system = row["system"]
            messages.append(SourceMessage(f"{response_id}:system", "system", system, when))
        messages.append(SourceMessage(f"{response_id}:prompt", "user", prompt, when))
        messages.append(
            SourceMessage(
                f"{response_id}:response",
                "assistant",
                answer,
                when,
                model=text_or_none(row["resolved_model"]) or text_or_none(row["model"]),
                tokens_in=token_count(row["input_tokens"]),
                tokens_out=token_count(row["output_tokens"]),
            )
        )
    first = rows[0]
    return SourceThread(
        source_id=str(conv_id) if conv_id else f"response:{first['id']}",
        title=text_or_none(name),
        messages=tuple(messages),
        created_at=iso_time(first["datetime_utc"]),
        model=text_or_none(model) or text_or_none(first["model"]),
    )
