"""What the chat needs from a source of tools (an MCP server, through an adapter the
registry provides; plain functions in tests): its tools' definitions, and a call.

    class ToolSource(Protocol):
        name: str                                   # "files": what "files" or "files:read" names
        def definitions(self) -> list[ToolSpec]: ...
        async def call(self, name: str, arguments: dict[str, Any]) -> ToolResult: ...

``call`` gets the tool's own name (``ToolSpec.name``), never the name the provider saw;
the chat applies the timeout and the approval, so a source does neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

# How the user answered a call: run it this once, run this tool without asking again in
# this thread, or refuse it.
Decision = Literal["once", "always", "deny"]
DECISIONS: tuple[str, ...] = ("once", "always", "deny")


@dataclass(frozen=True)
class ToolSpec:
    name: str  # the tool's name in its source
    description: str
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    source: str = ""  # the source's name; the label reads "source:name"

    @property
    def label(self) -> str:
        return f"{self.source}:{self.name}" if self.source else self.name


@dataclass(frozen=True)
class ToolResult:
    text: str
    is_error: bool = False


@runtime_checkable
class ToolSource(Protocol):
    name: str

    def definitions(self) -> list[ToolSpec]: ...

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolResult: ...


@dataclass(frozen=True)
class ToolRequest:
    """A call the model asked for, as the user is asked about it."""

    message_id: Any  # uuid.UUID of the answer that asked
    call_id: str
    label: str  # "server:tool", or the name the model used for a tool it was not offered
    arguments: dict[str, Any] | None
    raw_arguments: str
    index: int  # 1-based position among this round's calls
    count: int
