"""What chat uses: the tool definitions of chosen servers, and calling one tool.

Definitions come from the last good check (kept on the server's row), so building a request
to the model needs no connection. Without a pool (``promptterm mcp call``), a call opens a
session for itself and closes it after: a server cannot carry state over, and nothing
lingers. The chat's calls go through a pool (services/mcp/pool.py) that keeps a session
open between calls: measured, a session per call cost ~180 ms of a loaded machine's time
over HTTP, and a process start (1-3 s) over stdio; on an open session the call reads the
server's row, and the keyring only when a session opens.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.mcp.connect import open_client
from promptterm.services.mcp.probe import explain, with_stderr
from promptterm.services.mcp.registry import McpService, spec_of

if TYPE_CHECKING:
    from promptterm.services.mcp.models import McpServerInfo
    from promptterm.services.mcp.pool import SessionPool

RESULT_LIMIT = 100_000  # characters of a tool result kept for the model and the transcript


@dataclass(frozen=True)
class ToolDefinition:
    server: str  # the server's name, as the user registered it
    server_id: uuid.UUID
    name: str
    description: str
    input_schema: dict[str, Any]
    tokens: int


@dataclass(frozen=True)
class ToolResult:
    text: str
    is_error: bool
    truncated: bool = False


def tool_definitions(
    ctx: ServiceContext, servers: Sequence[str | uuid.UUID]
) -> list[ToolDefinition]:
    """Every tool of ``servers`` (ids or names; ``"name:tool"`` picks one tool), from their
    last good check. A disabled server or an unknown tool is refused in words."""
    mcp = McpService(ctx)
    found: list[ToolDefinition] = []
    for ref in servers:
        name, _, only = str(ref).partition(":") if not isinstance(ref, uuid.UUID) else (ref, "", "")
        found += definitions_of(mcp.get(name), only)
    return found


def definitions_of(info: McpServerInfo, only: str = "") -> list[ToolDefinition]:
    """The tools of a server already read (``only``: just that one), as last checked."""
    if not info.enabled:
        raise ValidationError(f"The MCP server {info.name!r} is disabled; enable it first.")
    tools = [t for t in info.tools if not only or t.name == only]
    if only and not tools:
        raise NotFound(f"The MCP server {info.name!r} has no tool {only!r} (as last checked).")
    return [
        ToolDefinition(info.name, info.id, t.name, t.description, t.input_schema, t.tokens)
        for t in tools
    ]


async def call_tool(
    ctx: ServiceContext,
    server: str | uuid.UUID,
    tool: str,
    arguments: dict[str, Any],
    timeout: float = 60.0,
    pool: SessionPool | None = None,
) -> ToolResult:
    """Run one tool; its text content (capped at RESULT_LIMIT characters, with a note when
    cut) and whether it is an error. A server that cannot be reached, or a call that runs
    past ``timeout`` seconds, comes back as an error result in words, never raises. With a
    ``pool`` the call goes over a session kept open between calls (services/mcp/pool.py)."""
    import anyio

    info = McpService(ctx).get(server)  # one read: a call's own time is what the user waits on
    if not info.enabled:
        return ToolResult(f"The MCP server {info.name!r} is disabled.", True)
    if pool is not None:
        try:
            result = await pool.call_tool(info, tool, arguments, timeout)
        except TimeoutError:
            return ToolResult(f"The tool {tool} did not answer within {timeout:g} s.", True)
        except Exception as exc:
            said = explain(exc, spec_of(info, with_secrets=False), "call")
            return ToolResult(f"The tool {tool} could not run: {said}", True)
        return cap(_text_of(result.content, result.structured_content), bool(result.is_error))
    spec = spec_of(info)
    stage = ["initialize"]
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
        try:
            with anyio.fail_after(timeout):
                async with open_client(spec, errlog, timeout) as client:
                    stage[0] = f"calling {tool}"
                    result = await client.call_tool(tool, arguments)
        except TimeoutError:
            return ToolResult(f"The tool {tool} did not answer within {timeout:g} s.", True)
        except Exception as exc:
            return ToolResult(
                f"The tool {tool} could not run: {explain(exc, spec, stage[0])}", True
            )
    return cap(_text_of(result.content, result.structured_content), bool(result.is_error))


def cap(text: str, is_error: bool, limit: int = RESULT_LIMIT) -> ToolResult:
    if len(text) <= limit:
        return ToolResult(text, is_error)
    note = f"\n[… result cut: showing {limit:,} of {len(text):,} characters]"
    return ToolResult(text[:limit] + note, is_error, truncated=True)


def _text_of(content: Sequence[Any], structured: Any) -> str:
    parts: list[str] = []
    for block in content:
        kind = getattr(block, "type", "")
        if kind == "text":
            parts.append(block.text)
        elif kind == "resource":
            parts.append(getattr(block.resource, "text", f"[resource {block.resource.uri}]"))
        else:
            parts.append(f"[{kind} content]")
    if not parts and structured is not None:
        import json

        parts.append(json.dumps(structured, ensure_ascii=False))
    return "\n".join(parts)


async def read_resource(
    ctx: ServiceContext, server: str | uuid.UUID, uri: str, timeout: float = 30.0
) -> str:
    """A resource's text (to attach to a message), capped like a tool result."""
    return cap(await read_resource_text(ctx, server, uri, timeout), False).text


async def read_resource_text(
    ctx: ServiceContext, server: str | uuid.UUID, uri: str, timeout: float = 30.0
) -> str:
    """A resource's whole text; refused in words when the server cannot be reached, does
    not answer in ``timeout`` seconds, or sends only binary content."""
    import anyio

    spec = McpService(ctx).spec(server)
    stage = ["initialize"]
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
        try:
            with anyio.fail_after(timeout):
                async with open_client(spec, errlog, timeout) as client:
                    stage[0] = "reading"
                    result = await client.read_resource(uri)
        except TimeoutError as exc:
            raise ValidationError(f"{spec.name} did not send {uri} within {timeout:g} s.") from exc
        except Exception as exc:
            # A stdio server's own last words and exit code say more than "closed".
            why = with_stderr(explain(exc, spec, stage[0]), errlog, spec)
            raise ValidationError(f"Could not read {uri} from {spec.name}: {why}.") from exc
    texts = [getattr(c, "text", None) for c in result.contents]
    if not any(t is not None for t in texts):
        raise ValidationError(
            f"{uri} on {spec.name} holds no text (binary content): only text can go with a message."
        )
    return "\n".join(t for t in texts if t is not None)


async def get_prompt_text(
    ctx: ServiceContext,
    server: str | uuid.UUID,
    name: str,
    arguments: dict[str, str],
    timeout: float = 30.0,
) -> str:
    """A server's prompt rendered with ``arguments``: its messages' text, one after another."""
    import anyio

    spec = McpService(ctx).spec(server)
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
        try:
            with anyio.fail_after(timeout):
                async with open_client(spec, errlog, timeout) as client:
                    result = await client.get_prompt(name, arguments)
        except Exception as exc:
            raise ValidationError(
                f"Could not get the prompt {name} from {spec.name}: "
                f"{explain(exc, spec, 'get prompt')}"
            ) from exc
    return "\n\n".join(getattr(m.content, "text", "") for m in result.messages)
