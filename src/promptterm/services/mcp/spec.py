"""How to reach one MCP server: what the registry row says, plus its secrets from the keyring.

Built right before a connection and never stored: a ServerSpec is the only place the secret
values meet the rest, and its ``repr`` leaves them out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ServerSpec:
    id: uuid.UUID
    name: str
    transport: str  # "stdio" or "http"
    command: str | None = None
    args: tuple[str, ...] = ()
    cwd: str | None = None
    url: str | None = None
    env: dict[str, str] = field(default_factory=dict, repr=False)
    headers: dict[str, str] = field(default_factory=dict, repr=False)
