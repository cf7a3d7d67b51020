"""The plan area's board: tasks, bugs and features of a project (seed 004), and the links
from a card to a file, a thread or another card.

One table with a ``kind`` column rather than the seed's three: the board shows the three
kinds together in one order per status column, so a move renumbers one ordering in one
table under one lock, a column reads with one indexed query, and the fields the three share
(name, description, status, priority, position) are not written three times. What only
one kind has is nullable and held to its kind by a CHECK: ``bug_url``/``screenshot_url``
for bugs. A feature's seed ``implementation_status`` is its ``status`` here (the column it
stands in), as a task's and a bug's ``status`` is theirs.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field
from promptterm.db.vocab import (
    PLAN_KINDS,
    PLAN_LINK_KINDS,
    PLAN_LINK_RELATIONS,
    PLAN_PRIORITIES,
    PLAN_STATUSES,
)


class PlanItem(SQLModel, table=True):
    __tablename__ = "plan_items"
    __table_args__ = (
        CheckConstraint(f"kind IN {PLAN_KINDS}", name="kind"),
        CheckConstraint(f"status IN {PLAN_STATUSES}", name="status"),
        CheckConstraint(f"priority IN {PLAN_PRIORITIES}", name="priority"),
        CheckConstraint("position >= 0", name="position_positive"),
        CheckConstraint(
            "kind = 'bug' OR (bug_url IS NULL AND screenshot_url IS NULL)", name="bug_fields"
        ),
        # A column of the board: what the board and every move read. Not on position: a move
        # rewrites many positions, and each would move in the index too.
        Index(None, "project_id", "status"),
    )

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    description: str | None = None
    status: str = Field(default="not_started", max_length=16)
    priority: str = Field(default="not-prioritized", max_length=16)
    # The order within (project, status): sort keys with room between them (services/plan/
    # order.py); the service counts a card's place 0, 1, 2... from them.
    position: int = Field(default=0)
    bug_url: str | None = Field(default=None, max_length=2048)
    screenshot_url: str | None = Field(default=None, max_length=2048)
    created_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class PlanLink(SQLModel, table=True):
    """A card points at one file, thread or other card of its project (exactly one)."""

    __tablename__ = "plan_links"
    __table_args__ = (
        CheckConstraint(f"target_kind IN {PLAN_LINK_KINDS}", name="target_kind"),
        CheckConstraint(
            "(target_kind = 'file' AND target_file_id IS NOT NULL"
            " AND target_thread_id IS NULL AND target_item_id IS NULL)"
            " OR (target_kind = 'thread' AND target_thread_id IS NOT NULL"
            " AND target_file_id IS NULL AND target_item_id IS NULL)"
            " OR (target_kind = 'card' AND target_item_id IS NOT NULL"
            " AND target_file_id IS NULL AND target_thread_id IS NULL)",
            name="one_target",
        ),
        CheckConstraint("target_item_id IS NULL OR target_item_id <> item_id", name="not_self"),
        CheckConstraint(
            f"relation IN {PLAN_LINK_RELATIONS} AND (target_kind = 'card' OR relation = 'relates')",
            name="relation",
        ),
        Index(None, "item_id"),
        Index(None, "project_id"),
    )

    id: uuid.UUID = id_field()
    project_id: uuid.UUID = fk("projects.id", "CASCADE")
    item_id: uuid.UUID = fk("plan_items.id", "CASCADE")
    target_kind: str = Field(max_length=8)
    target_file_id: uuid.UUID | None = fk("files.id", "CASCADE", nullable=True, index=True)
    target_thread_id: uuid.UUID | None = fk(
        "conversations.id", "CASCADE", nullable=True, index=True
    )
    target_item_id: uuid.UUID | None = fk("plan_items.id", "CASCADE", nullable=True, index=True)
    # relates, blocks or duplicates (migration 0031): what a card-to-card link means.
    relation: str = Field(
        default="relates", max_length=16, sa_column_kwargs={"server_default": "relates"}
    )
    created_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    created_at: datetime = created_field()
