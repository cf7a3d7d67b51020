"""The plan area's documents (seed 004): notes, one PRD per project, customer profiles, and
the versions every note and PRD save leaves behind.

Versions live in ``plan_doc_versions``, not in the files domain's ``file_versions``: those
rows hang off a ``files`` row of a project and are read under the project's rules, while a
note may be personal (no project at all). The approach is the files domain's: a head number
on the document moved by a conditional UPDATE from the version the edit started from, so two
saves on the same base can never both land, and one row per version that is never rewritten.
A version keeps the whole document as Markdown: notes and PRDs are pages, not megabytes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field


class PlanNote(SQLModel, table=True):
    """Personal when ``project_id`` is None (only its author sees it), else the project's."""

    __tablename__ = "plan_notes"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    project_id: uuid.UUID | None = fk("projects.id", "CASCADE", nullable=True, index=True)
    title: str = Field(max_length=200)
    content: str = ""
    version: int = Field(default=1)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class PlanPrd(SQLModel, table=True):
    __tablename__ = "plan_prds"

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = Field(
        foreign_key="projects.id", ondelete="CASCADE", nullable=False, unique=True
    )
    problem: str = ""
    solution: str = ""
    target_audience: str = ""
    tech_stack: str = ""
    success_metrics: str = ""
    # [{"name": ..., "content": ...}, ...] in the order shown.
    custom_sections: list[Any] = json_field([])
    version: int = Field(default=1)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class PlanDocVersion(SQLModel, table=True):
    """One saved version of a note or a PRD: exactly one of the two, never rewritten."""

    __tablename__ = "plan_doc_versions"
    __table_args__ = (
        CheckConstraint("(note_id IS NULL) <> (prd_id IS NULL)", name="one_document"),
        CheckConstraint("number >= 1", name="number_positive"),
        Index(None, "note_id", "number", unique=True),
        Index(None, "prd_id", "number", unique=True),
    )

    id: uuid.UUID = id_field()
    note_id: uuid.UUID | None = fk("plan_notes.id", "CASCADE", nullable=True)
    prd_id: uuid.UUID | None = fk("plan_prds.id", "CASCADE", nullable=True)
    number: int
    title: str = Field(default="", max_length=200)
    body: str = ""
    created_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()


class PlanCustomer(SQLModel, table=True):
    """A customer profile; at most one per project is the selected one."""

    __tablename__ = "plan_customers"
    __table_args__ = (
        Index(
            "uq_plan_customers_one_selected",
            "project_id",
            unique=True,
            sqlite_where=text("is_selected"),
            postgresql_where=text("is_selected"),
        ),
    )

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE", index=True)
    name: str = Field(max_length=200)
    overview: str = ""
    background: str = ""
    problems: str = ""
    # Criterion -> score (0..10), as the seed's scoring JSON.
    scoring: dict[str, Any] = json_field({})
    is_selected: bool = Field(default=False)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
