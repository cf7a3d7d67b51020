"""AI jobs on code and the analyses they leave (seed 002, issue 19).

``ai_jobs`` is the seed's table: one row per question asked of a model about code (explain,
refactor, generate, analyze; "chat" is kept for the seed's sake), with its status (pending →
running → completed / failed / canceled), what was asked (``input``: file, version, lines,
instruction), the answer, the error, tokens, model and duration. Refactor and generate also
keep the change they propose (``proposal``: the whole new file text) and what became of it
(``change_state``).

``code_analyses`` is the seed's table too: an explanation or an analysis (complexity,
security, performance) of a file, kept with the hash of the text it was about and an expiry,
so reopening an unchanged file shows the last one at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, Numeric, Text
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field, ts_field

JOB_KINDS = "('chat', 'refactor', 'explain', 'generate', 'analyze')"
JOB_STATUSES = "('pending', 'running', 'completed', 'failed', 'canceled')"
CHANGE_STATES = "('proposed', 'invalid', 'applied', 'discarded')"
ANALYSIS_KINDS = "('explain', 'complexity', 'security', 'performance')"


class AiJob(SQLModel, table=True):
    __tablename__ = "ai_jobs"
    __table_args__ = (
        Index(None, "user_id", "created_at"),
        CheckConstraint(f"kind IN {JOB_KINDS}", name="kind"),
        CheckConstraint(f"status IN {JOB_STATUSES}", name="status"),
        CheckConstraint(f"change_state IS NULL OR change_state IN {CHANGE_STATES}", name="change"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    file_id: uuid.UUID | None = fk("files.id", "SET NULL", nullable=True, index=True)
    kind: str = Field(max_length=16)
    status: str = Field(max_length=16)
    input: dict[str, Any] = json_field({})
    output: str = Field(default="", sa_type=Text)
    error: str | None = Field(default=None, sa_type=Text)
    provider: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=200)
    tokens_in: int | None = None
    tokens_out: int | None = None
    tokens_estimated: bool = False
    cost_usd: Decimal | None = Field(default=None, sa_type=Numeric(14, 6))
    duration_ms: int | None = None
    proposal: str | None = Field(default=None, sa_type=Text)
    change_state: str | None = Field(default=None, max_length=16)
    applied_version: int | None = None
    created_at: datetime = created_field()
    started_at: datetime | None = ts_field()
    finished_at: datetime | None = ts_field()


class CodeAnalysis(SQLModel, table=True):
    __tablename__ = "code_analyses"
    __table_args__ = (
        Index(None, "file_id", "content_sha256", "created_at"),
        CheckConstraint(f"kind IN {ANALYSIS_KINDS}", name="kind"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    file_id: uuid.UUID = fk("files.id", "CASCADE")
    job_id: uuid.UUID | None = fk("ai_jobs.id", "SET NULL", nullable=True)
    kind: str = Field(max_length=16)
    content_sha256: str = Field(max_length=64)
    file_version: int
    output: str = Field(default="", sa_type=Text)
    model: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_field()
    expires_at: datetime = ts_field(nullable=False)
