"""A provider entry as plain data, built from an ORM row or a lean record alike (without
SQLAlchemy: `provider list` reads it on the lean path, db/lean.py), in the one order both
paths sort by."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from promptterm.db.lean_rows import Order
from promptterm.links import is_local_url

PROVIDER_ORDER: Order = (("name", "asc"),)


@dataclass(frozen=True)
class ProviderInfo:
    id: uuid.UUID
    name: str
    kind: str
    base_url: str
    default_model: str | None
    key_nickname: str | None
    key_env: str | None
    options: dict[str, Any]
    is_local: bool
    created_at: datetime
    updated_at: datetime


def provider_info(e: Any) -> ProviderInfo:
    """A ``ProviderEntry`` (or a record with its attributes) as handed out."""
    return ProviderInfo(
        id=e.id,
        name=e.name,
        kind=e.kind,
        base_url=e.base_url,
        default_model=e.default_model,
        key_nickname=e.key_nickname,
        key_env=e.key_env,
        options=dict(e.options or {}),
        is_local=is_local_url(e.base_url),
        created_at=e.created_at,
        updated_at=e.updated_at,
    )
