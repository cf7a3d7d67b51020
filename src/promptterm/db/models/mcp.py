"""MCP servers (seed 001 ``mcp_servers``, issue 16) and the short history of their checks.

Secret values (environment values of a stdio server, header values of an HTTP one) are never
columns: the rows name them, the OS keyring keeps them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field, ts_field
from promptterm.db.types import JSONType

MCP_TRANSPORTS = ("stdio", "http")
MCP_STATUSES = ("active", "inactive", "error")


class McpServer(SQLModel, table=True):
    __tablename__ = "mcp_servers"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        Index(None, "status"),
        Index(None, "workspace_id"),
        CheckConstraint(f"transport IN {MCP_TRANSPORTS}", name="transport"),
        CheckConstraint(f"status IN {MCP_STATUSES}", name="status"),
        CheckConstraint("length(name) BETWEEN 1 AND 100", name="name_length"),
        # A stdio server runs a command on the machine of whoever starts it: only its owner's
        # registration may do that, so only HTTP servers are shared with a workspace.
        CheckConstraint("workspace_id IS NULL OR transport = 'http'", name="shared_is_http"),
        CheckConstraint(
            "(transport = 'stdio' AND command IS NOT NULL)"
            " OR (transport = 'http' AND url IS NOT NULL)",
            name="endpoint_given",
        ),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE")
    workspace_id: uuid.UUID | None = fk("workspaces.id", "CASCADE", nullable=True)
    name: str = Field(max_length=100)
    description: str | None = None
    # What a person reads as "where it is": the URL, or the command line.
    endpoint: str = Field(max_length=2000)
    transport: str = Field(max_length=8)
    command: str | None = Field(default=None, max_length=1000)
    args: list[str] = json_field([])
    cwd: str | None = Field(default=None, max_length=1000)
    env_names: list[str] = json_field([])
    url: str | None = Field(default=None, max_length=2000)
    header_names: list[str] = json_field([])
    enabled: bool = Field(default=True)
    status: str = Field(default="inactive", max_length=8)
    last_health_check: datetime | None = ts_field()
    last_error: str | None = None
    latency_ms: int | None = None
    protocol_version: str | None = Field(default=None, max_length=32)
    server_version: str | None = Field(default=None, max_length=200)
    tool_count: int | None = None
    prompt_count: int | None = None
    resource_count: int | None = None
    tools_tokens: int | None = None
    # Settings of the registration (timeouts); what the last good check found (tools with
    # their schemas, prompts, resources) lives in metadata, for chat to read without a call.
    config: dict[str, Any] = json_field({})
    # "metadata" is taken on a SQLModel class: the column keeps the seed's name.
    meta: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column("metadata", JSONType, nullable=False)
    )
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class McpCheck(SQLModel, table=True):
    """One health check; the newest few per server are kept (services/mcp/registry.py)."""

    __tablename__ = "mcp_checks"
    __table_args__ = (
        Index(None, "server_id", "checked_at"),
        CheckConstraint(f"status IN {MCP_STATUSES}", name="status"),
    )

    id: uuid.UUID = id_field()
    server_id: uuid.UUID = fk("mcp_servers.id", "CASCADE")
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    checked_at: datetime = created_field()
    status: str = Field(max_length=8)
    latency_ms: int | None = None
    error: str | None = None
    tool_count: int | None = None
