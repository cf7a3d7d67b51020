"""What a person has typed in a chat thread's composer and not sent yet: one draft per
thread, and one for the new thread not made yet (``conversation_id`` null). Kept like an
editor's hot exit, so a draft survives switching threads and restarting the app."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field


class ChatDraft(SQLModel, table=True):
    __tablename__ = "chat_drafts"
    __table_args__ = (UniqueConstraint("user_id", "conversation_id"),)

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    conversation_id: uuid.UUID | None = fk("conversations.id", "CASCADE", nullable=True)
    text: str = Field(default="")
    updated_at: datetime = created_field()
