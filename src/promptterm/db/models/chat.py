"""Conversations and their messages (seed 002, seed 003 Chat / Message_v2, seed 004 openai_logs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, Numeric
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field
from promptterm.db.types import JSONType

MESSAGE_ROLES = ("user", "assistant", "system")
MESSAGE_STATUSES = ("complete", "streaming", "stopped", "error")


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"
    __table_args__ = (
        Index(None, "user_id", "updated_at"),
        Index(None, "project_id"),
        Index(None, "current_preset_id"),
        # One copy of each imported thread per person (migration 0016).
        Index(None, "user_id", "import_source", "import_key", unique=True),
        CheckConstraint("total_tokens >= 0", name="total_tokens_positive"),
    )

    id: uuid.UUID = id_field()
    # A thread belongs to a project, or is global to its user when project_id is null.
    project_id: uuid.UUID | None = fk("projects.id", "CASCADE", nullable=True)
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    title: str | None = Field(default=None, max_length=200)
    context: dict[str, Any] = json_field({})
    is_archived: bool = Field(default=False)
    current_preset_id: uuid.UUID | None = fk("presets.id", "SET NULL", nullable=True)
    # [{timestamp, preset_id, preset_name, changed_components}] as in seed 003.
    preset_history: list[Any] = json_field([])
    total_tokens: int = Field(default=0)
    provider: str | None = Field(default=None, max_length=64)
    model: str | None = Field(default=None, max_length=128)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    # Where an imported thread came from (chatgpt, claude, llm, elia, oterm) and its id there;
    # null for threads made here.
    import_source: str | None = Field(default=None, max_length=16)
    import_key: str | None = Field(default=None, max_length=255)
    # Tool sources the thread offers the model: "server" or "server:tool" (migration 0019),
    # and the tools ("server:tool") the user approved "always" for this thread.
    tools: list[str] | None = Field(default=None, sa_type=JSONType, nullable=True)
    tool_approvals: list[str] | None = Field(default=None, sa_type=JSONType, nullable=True)


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        # Unique: two sessions appending at once cannot both take the same position.
        Index(None, "conversation_id", "seq", unique=True),
        CheckConstraint(f"role IN {MESSAGE_ROLES}", name="role"),
        CheckConstraint(f"status IN {MESSAGE_STATUSES}", name="status"),
    )

    id: uuid.UUID = id_field()
    conversation_id: uuid.UUID = fk("conversations.id", "CASCADE")
    # Position in the thread; timestamps can tie, this never does.
    seq: int
    role: str = Field(max_length=16)
    content: str
    status: str = Field(default="complete", max_length=16)
    # "metadata" is reserved by SQLAlchemy's declarative base, hence the attribute name.
    meta: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONType,
        sa_column_kwargs={"name": "metadata"},
        nullable=False,
    )
    tokens_in: int | None = None
    tokens_out: int | None = None
    tokens_estimated: bool = Field(default=False)
    provider: str | None = Field(default=None, max_length=64)
    model: str | None = Field(default=None, max_length=128)
    cost_usd: Decimal | None = Field(default=None, sa_type=Numeric(14, 6))
    created_at: datetime = created_field()
    # A tool round (migration 0019): on an answer, {"calls": [{id, name, label, arguments,
    # raw, error}]}: what the model asked to run; on a tool's result (role "user", as the
    # result travels in the user's turn), {"result_of": call id, "label", "decision",
    # "is_error", "seconds"}. Null on every other message.
    tool: dict[str, Any] | None = Field(default=None, sa_type=JSONType, nullable=True)
