"""The plan area's user flows (seed 004 ``flow_pages``/``flow_connections``): the pages of a
product a user walks through, each with what it shows and which features it carries, and
the arrows between them.

Positions are whole numbers (the seed's doubles): they place a page on a text grid, where a
fraction of a cell means nothing. ``features`` is a JSON list of short names, as in the seed.
A connection joins two pages of its own project, never a page to itself, at most once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field
from promptterm.db.vocab import PLAN_STATUSES


class FlowPage(SQLModel, table=True):
    __tablename__ = "flow_pages"
    __table_args__ = (
        CheckConstraint(f"implementation_status IN {PLAN_STATUSES}", name="status"),
        Index(None, "project_id"),
    )

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    name: str = Field(max_length=200)
    description: str | None = None
    layout_description: str | None = None
    features: list[str] = json_field([])
    implementation_status: str = Field(default="not_started", max_length=16)
    position_x: int = Field(default=0)
    position_y: int = Field(default=0)
    created_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class FlowConnection(SQLModel, table=True):
    __tablename__ = "flow_connections"
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_self"),
        UniqueConstraint("source_id", "target_id"),
        Index(None, "project_id"),
    )

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    source_id: uuid.UUID = fk("flow_pages.id", "CASCADE")
    target_id: uuid.UUID = fk("flow_pages.id", "CASCADE", index=True)
    created_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()
