"""What the MCP services hand out: plain frozen data, never ORM rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from promptterm.db.models import McpCheck, McpServer
from promptterm.services.mcp.probe import PromptDef, ResourceDef, ToolDef


@dataclass(frozen=True)
class McpServerInfo:
    id: uuid.UUID
    name: str
    description: str | None
    transport: str
    endpoint: str
    command: str | None
    args: tuple[str, ...]
    cwd: str | None
    env_names: tuple[str, ...]
    url: str | None
    header_names: tuple[str, ...]
    enabled: bool
    status: str
    last_health_check: datetime | None
    last_error: str | None
    latency_ms: int | None
    protocol_version: str | None
    server_version: str | None
    tool_count: int | None
    prompt_count: int | None
    resource_count: int | None
    tools_tokens: int | None
    workspace_id: uuid.UUID | None
    owned: bool
    tools: tuple[ToolDef, ...]
    prompts: tuple[PromptDef, ...]
    resources: tuple[ResourceDef, ...]
    updated_at: datetime


@dataclass(frozen=True)
class CheckInfo:
    checked_at: datetime
    status: str
    latency_ms: int | None
    error: str | None
    tool_count: int | None


def server_info(row: McpServer, user_id: uuid.UUID) -> McpServerInfo:
    found: dict[str, Any] = row.meta.get("found", {}) if row.meta else {}
    return McpServerInfo(
        id=row.id,
        name=row.name,
        description=row.description,
        transport=row.transport,
        endpoint=row.endpoint,
        command=row.command,
        args=tuple(row.args or ()),
        cwd=row.cwd,
        env_names=tuple(row.env_names or ()),
        url=row.url,
        header_names=tuple(row.header_names or ()),
        enabled=row.enabled,
        status=row.status,
        last_health_check=row.last_health_check,
        last_error=row.last_error,
        latency_ms=row.latency_ms,
        protocol_version=row.protocol_version,
        server_version=row.server_version,
        tool_count=row.tool_count,
        prompt_count=row.prompt_count,
        resource_count=row.resource_count,
        tools_tokens=row.tools_tokens,
        workspace_id=row.workspace_id,
        owned=row.user_id == user_id,
        tools=tuple(ToolDef(**t) for t in found.get("tools", ())),
        prompts=tuple(
            PromptDef(p["name"], p["description"], tuple(tuple(a) for a in p["arguments"]))  # type: ignore[misc]
            for p in found.get("prompts", ())
        ),
        resources=tuple(ResourceDef(**r) for r in found.get("resources", ())),
        updated_at=row.updated_at,
    )


def check_info(row: McpCheck) -> CheckInfo:
    return CheckInfo(row.checked_at, row.status, row.latency_ms, row.error, row.tool_count)
