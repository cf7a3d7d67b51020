"""MCP servers (issue 16): the seed's ``mcp_servers`` registry and a short check history.

``mcp_servers`` keeps the seed 001 columns (name, description, endpoint, status
active/inactive/error defaulting to inactive, last_health_check, config, metadata; indexed by
status) and what a health check and a connection need: the owner, an optional workspace it is
shared with (HTTP servers only: a stdio server runs a command on the machine of whoever starts
it), the transport, command/args/folder or URL, the *names* of environment variables and
headers (their values live in the OS keyring), an enabled flag, and what the last check found.
``mcp_checks`` keeps the newest checks of each server.

Row-level security (PostgreSQL): a server is its owner's to change; the members of the
workspace it is shared with may read it. Checks are read and written by their own user only,
and only on a server they can see.

Revision ID: 0018_mcp_servers
Revises: 0017_prompt_sharing
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from promptterm.db.migrations.row_security import secure_tables

revision: str = "0018_mcp_servers"
down_revision: str | None = "0017_prompt_sharing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
EDITORS = "('owner', 'admin', 'member')"
OWN = "user_id = promptterm_uid()"
SHARED_WITH_ME = "(workspace_id IS NOT NULL AND promptterm_role(workspace_id) IS NOT NULL)"
# Sharing with a workspace needs an editing role in it (a viewer cannot add to it).
SHARE_ALLOWED = f"(workspace_id IS NULL OR promptterm_role(workspace_id) IN {EDITORS})"

POLICIES = (
    f"CREATE POLICY mcp_servers_read ON mcp_servers FOR SELECT USING ({OWN} OR {SHARED_WITH_ME})",
    "CREATE POLICY mcp_servers_insert ON mcp_servers FOR INSERT"
    f" WITH CHECK ({OWN} AND {SHARE_ALLOWED})",
    f"CREATE POLICY mcp_servers_update ON mcp_servers FOR UPDATE USING ({OWN})"
    f" WITH CHECK ({OWN} AND {SHARE_ALLOWED})",
    f"CREATE POLICY mcp_servers_delete ON mcp_servers FOR DELETE USING ({OWN})",
    f"CREATE POLICY mcp_checks_own ON mcp_checks FOR ALL USING ({OWN})"
    f" WITH CHECK ({OWN} AND server_id IN (SELECT id FROM mcp_servers))",
)


def upgrade() -> None:
    op.create_table(
        "mcp_servers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("endpoint", sa.String(length=2000), nullable=False),
        sa.Column("transport", sa.String(length=8), nullable=False),
        sa.Column("command", sa.String(length=1000), nullable=True),
        sa.Column("args", JSON, nullable=False),
        sa.Column("cwd", sa.String(length=1000), nullable=True),
        sa.Column("env_names", JSON, nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("header_names", JSON, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("last_health_check", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("protocol_version", sa.String(length=32), nullable=True),
        sa.Column("server_version", sa.String(length=200), nullable=True),
        sa.Column("tool_count", sa.Integer(), nullable=True),
        sa.Column("prompt_count", sa.Integer(), nullable=True),
        sa.Column("resource_count", sa.Integer(), nullable=True),
        sa.Column("tools_tokens", sa.Integer(), nullable=True),
        sa.Column("config", JSON, nullable=False),
        sa.Column("metadata", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("transport IN ('stdio', 'http')", name=op.f("ck_mcp_servers_transport")),
        sa.CheckConstraint(
            "status IN ('active', 'inactive', 'error')", name=op.f("ck_mcp_servers_status")
        ),
        sa.CheckConstraint(
            "length(name) BETWEEN 1 AND 100", name=op.f("ck_mcp_servers_name_length")
        ),
        sa.CheckConstraint(
            "workspace_id IS NULL OR transport = 'http'", name=op.f("ck_mcp_servers_shared_is_http")
        ),
        sa.CheckConstraint(
            "(transport = 'stdio' AND command IS NOT NULL)"
            " OR (transport = 'http' AND url IS NOT NULL)",
            name=op.f("ck_mcp_servers_endpoint_given"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mcp_servers_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_mcp_servers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mcp_servers")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_mcp_servers_user_id_name")),
    )
    op.create_index(op.f("ix_mcp_servers_status"), "mcp_servers", ["status"])
    op.create_index(op.f("ix_mcp_servers_workspace_id"), "mcp_servers", ["workspace_id"])

    op.create_table(
        "mcp_checks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("server_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("tool_count", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'inactive', 'error')", name=op.f("ck_mcp_checks_status")
        ),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["mcp_servers.id"],
            name=op.f("fk_mcp_checks_server_id_mcp_servers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mcp_checks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mcp_checks")),
    )
    op.create_index(
        op.f("ix_mcp_checks_server_id_checked_at"), "mcp_checks", ["server_id", "checked_at"]
    )
    op.create_index(op.f("ix_mcp_checks_user_id"), "mcp_checks", ["user_id"])

    if op.get_bind().dialect.name == "postgresql":
        _row_level_security()


def _row_level_security() -> None:
    secure_tables(("mcp_servers", "mcp_checks"), POLICIES, "the MCP tables")


def downgrade() -> None:
    op.drop_table("mcp_checks")
    op.drop_table("mcp_servers")
