"""Provider entries: the user's named LLM endpoints (kind, base URL, default model, which key).

No secret here: an entry names the key by nickname (from ``api_keys``, whose secret is in
the OS keyring) or by environment variable name, or uses none (a local server).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field

PROVIDER_KINDS = ("openai-compatible", "anthropic")


class ProviderEntry(SQLModel, table=True):
    __tablename__ = "provider_entries"
    __table_args__ = (
        # Also serves lookups by user (its first column), so no separate user_id index.
        UniqueConstraint("user_id", "name"),
        CheckConstraint(f"kind IN {PROVIDER_KINDS}", name="kind"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    name: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    base_url: str = Field(max_length=500)
    default_model: str | None = Field(default=None, max_length=128)
    key_nickname: str | None = Field(default=None, max_length=255)
    key_env: str | None = Field(default=None, max_length=128)
    # Per-entry tuning (slow local models...):
    # {"read_timeout": s, "no_content_timeout": s, "max_tokens": n}.
    options: dict[str, Any] = json_field({})
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
