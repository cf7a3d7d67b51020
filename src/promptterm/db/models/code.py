"""A coding workspace's runs and environment (seed 002, issue 19).

``code_runs`` joins the seed's ``terminal_sessions`` (command, output, exit code, duration,
working folder) and ``code_executions`` (language, status, time, memory) into one row per
run: a command, or a file run with its language's interpreter. ``output`` keeps the last
lines (masked); the whole output is in ``output_path``, a file under the data folder.

``project_env_vars`` is the seed's ``environment_variables``: names and plain values here,
secret values only in the OS keyring (``value`` is null for a secret).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, ts_field

RUN_KINDS = "('command', 'file')"
RUN_STATUSES = "('running', 'completed', 'failed', 'timeout', 'killed', 'error')"


class CodeRun(SQLModel, table=True):
    __tablename__ = "code_runs"
    __table_args__ = (
        Index(None, "project_id", "user_id", "created_at"),
        CheckConstraint(f"kind IN {RUN_KINDS}", name="kind"),
        CheckConstraint(f"status IN {RUN_STATUSES}", name="status"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    kind: str = Field(max_length=16)
    command: str = Field(sa_type=Text)
    language: str | None = Field(default=None, max_length=50)
    file_path: str | None = None
    working_directory: str
    status: str = Field(max_length=16)
    exit_code: int | None = None
    duration_ms: int | None = None
    memory_kb: int | None = None
    timeout_s: float | None = None
    output: str = Field(default="", sa_type=Text)
    output_bytes: int = 0
    output_path: str | None = None
    created_at: datetime = created_field()
    finished_at: datetime | None = ts_field()


class ProjectEnvVar(SQLModel, table=True):
    __tablename__ = "project_env_vars"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    key: str = Field(max_length=128)
    value: str | None = Field(default=None, sa_type=Text)  # null when secret
    is_secret: bool = False
    created_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
