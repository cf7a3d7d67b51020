"""What the MCP screen's workers post back (workers never touch widgets)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from promptterm.services.mcp import McpServerInfo


@dataclass
class ServersLoaded(Message):
    servers: list[McpServerInfo]
    read: int = 0  # its number in McpScreen.reads (an older read is not shown)


@dataclass
class CheckStarted(Message):
    server_id: uuid.UUID


@dataclass
class CheckDone(Message):
    server: McpServerInfo


@dataclass
class ServersChanged(Message):
    """A server was added, edited, switched or removed: reload, and say ``said``."""

    said: str
    select: uuid.UUID | None = None
