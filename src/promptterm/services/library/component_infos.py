"""What a component read gives back, and the orders of a component list: without
SQLAlchemy, so that the service and the lean read (lean_reads.py) share them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from promptterm.db.lean_rows import Order

ComponentSort = Literal["most_used", "recent", "name"]

ORDER: dict[str, Order] = {
    "most_used": (("usage_count", "desc"), ("name", "asc")),
    "recent": (("updated_at", "desc"), ("name", "asc")),
    "name": (("name", "asc"),),
}


@dataclass(frozen=True)
class ComponentInfo:
    id: uuid.UUID
    type: str
    name: str
    content: str
    description: str | None
    tags: tuple[str, ...]
    usage_count: int
    last_used_at: datetime | None
    created_at: datetime
    updated_at: datetime


def component_info(c: Any) -> ComponentInfo:
    """A ``Component`` row (or a lean record with its columns) as the services give it."""
    return ComponentInfo(
        id=c.id,
        type=c.type,
        name=c.name,
        content=c.content,
        description=c.description,
        tags=tuple(c.tags or ()),
        usage_count=c.usage_count,
        last_used_at=c.last_used_at,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )
