"""The registry's servers as the chat's tool sources: what connects ``ask --tools files`` and
a thread's f12 choice to a registered MCP server.

    connect_chat_tools(get_ctx)   # once, where the app or the CLI opens its services

The chat knows only its ToolSource protocol and a resolver hook (services/chat/tools); this
module is the one place the two domains meet, so the chat never imports MCP. Definitions are
the server's last good check (a read of its row: cheap, no connection, safe from any
thread); a call goes through ``call_tool`` over the process's session pool (pool.py: a
session stays open between calls; the app and the CLI close it at exit). The chat applies
the approval and the timeout; the bound here is only a backstop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from promptterm.services.chat import ToolResult, ToolSource, ToolSpec, set_tool_resolver
from promptterm.services.errors import NotFound

if TYPE_CHECKING:  # the context loads SQLAlchemy: the app connects this before the database
    from promptterm.services.context import ServiceContext
    from promptterm.services.mcp.models import McpServerInfo

# The chat's own timeout ([tools] timeout) stops a call first; this only keeps a call whose
# chat timeout was set very high from holding a connection for ever.
BACKSTOP_SECONDS = 24 * 3600.0


class McpToolSource:
    """One registered server, as the chat sees it. Made for one send (by the resolver,
    which has just read the server): its definitions come from that read, not another."""

    def __init__(
        self, get_ctx: Callable[[], ServiceContext], name: str, info: McpServerInfo | None = None
    ) -> None:
        self._get_ctx = get_ctx
        self.name = name
        self._info = info

    def definitions(self) -> list[ToolSpec]:
        from promptterm.services.mcp.calls import definitions_of, tool_definitions

        found = (
            definitions_of(self._info)
            if self._info is not None
            else tool_definitions(self._get_ctx(), [self.name])
        )
        return [
            ToolSpec(d.name, d.description, d.input_schema or {"type": "object"}, self.name)
            for d in found
        ]

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        from promptterm.services.mcp.calls import call_tool
        from promptterm.services.mcp.pool import shared_pool

        done = await call_tool(
            self._get_ctx(), self.name, name, arguments, BACKSTOP_SECONDS, shared_pool()
        )
        return ToolResult(done.text, done.is_error)


def tool_resolver(get_ctx: Callable[[], ServiceContext]) -> Callable[[str], ToolSource | None]:
    """``name -> ToolSource``: a registered server the user can see, or None."""

    def resolve(name: str) -> ToolSource | None:
        from promptterm.services.mcp.registry import McpService

        try:
            info = McpService(get_ctx()).get(name)
        except NotFound:
            return None
        return McpToolSource(get_ctx, info.name, info)

    return resolve


def connect_chat_tools(get_ctx: Callable[[], ServiceContext]) -> None:
    """Let the chat's tool names ("files", "files:read") reach the MCP server registry."""
    set_tool_resolver(tool_resolver(get_ctx))
