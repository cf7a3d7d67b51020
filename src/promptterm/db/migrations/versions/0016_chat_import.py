"""Threads brought in from other tools remember where they came from (issue 21).

``conversations.import_source`` (chatgpt, claude, llm, elia, oterm) and
``conversations.import_key`` (the thread's id in that source; an earlier branch of it gets
the id of the message it starts at appended) make an import idempotent: a unique index on
(user_id, import_source, import_key) means the same thread can be brought in only once per
person, even by two imports at the same moment. Threads made here keep both null, and nulls
never collide. Messages carry their own source id in ``metadata`` ("import"), looked up only
within a thread already matched here, so ``messages`` is not rewritten (its full-text index
is keyed on its rowids: see 0008).

Row-level security needs nothing new: both columns belong to ``conversations``, whose
policies already limit every query to one's own threads.

Revision ID: 0016_chat_import
Revises: 0015_prompt_editing
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_chat_import"
down_revision: str | None = "0015_prompt_editing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_conversations_user_id_import_source_import_key"


def upgrade() -> None:
    # Plain ADD COLUMN on both databases (nullable, no default): no table rebuild.
    op.add_column("conversations", sa.Column("import_source", sa.String(length=16), nullable=True))
    op.add_column("conversations", sa.Column("import_key", sa.String(length=255), nullable=True))
    op.create_index(INDEX, "conversations", ["user_id", "import_source", "import_key"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="conversations")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), not a batch copy: rebuilding conversations
    # would cascade into its messages.
    op.drop_column("conversations", "import_key")
    op.drop_column("conversations", "import_source")
