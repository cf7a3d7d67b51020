"""How a tool source's name ("files", from a thread's settings or ``ask --tools files``)
becomes a ToolSource: a hook the app connects to its MCP server registry at start.

    set_tool_resolver(resolver: Callable[[str], ToolSource | None] | None) -> None
    resolve_tools(refs: Sequence[str]) -> list[ToolSource]

The resolver gets a source's name (never "name:tool") and returns its ToolSource, or
None when there is no such source. "server:tool" offers only that tool of the server.
Until a resolver is set every name is unknown, said so in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from promptterm.services.chat.tools.source import ToolResult, ToolSource, ToolSpec
from promptterm.services.errors import NotFound, ValidationError

ToolResolver = Callable[[str], ToolSource | None]
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(:[A-Za-z0-9][A-Za-z0-9._/-]{0,127})?$")

_resolver: ToolResolver | None = None


def set_tool_resolver(resolver: ToolResolver | None) -> None:
    """Connect (or, with None, disconnect) the registry that knows the tool sources."""
    global _resolver
    _resolver = resolver


def check_refs(refs: Sequence[str]) -> list[str]:
    """Tool source names as a thread stores them: "server" or "server:tool", each once."""
    clean: list[str] = []
    for ref in refs:
        ref = ref.strip()
        if not _REF.match(ref):
            raise ValidationError(
                f"{ref!r} is not a tool source: write SERVER or SERVER:TOOL "
                "(letters, digits, dot, dash, underscore).",
                "tools",
            )
        if ref not in clean:
            clean.append(ref)
    return clean


def resolve_tools(refs: Sequence[str]) -> list[ToolSource]:
    """The sources ``refs`` name, in order; a name the registry does not know is refused."""
    by_server: dict[str, list[str] | None] = {}
    for ref in check_refs(refs):
        server, _, tool = ref.partition(":")
        if not tool:
            by_server[server] = None  # the whole server wins over single tools of it
        elif server not in by_server or by_server[server] is not None:
            by_server.setdefault(server, [])
            tools = by_server[server]
            assert tools is not None
            tools.append(tool)
    sources: list[ToolSource] = []
    for server, only in by_server.items():
        source = _resolver(server) if _resolver is not None else None
        if source is None:
            raise NotFound(
                f"There is no tool source called {server!r}. "
                + (
                    "Register it as an MCP server first."
                    if _resolver is not None
                    else "No MCP server registry is connected to this promptterm."
                )
            )
        sources.append(source if only is None else OnlyTools(source, only))
    return sources


class OnlyTools:
    """A source showing only some of its tools ("server:tool")."""

    def __init__(self, source: ToolSource, tools: Sequence[str]) -> None:
        self.source = source
        self.name = source.name
        self.tools = list(tools)

    def definitions(self) -> list[ToolSpec]:
        specs = {spec.name: spec for spec in self.source.definitions()}
        missing = [t for t in self.tools if t not in specs]
        if missing:
            raise NotFound(f"The tool source {self.name!r} has no tool called {missing[0]!r}.")
        return [specs[t] for t in self.tools]

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        if name not in self.tools:
            return ToolResult(f"{self.name}:{name} is not offered in this thread.", True)
        return await self.source.call(name, arguments)
