"""Tools in chat (issue 16): which tool sources a thread and a preset offer the model, the
tools a user approved "always" in a thread, and tool rounds kept as messages.

- ``conversations.tools`` / ``presets.tools``: JSON lists of "server" or "server:tool".
- ``conversations.tool_approvals``: JSON list of "server:tool" approved for the thread.
- ``messages.tool``: a round's calls on the answer that asked for them, or what a result
  answers; the text of a result is the message's ``content``, so it is searched and
  exported like any other message.

Row-level security needs nothing new: the columns belong to tables whose policies already
limit every query to one's own threads, messages and presets.

Revision ID: 0019_chat_tools
Revises: 0018_mcp_servers
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL, JSON text on SQLite (promptterm.db.types.JSONType, frozen here).
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0019_chat_tools"
down_revision: str | None = "0018_mcp_servers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default) on both databases: no table rebuild, so the
    # messages' full-text index (keyed on their rowids, see 0008) stays as it is.
    op.add_column("conversations", sa.Column("tools", JSON, nullable=True))
    op.add_column("conversations", sa.Column("tool_approvals", JSON, nullable=True))
    op.add_column("presets", sa.Column("tools", JSON, nullable=True))
    op.add_column("messages", sa.Column("tool", JSON, nullable=True))


def downgrade() -> None:
    op.drop_column("messages", "tool")
    op.drop_column("presets", "tools")
    op.drop_column("conversations", "tool_approvals")
    op.drop_column("conversations", "tools")
