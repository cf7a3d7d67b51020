"""A health check with the SDK: connect, initialize, list tools, prompts and resources.

Every way a server can fail ends here as one sentence a person can act on ("exited with code
3: <its last stderr lines>", "timed out at initialize after 10 s"), never as a traceback.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from promptterm.services.mcp.connect import Noticed, open_client
from promptterm.services.mcp.launcher import MARK
from promptterm.services.mcp.spec import ServerSpec
from promptterm.services.tokens import estimate_tokens

STDERR_LINES = 3


@dataclass(frozen=True)
class ToolDef:
    name: str
    description: str
    input_schema: dict[str, Any]
    tokens: int


@dataclass(frozen=True)
class PromptDef:
    name: str
    description: str
    arguments: tuple[tuple[str, str, bool], ...]  # (name, description, required)


@dataclass(frozen=True)
class ResourceDef:
    uri: str
    name: str
    mime_type: str | None
    size: int | None = None  # in bytes, when the server says


@dataclass(frozen=True)
class Probe:
    """What one check found: ``error`` is None when the server answered everything."""

    ok: bool
    latency_ms: int
    error: str | None = None
    protocol_version: str | None = None
    server_name: str | None = None
    server_version: str | None = None
    tools: tuple[ToolDef, ...] = field(default_factory=tuple)
    prompts: tuple[PromptDef, ...] = field(default_factory=tuple)
    resources: tuple[ResourceDef, ...] = field(default_factory=tuple)

    @property
    def tools_tokens(self) -> int:
        return sum(t.tokens for t in self.tools)


def tool_tokens(name: str, description: str, schema: dict[str, Any]) -> int:
    """What a tool's definition costs in the model's context (as sent: name, words, schema)."""
    import json

    return estimate_tokens(f"{name}\n{description}\n{json.dumps(schema, sort_keys=True)}")


def missing_command(spec: ServerSpec) -> str | None:
    """Words when a stdio server's command or folder is not there; checked before starting."""
    if spec.cwd and not os.path.isdir(spec.cwd):
        return f"working folder not found: {spec.cwd}"
    command = spec.command or ""
    if os.sep in command:
        path = command if os.path.isabs(command) else os.path.join(spec.cwd or ".", command)
        if not os.path.exists(path):
            return f"command not found: {command}"
        if not os.access(path, os.X_OK):
            return f"command is not executable: {command}"
        return None
    if shutil.which(command, path=spec.env.get("PATH", os.environ.get("PATH"))) is None:
        return f"command not found: {command} (not on PATH)"
    return None


async def probe(
    spec: ServerSpec, timeout: float = 10.0, on_listed: Callable[[], None] | None = None
) -> Probe:
    """Check one server, bounded by ``timeout`` seconds in all. Its latency is the time to
    everything listed: a server's own shutdown afterwards (an SDK server takes ~1 s to exit)
    is not how fast it answers. ``on_listed`` is called then, before the connection closes
    (check_servers lets the next check start meanwhile)."""
    import anyio

    started = time.perf_counter()
    listed_ms: list[int] = []

    def took() -> int:
        return round((time.perf_counter() - started) * 1000)

    def listed() -> None:
        listed_ms.append(took())
        if on_listed is not None:
            on_listed()

    if spec.transport == "stdio":
        problem = missing_command(spec)
        if problem:
            return Probe(ok=False, latency_ms=took(), error=problem)
    stage = ["connecting"]
    noticed = Noticed()
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
        try:
            with anyio.fail_after(timeout):
                found = await _talk(spec, errlog, timeout, stage, noticed, listed)
        except TimeoutError:
            error = f"timed out at {stage[0]} after {timeout:g} s"
            if noticed.garbled:
                error = NOT_MCP_OUTPUT
            return Probe(ok=False, latency_ms=took(), error=with_stderr(error, errlog, spec))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            error = explain(exc, spec, stage[0], noticed)
            return Probe(ok=False, latency_ms=took(), error=with_stderr(error, errlog, spec))
    return Probe(ok=True, latency_ms=listed_ms[0], **found)


async def _talk(
    spec: ServerSpec,
    errlog: Any,
    timeout: float,
    stage: list[str],
    noticed: Noticed,
    listed: Callable[[], None],
) -> dict[str, Any]:
    client = open_client(spec, errlog, timeout, noticed)
    stage[0] = "initialize"
    async with client:
        caps = client.server_capabilities
        info = client.server_info
        stage[0] = "listing tools"
        tools = await _all(client.list_tools, "tools") if caps.tools is not None else []
        stage[0] = "listing prompts"
        prompts = await _all(client.list_prompts, "prompts") if caps.prompts is not None else []
        stage[0] = "listing resources"
        resources = (
            await _all(client.list_resources, "resources") if caps.resources is not None else []
        )
        stage[0] = "closing"
        listed()
        return {
            "protocol_version": client.protocol_version,
            "server_name": info.name if info else None,
            "server_version": info.version if info else None,
            "tools": tuple(
                ToolDef(
                    t.name,
                    t.description or "",
                    dict(t.input_schema),
                    tool_tokens(t.name, t.description or "", dict(t.input_schema)),
                )
                for t in tools
            ),
            "prompts": tuple(
                PromptDef(
                    p.name,
                    p.description or "",
                    tuple(
                        (a.name, a.description or "", bool(a.required)) for a in p.arguments or ()
                    ),
                )
                for p in prompts
            ),
            "resources": tuple(
                ResourceDef(str(r.uri), r.name, r.mime_type, r.size) for r in resources
            ),
        }


async def _all(method: Any, attribute: str, pages: int = 20) -> list[Any]:
    """Every page of a listing (bounded: a server that pages forever is cut off)."""
    items: list[Any] = []
    cursor = None
    for _ in range(pages):
        result = await method(cursor=cursor)
        items.extend(getattr(result, attribute))
        cursor = result.next_cursor
        if not cursor:
            break
    return items


NOT_MCP_OUTPUT = "not an MCP server (it wrote text that is not MCP on its output)"
HTTP_WORDS = {
    401: "refused: HTTP 401 unauthorized (check the Authorization header's token)",
    403: "refused: HTTP 403 forbidden (the token lacks access)",
    404: "not an MCP server (HTTP 404: nothing at this URL)",
}


def explain(
    exc: BaseException, spec: ServerSpec, stage: str, noticed: Noticed | None = None
) -> str:
    """One sentence for a failed connection or request."""
    if noticed is not None and noticed.garbled:
        return NOT_MCP_OUTPUT
    status = noticed.http_status if noticed else None
    if status is not None:
        return HTTP_WORDS.get(status, f"the server answered HTTP {status} at {stage}")
    leaves = list(_leaves(exc))
    for leaf in leaves:
        name = type(leaf).__name__
        text = str(leaf)
        if isinstance(leaf, ConnectionRefusedError) or "ConnectError" in name:
            return f"connection refused at {spec.url}" if spec.url else "connection refused"
        if "HTTPStatusError" in name or ("status" in text.lower() and "http" in name.lower()):
            return f"not an MCP server (HTTP error at {spec.url}: {_short(text)})"
        if isinstance(leaf, FileNotFoundError):
            return f"command not found: {spec.command}"
    for leaf in leaves:
        if type(leaf).__name__ == "MCPError":
            code = getattr(leaf, "code", None)
            if "closed" in str(leaf).lower():
                return f"the server closed the connection at {stage}"
            if stage == "initialize" and code == -32601:  # method not found
                return "not an MCP server (it does not answer initialize)"
            return f"the server answered with an error at {stage}: {_short(str(leaf))}"
        if type(leaf).__name__ == "ValidationError":
            return f"not an MCP server (malformed answer at {stage})"
    first = leaves[0] if leaves else exc
    words = _short(str(first)) or type(first).__name__
    if "closed" in words.lower() or isinstance(first, EOFError):
        return f"the server closed the connection at {stage}"
    return f"failed at {stage}: {words}"


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    chained = exc.__cause__
    return [exc, *(_leaves(chained) if chained is not None else [])]


def with_stderr(error: str, errlog: Any, spec: ServerSpec) -> str:
    """A stdio server's own last words (and how it ended, from the launcher) after ours."""
    if spec.transport != "stdio":
        return error
    errlog.flush()
    errlog.seek(0)
    lines = [line.rstrip() for line in errlog.read().splitlines() if line.strip()]
    ending = [line for line in lines if line.startswith(MARK)]
    said = [line for line in lines if not line.startswith(MARK)][-STDERR_LINES:]
    if ending:
        verdict = ending[-1][len(MARK) :]
        if verdict == "missing":
            error = f"command not found: {spec.command}"
        elif verdict == "not-executable":
            error = f"command is not executable: {spec.command}"
        elif verdict.startswith("exit "):
            code = int(verdict.split()[1])
            how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            error = f"the server {how} at {stage_of(error)}"
    elif "closed" in error and said:
        pass  # its own words below say why
    if said:
        error += " — stderr: " + " | ".join(_short(line, 200) for line in said)
    return error


def stage_of(error: str) -> str:
    for stage in ("initialize", "listing tools", "listing prompts", "listing resources"):
        if stage in error:
            return stage
    return "start"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
