"""MCP servers (issue 16): a registry with health checks, and what chat needs from them.

The face other domains and the screens import from; each name's module loads on first use
(services/faces.py), and the SDK itself only when a connection is made.

For chat: ``tool_definitions(ctx, servers)`` and ``await call_tool(ctx, server, tool,
arguments, timeout)`` (services/mcp/calls.py); ``connect_chat_tools(get_ctx)`` makes the
registered servers the chat's tool sources (services/mcp/tool_source.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.mcp.attachments import Attachment as Attachment
    from promptterm.services.mcp.attachments import attach_resource as attach_resource
    from promptterm.services.mcp.attachments import attachment_block as attachment_block
    from promptterm.services.mcp.attachments import read_attachment as read_attachment
    from promptterm.services.mcp.attachments import split_ref as split_ref
    from promptterm.services.mcp.attachments import with_attachments as with_attachments
    from promptterm.services.mcp.calls import ToolDefinition as ToolDefinition
    from promptterm.services.mcp.calls import ToolResult as ToolResult
    from promptterm.services.mcp.calls import call_tool as call_tool
    from promptterm.services.mcp.calls import get_prompt_text as get_prompt_text
    from promptterm.services.mcp.calls import read_resource as read_resource
    from promptterm.services.mcp.calls import read_resource_text as read_resource_text
    from promptterm.services.mcp.calls import tool_definitions as tool_definitions
    from promptterm.services.mcp.checks import check_server as check_server
    from promptterm.services.mcp.checks import check_servers as check_servers
    from promptterm.services.mcp.checks import run_checks as run_checks
    from promptterm.services.mcp.models import CheckInfo as CheckInfo
    from promptterm.services.mcp.models import McpServerInfo as McpServerInfo
    from promptterm.services.mcp.probe import Probe as Probe
    from promptterm.services.mcp.prompt_import import import_prompt as import_prompt
    from promptterm.services.mcp.registry import McpService as McpService
    from promptterm.services.mcp.tool_source import McpToolSource as McpToolSource
    from promptterm.services.mcp.tool_source import connect_chat_tools as connect_chat_tools

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "attachments": (
            "Attachment",
            "attach_resource",
            "attachment_block",
            "read_attachment",
            "split_ref",
            "with_attachments",
        ),
        "calls": (
            "ToolDefinition",
            "ToolResult",
            "call_tool",
            "get_prompt_text",
            "read_resource",
            "read_resource_text",
            "tool_definitions",
        ),
        "checks": ("check_server", "check_servers", "run_checks"),
        "models": ("CheckInfo", "McpServerInfo"),
        "probe": ("Probe",),
        "prompt_import": ("import_prompt",),
        "registry": ("McpService",),
        "tool_source": ("McpToolSource", "connect_chat_tools"),
    },
)
