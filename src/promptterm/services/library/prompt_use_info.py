"""One use of a prompt as plain data, built from an ORM row or a lean record alike (without
SQLAlchemy: `prompt show` reads its recent uses on the lean path, db/lean.py), newest first
by the one order both paths sort by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from promptterm.db.lean_rows import Order

USE_ORDER: Order = (("created_at", "desc"), ("id", "desc"))


@dataclass(frozen=True)
class PromptUseInfo:
    action: str
    options: dict[str, str]  # module name -> option name
    values: dict[str, str]  # variable -> value (cut to VALUE_KEEP characters)
    at: datetime


def use_info(row: Any) -> PromptUseInfo:
    """A ``PromptUse`` (or a record with its attributes) as handed out."""
    return PromptUseInfo(
        row.action,
        dict(row.meta.get("options") or {}),
        dict(row.meta.get("values") or {}),
        row.created_at,
    )
