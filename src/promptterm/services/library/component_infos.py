"""What a component read gives back, the orders of a component list, and how a name or id
picks one: without SQLAlchemy, so that the service and the lean read (lean_reads.py) share
them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar

from promptterm.db.lean_rows import Order
from promptterm.services.errors import Conflict, NotFound


class _Stored(Protocol):
    """A stored component: a ``Component`` row or a lean record."""

    user_id: uuid.UUID
    type: str


Row = TypeVar("Row", bound=_Stored)

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


def own(component: Row | None, user_id: uuid.UUID) -> Row:
    """The component found by id, if it is the user's."""
    if component is None or component.user_id != user_id:
        raise NotFound("That component does not exist; it may have been deleted.")
    return component


def pick_named(matches: Sequence[Row], ref: str, type: str | None) -> Row:
    """The one component named ``ref`` (of ``type``) among the user's ``matches``."""
    if not matches:
        kind = f"{type} " if type else ""
        raise NotFound(f"You have no {kind}component named {ref!r}.")
    if len(matches) > 1:
        kinds = ", ".join(sorted(m.type for m in matches))
        raise Conflict(f"{ref!r} is the name of several components ({kinds}); give the type.")
    return matches[0]
