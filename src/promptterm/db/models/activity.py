"""The activity log: every provider call (kind "api") and every error the app caught (kind
"error"), the user's own. Fields follow the seeds' ``api_logs``/``openai_logs`` (endpoint,
status, duration, tokens, request and response bodies) and ``error_logs`` (type, message,
stack trace, severity, context).

Append-only: rows are written once and only retention deletes them. ``size`` is what the row
holds in characters, so retention can keep the log under its size cap without measuring the
database file. Thread and message ids are plain columns, not foreign keys: the log outlives
what it mentions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, Numeric, Text
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import fk, id_field, json_field, ts_field

KINDS = ("api", "error")
SEVERITIES = ("fatal", "error", "warning", "info")
_PROVIDER_MODEL = ("user_id", "provider", "model", "at", "id")


class ActivityEntry(SQLModel, table=True):
    __tablename__ = "activity_log"
    # Every list is one user's newest first, keyset-paged on (at, id): each filter has an
    # index that ends in (at, id) so that a page is an index range scan.
    __table_args__ = (
        Index("ix_activity_log_user_id_at_id", "user_id", "at", "id"),
        Index("ix_activity_log_user_id_kind_at_id", "user_id", "kind", "at", "id"),
        Index("ix_activity_log_user_id_provider_at_id", "user_id", "provider", "at", "id"),
        Index("ix_activity_log_user_id_model_at_id", "user_id", "model", "at", "id"),
        Index("ix_activity_log_user_id_status_at_id", "user_id", "status", "at", "id"),
        # 0030: provider and model together. Its text search (an FTS5 table on SQLite, a
        # pg_trgm index on PostgreSQL) is made in raw SQL there, outside the models.
        Index("ix_activity_log_user_id_provider_model_at_id", *_PROVIDER_MODEL),
        Index("ix_activity_log_user_id_endpoint", "user_id", "endpoint"),  # its few values
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    at: datetime = ts_field(nullable=False)
    kind: str = Field(max_length=8)
    # api: HTTP status ("401") or outcome ("ok", "error", "stopped"); error: the severity.
    status: str = Field(max_length=16)
    provider: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=200)
    endpoint: str | None = Field(default=None, max_length=500)
    duration_ms: int | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: Decimal | None = Field(default=None, sa_type=Numeric(14, 6))
    thread_id: uuid.UUID | None = None
    message_id: uuid.UUID | None = None
    error_type: str | None = Field(default=None, max_length=200)
    message: str | None = Field(default=None, sa_type=Text)
    traceback: str | None = Field(default=None, sa_type=Text)
    # What the user was doing: {"area": "chat", "action": "send"} (errors), or call details.
    context: dict[str, Any] = json_field({})
    request_body: str | None = Field(default=None, sa_type=Text)
    response_body: str | None = Field(default=None, sa_type=Text)
    size: int = Field(default=0)
