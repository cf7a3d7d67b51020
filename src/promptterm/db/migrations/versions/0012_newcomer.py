"""What a new user tripped over (issue 13): chat drafts per thread, project names unique.

- ``chat_drafts``: the text left in a thread's composer, one row per person per thread (and
  one with a null thread for the new thread not made yet). Personal, with row-level security
  on PostgreSQL like 0006.
- ``projects``: a name is unique in its workspace, as the slug is. Existing duplicates (names
  that differ only in case count too) are renamed first, keeping the oldest project's name
  and giving the others " (2)", " (3)"..., so the upgrade never fails and loses no row.

Revision ID: 0012_newcomer
Revises: 0010_rls_matches_services
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from promptterm.db.migrations.personal_table import own_rows_only

revision: str = "0012_newcomer"
down_revision: str | None = "0010_rls_matches_services"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRAFTS = "chat_drafts"
NAME_LIMIT = 100


def upgrade() -> None:
    op.create_table(
        DRAFTS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_chat_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_chat_drafts_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_drafts")),
        sa.UniqueConstraint(
            "user_id", "conversation_id", name=op.f("uq_chat_drafts_user_id_conversation_id")
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        own_rows_only(DRAFTS)

    _dedupe_project_names()
    with op.batch_alter_table("projects") as batch:
        batch.create_unique_constraint(
            op.f("uq_projects_workspace_id_name"), ["workspace_id", "name"]
        )


def _dedupe_project_names() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, workspace_id, name FROM projects ORDER BY created_at, id")
    ).all()
    taken: dict[object, set[str]] = {}
    for row in rows:
        taken.setdefault(row.workspace_id, set()).add(row.name.casefold())
    seen: dict[object, set[str]] = {}
    for row in rows:
        names = seen.setdefault(row.workspace_id, set())
        if row.name.casefold() not in names:
            names.add(row.name.casefold())
            continue
        n = 2
        while True:
            suffix = f" ({n})"
            candidate = row.name[: NAME_LIMIT - len(suffix)] + suffix
            if candidate.casefold() not in taken[row.workspace_id]:
                break
            n += 1
        taken[row.workspace_id].add(candidate.casefold())
        names.add(candidate.casefold())
        bind.execute(
            sa.text("UPDATE projects SET name = :name WHERE id = :id"),
            {"name": candidate, "id": row.id},
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.drop_constraint(op.f("uq_projects_workspace_id_name"), type_="unique")
    op.drop_table(DRAFTS)
