"""A small LLM server on 127.0.0.1 that speaks the OpenAI Chat Completions and the Anthropic
Messages protocols (streaming), with scriptable misbehaviour for the provider tests.

Real sockets, raw HTTP/1.1 written by hand, so a test controls every byte and every TCP
write: tokens split at odd byte boundaries, a connection dropped mid-chunk, a stall, a slow
first byte. Runs its own asyncio loop in a daemon thread; loopback only; bounded in requests
and lifetime, after which it stops by itself.

    with LLMServer() as server:
        server.push(Script(text="Hi there", chunk_bytes=7))
        ... base_url=server.openai_url (…/v1) or server.url (Anthropic) ...

Each request takes the next pushed Script (or the default one). Run as a script it serves a
fixed answer to every request (for benchmarks in another process):

    python tests/support/llm_server.py --tokens 5000 --lifetime 120
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:
    # Run as a script (the benchmarks start it in a process of its own): tests/ goes on the
    # path so that the modules it is made of import as support.*, as in the tests.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.llm_script import Script
from support.llm_wire import (
    anthropic_events,
    error_body,
    openai_events,
    parse_head,
    stream,
    write_json,
)
from support.waiting import CEILING

__all__ = ["ANTHROPIC_MODELS", "OPENAI_MODELS", "LLMServer", "Recorded", "Script"]

OPENAI_MODELS = ("test-model", "test-model-large")
ANTHROPIC_MODELS = ("claude-test", "claude-test-large")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class LLMServer:
    def __init__(
        self,
        *,
        api_key: str | None = None,
        default: Script | None = None,
        lifetime: float = 600.0,  # a net for a server left running; `with` stops it first
        max_requests: int = 500,
        port: int = 0,
        script_for: Callable[[Any], Script | None] | None = None,
    ) -> None:
        self.api_key = api_key
        self.default = default or Script()
        # Picks the answer from the request's body when nothing was pushed (None: default).
        self.script_for = script_for
        self.lifetime = lifetime
        self.max_requests = max_requests
        self.requests: list[Recorded] = []
        self.cut_off: list[int] = []  # requests (by index) whose client hung up mid-answer
        self.connections = 0  # TCP connections accepted (a client keeping one alive: 1)
        self._scripts: deque[Script] = deque()
        self._port = port
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="llm-server", daemon=True)
        self._stop: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- control (from the test's thread) -----------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def openai_url(self) -> str:
        return self.url + "/v1"

    def push(self, *scripts: Script) -> None:
        self._scripts.extend(scripts)

    def start(self) -> LLMServer:
        self._thread.start()
        if not self._ready.wait(CEILING):
            raise RuntimeError("the test LLM server did not start")
        return self

    def stop(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(CEILING)

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the loop -------------------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        finally:
            self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", self._port)
        self._port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=self.lifetime)
        except TimeoutError:
            pass  # lived long enough: stop by itself
        finally:
            server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self.connections += 1
        try:
            while len(self.requests) < self.max_requests:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    return
                method, path, headers = parse_head(head)
                length = int(headers.get("content-length", "0"))
                raw = await reader.readexactly(length) if length else b""
                body = json.loads(raw) if raw else None
                self.requests.append(Recorded(method, path, headers, body))
                try:
                    if not await self._respond(method, path, headers, body, writer):
                        return
                except ConnectionError:
                    self.cut_off.append(len(self.requests) - 1)
                    return
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()

    # -- answers --------------------------------------------------------------------------------

    async def _respond(
        self, method: str, path: str, headers: dict[str, str], body: Any, writer: Any
    ) -> bool:
        anthropic = "anthropic-version" in headers or path.startswith("/v1/messages")
        if self.api_key is not None:
            given = headers.get("x-api-key") or headers.get("authorization", "")[7:]
            if given != self.api_key:
                msg = "invalid x-api-key" if anthropic else "Incorrect API key provided."
                refused = error_body(anthropic, "authentication_error", msg, None)
                await write_json(writer, 401, refused)
                return True
        if method == "GET" and path.startswith("/v1/models"):
            names = ANTHROPIC_MODELS if anthropic else OPENAI_MODELS
            if anthropic:
                data = [{"type": "model", "id": n, "display_name": n.title()} for n in names]
                listing = {"data": data, "has_more": False, "last_id": names[-1]}
            else:
                data = [{"object": "model", "id": n, "owned_by": "test"} for n in names]
                listing = {"object": "list", "data": data}
            await write_json(writer, 200, listing)
            return True
        if method != "POST" or path not in ("/v1/chat/completions", "/v1/messages"):
            await write_json(writer, 404, {"error": "not found"})
            return True
        chosen = self.script_for(body) if self.script_for and not self._scripts else None
        script = chosen or (self._scripts.popleft() if self._scripts else self.default)
        if script.close_before_reply:
            writer.transport.abort()
            return False
        if script.first_byte_delay:
            await asyncio.sleep(script.first_byte_delay)
        if script.html is not None:
            raw = script.html.encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n"
                b"content-length: %d\r\n\r\n%s" % (len(raw), raw)
            )
            await writer.drain()
            return True
        if script.status != 200:
            kind, message, code = script.error_type, script.error_message, script.error_code
            error = error_body(anthropic, kind, message, code)
            await write_json(writer, script.status, error, script.headers)
            return True
        model = body.get("model")
        if model not in (ANTHROPIC_MODELS if anthropic else OPENAI_MODELS):
            if anthropic:
                error = error_body(True, "not_found_error", f"model: {model}", None)
            else:
                msg = f"The model `{model}` does not exist or you do not have access to it."
                error = error_body(False, "invalid_request_error", msg, "model_not_found")
            await write_json(writer, 404, error)
            return True
        events = (anthropic_events if anthropic else openai_events)(script, body)
        return await stream(writer, script, events)


def _tool_round(name: str, arguments: str) -> Callable[[Any], Script | None]:
    """A call of tool ``name`` unless the request already carries a tool's result."""
    call = {"id": "call_bench", "name": name, "arguments": arguments}

    def script_for(body: Any) -> Script | None:
        last = (body.get("messages") or [{}])[-1]
        content = last.get("content")
        answered = last.get("role") == "tool" or (
            isinstance(content, list) and any(b.get("type") == "tool_result" for b in content)
        )
        return None if answered else Script(text="", tool_calls=[call])

    return script_for


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve one fixed streamed answer to everyone.")
    parser.add_argument("--tokens", type=int, default=5000)
    parser.add_argument("--lifetime", type=float, default=120.0)
    parser.add_argument(
        "--tool", metavar="NAME", help="first ask for this tool; answer once its result is back"
    )
    parser.add_argument(
        "--tool-arguments", default='{"path": "bench.txt"}', help="the call's arguments (JSON)"
    )
    args = parser.parse_args()
    script = Script(tokens=[f" tok{n % 100}" for n in range(args.tokens)])
    server = LLMServer(
        default=script,
        lifetime=args.lifetime,
        max_requests=10_000,
        script_for=_tool_round(args.tool, args.tool_arguments) if args.tool else None,
    ).start()
    print(server.url, flush=True)
    server._thread.join()


if __name__ == "__main__":
    main()
