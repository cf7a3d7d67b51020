"""Checking servers: one, or all enabled ones in parallel with a bound on how many at once."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

from promptterm.services.mcp.models import McpServerInfo
from promptterm.services.mcp.probe import probe
from promptterm.services.mcp.registry import McpService

DEFAULT_TIMEOUT = 10.0
# Starting a server is CPU work (a Python server spends ~1 s importing its SDK): more at
# once than the cores can start only stretches each check's latency, which is what the row
# shows, towards its timeout, and finishes the whole no sooner.
DEFAULT_CONCURRENCY = max(4, 2 * (os.cpu_count() or 2))


async def check_server(
    mcp: McpService, ref: str | uuid.UUID, timeout: float = DEFAULT_TIMEOUT
) -> McpServerInfo:
    """Connect, initialize and list; record and return what was found."""
    spec = mcp.spec(ref)
    return mcp.record(spec.id, await probe(spec, timeout))


async def check_servers(
    mcp: McpService,
    refs: list[str | uuid.UUID] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_start: Callable[[uuid.UUID], None] | None = None,
    on_done: Callable[[McpServerInfo], None] | None = None,
) -> list[McpServerInfo]:
    """Check ``refs`` (default: every enabled server), at most ``concurrency`` at once; the
    results in the order asked. ``on_start``/``on_done`` tell a screen which row is busy."""
    import anyio

    targets: list[str | uuid.UUID] = (
        list(refs) if refs is not None else [s.id for s in mcp.list(enabled_only=True)]
    )
    results: list[McpServerInfo | None] = [None] * len(targets)
    limiter = anyio.CapacityLimiter(max(1, concurrency))

    async def one(index: int, ref: str | uuid.UUID) -> None:
        await limiter.acquire()
        held = [True]

        def release() -> None:
            # Once a server has answered, its shutdown (an SDK server takes ~1 s to exit)
            # need not keep the next check from starting.
            if held[0]:
                held[0] = False
                limiter.release()

        try:
            spec = mcp.spec(ref)
            if on_start is not None:
                on_start(spec.id)
            found = await probe(spec, timeout, on_listed=release)
        finally:
            release()
        results[index] = mcp.record(spec.id, found)
        if on_done is not None:
            on_done(results[index])  # type: ignore[arg-type]

    async with anyio.create_task_group() as group:
        for index, ref in enumerate(targets):
            group.start_soon(one, index, ref)
    return [r for r in results if r is not None]


def run_checks(
    mcp: McpService, refs: list[str | uuid.UUID] | None = None, **kw: object
) -> list[McpServerInfo]:
    """``check_servers`` from synchronous code (the CLI, a thread worker)."""
    import anyio

    return anyio.run(lambda: check_servers(mcp, refs, **kw))  # type: ignore[arg-type]
