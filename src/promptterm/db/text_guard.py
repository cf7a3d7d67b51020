"""Text from outside (a model's answer, piped input, a provider's error) may hold NUL.

PostgreSQL refuses NUL in ``text`` and ``\\u0000`` in ``jsonb`` (psycopg.DataError), while
SQLite keeps it: the same answer was kept on one database and lost on the other. Every
write through a session passes ``before_flush`` here, so every text and JSON column of
every table gets the same treatment on both databases: each NUL becomes U+2400 (``␀``), a
visible marker of where it was. Core statements that bypass the ORM (the streaming save)
call ``scrub`` themselves.

Services that must refuse NUL outright (names, library content) still do so first, with a
message; this is the floor under everything else, not a validation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

NUL = "\x00"
NUL_MARKER = "\u2400"  # ␀ SYMBOL FOR NULL


def scrub(value: Any) -> Any:
    """``value`` with every NUL in its strings (also inside dicts and lists) made ``␀``;
    the same object when there is none, so the common case costs a scan and no copy."""
    if isinstance(value, str):
        return value.replace(NUL, NUL_MARKER) if NUL in value else value
    if isinstance(value, dict | list | tuple) and not _has_nul(value):
        return value  # the common case: one walk, nothing built (a prompt's snapshot is big)
    if isinstance(value, dict):
        cleaned = {scrub(k): scrub(v) for k, v in value.items()}
        return value if _same_dict(cleaned, value) else cleaned
    if isinstance(value, list | tuple):
        items = [scrub(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    return value


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _same_dict(cleaned: dict[Any, Any], value: dict[Any, Any]) -> bool:
    return cleaned.keys() == value.keys() and all(cleaned[k] is value[k] for k in value)


def _scrub_pending(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            value = state.dict.get(attr.key)
            if isinstance(value, str | dict | list):
                cleaned = scrub(value)
                if cleaned is not value:
                    setattr(obj, attr.key, cleaned)


def install() -> None:
    """Idempotent: hook every Session (SQLModel's is a subclass) once per process."""
    if not event.contains(Session, "before_flush", _scrub_pending):
        event.listen(Session, "before_flush", _scrub_pending)
