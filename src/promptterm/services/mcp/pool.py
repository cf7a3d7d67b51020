"""Open MCP sessions kept between the chat's tool calls, so a round trip on a running server
costs the call, not a connection (over stdio, not a process start).

    pool = SessionPool()
    result = await pool.call_tool(info, tool, arguments, timeout)   # from any thread or loop
    pool.close()                                                     # at app or CLI exit

An SDK session is bound to the task that opened it, so every session lives in a task of the
pool's own event loop (one daemon thread) and a call is handed to that loop. A session is
used again only while it is sound: one whose task ended (the server exited, the connection
dropped) or whose call failed in transport is closed, and the next call opens a fresh one.
A tool's own error result is an answer, not a failure: the session stays. A changed
registration (the row's command, URL, names of secrets, any edit) opens a new session too.
The secrets' values are read from the keyring only to open a session: a keyring lookup
(D-Bus to a secret service) can cost more than the call itself, and a value cannot change
under a registered server (it is set when the server is added).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import threading
import uuid
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from promptterm.services.mcp.connect import open_client

if TYPE_CHECKING:
    from mcp.client import Client

    from promptterm.services.mcp.models import McpServerInfo

_CLOSE_SECONDS = 10.0


class _Held:
    """One open session, in its own task on the pool's loop."""

    def __init__(self, info: McpServerInfo) -> None:
        self.key = registration(info)
        self._info = info
        self._stop = asyncio.Event()
        self._ready: asyncio.Future[Client] = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        from promptterm.services.mcp.registry import spec_of

        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
            try:
                # The keyring may block (a secret service over D-Bus): not on the pool's loop.
                spec = await asyncio.to_thread(spec_of, self._info)
                async with open_client(spec, errlog, 24 * 3600.0) as client:
                    self._ready.set_result(client)
                    await self._stop.wait()
            except BaseException as exc:
                if not self._ready.done():
                    self._ready.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise

    @property
    def sound(self) -> bool:
        return not self._task.done()

    async def client(self) -> Client:
        return await asyncio.shield(self._ready)

    async def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(asyncio.shield(self._task), _CLOSE_SECONDS)
        if not self._task.done():
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task


class SessionPool:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._held: dict[uuid.UUID, _Held] = {}
        self._opening: dict[uuid.UUID, asyncio.Lock] = {}
        self._closing: set[asyncio.Future[None]] = set()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._guard:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="mcp-sessions", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    async def call_tool(
        self, info: McpServerInfo, tool: str, arguments: dict[str, Any], timeout: float
    ) -> Any:
        """The SDK's CallToolResult; raises as the SDK does (the caller words it). ``info``:
        the server's row as just read."""
        done = asyncio.run_coroutine_threadsafe(
            asyncio.wait_for(self._call(info, tool, arguments), timeout), self._running_loop()
        )
        # Cancelling the caller (the chat's timeout, esc) cancels the call on the pool's loop.
        return await asyncio.wrap_future(done)

    async def _session(self, info: McpServerInfo) -> _Held:
        lock = self._opening.setdefault(info.id, asyncio.Lock())
        async with lock:
            held = self._held.get(info.id)
            if held is not None and (not held.sound or held.key != registration(info)):
                self._held.pop(info.id, None)
                await held.close()
                held = None
            if held is None:
                held = self._held[info.id] = _Held(info)
            return held

    async def _call(self, info: McpServerInfo, tool: str, arguments: dict[str, Any]) -> Any:
        held = await self._session(info)
        try:
            client = await held.client()
            return await client.call_tool(tool, arguments)
        except BaseException:
            # Not trusted again (a timeout may leave an answer in flight): the next call
            # starts afresh.
            if self._held.get(info.id) is held:
                del self._held[info.id]
            closing = asyncio.ensure_future(held.close())
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)
            raise

    def close(self) -> None:
        """Close every session and stop the loop (waits a bounded time)."""
        with self._guard:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return

        async def close_all() -> None:
            held, self._held = list(self._held.values()), {}
            await asyncio.gather(*(h.close() for h in held), return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close_all(), loop).result(_CLOSE_SECONDS * 2)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_CLOSE_SECONDS)
        if not thread.is_alive():
            loop.close()


def registration(info: McpServerInfo) -> Hashable:
    """What a session was opened with, secrets aside: any edit of the row changes it."""
    return (
        info.id,
        info.transport,
        info.command,
        info.args,
        info.cwd,
        info.url,
        info.env_names,
        info.header_names,
        info.updated_at,
    )


_shared: SessionPool | None = None
_shared_guard = threading.Lock()


def shared_pool() -> SessionPool:
    """The process's pool (the app's or the CLI command's), made on first use."""
    global _shared
    with _shared_guard:
        if _shared is None:
            _shared = SessionPool()
        return _shared


def close_shared_pool() -> None:
    global _shared
    with _shared_guard:
        pool, _shared = _shared, None
    if pool is not None:
        pool.close()
