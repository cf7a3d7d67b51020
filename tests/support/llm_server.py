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
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OPENAI_MODELS = ("test-model", "test-model-large")
_CEILING = 60.0  # seconds to start or stop: only a hang, never a busy machine, reaches it
ANTHROPIC_MODELS = ("claude-test", "claude-test-large")


@dataclass
class Script:
    """One scripted answer; the fields combine."""

    text: str = "Hello from the test server."
    tokens: list[str] | None = None  # how the text is cut into deltas (default: by word)
    status: int = 200  # non-200: an error answer, in the protocol's error format
    error_type: str = "api_error"
    error_code: str | None = None
    error_message: str = "Something went wrong."
    headers: dict[str, str] = field(default_factory=dict)
    usage: bool = True  # report token counts
    finish: bool = True  # OpenAI finish_reason / Anthropic message_delta
    done: bool = True  # OpenAI [DONE] / Anthropic message_stop
    chunk_bytes: int | None = None  # cut the byte stream into writes of this size
    write_pause: float | None = None  # seconds between writes (default 0.001 with chunk_bytes)
    first_byte_delay: float = 0.0  # seconds before the status line
    error_after: int | None = None  # tokens, then an error event
    drop_after: int | None = None  # tokens, then the connection is cut
    stall_after: int | None = None  # tokens, then silence for stall_seconds
    stall_seconds: float = 3.0
    # tokens, then nothing until the test sets ``hold`` (a stream held open deterministically)
    hold_after: int | None = None
    hold: threading.Event | None = None
    crlf: bool = False  # CRLF line ends
    keepalive: bool = False  # SSE comments (OpenAI) / ping events (Anthropic) between tokens
    multiline: bool = False  # JSON pretty-printed over several data: lines
    # Faults of real servers and proxies:
    keepalive_after: int | None = None  # tokens, then only keep-alives, for ever
    keepalive_every: float = 0.05  # seconds between those keep-alives
    html: str | None = None  # a 200 with this HTML page instead of an event stream
    bad_json_after: int | None = None  # tokens, then one event whose data is not JSON
    close_before_reply: bool = False  # read the request, then close without a byte
    # Tool calls after the text: [{"id", "name", "arguments" (the raw JSON text, sent as
    # is, so a test can send a broken one)}], each cut into deltas of ``tool_piece`` chars
    # (mid-string, mid-escape), in the protocol's own format; the answer ends asking for them.
    tool_calls: list[dict[str, str]] | None = None
    tool_piece: int = 3

    def deltas(self) -> list[str]:
        return self.tokens if self.tokens is not None else re.findall(r"\s*\S+", self.text)

    def argument_pieces(self, raw: str) -> list[str]:
        step = max(1, self.tool_piece)
        return [raw[i : i + step] for i in range(0, len(raw), step)]


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
        if not self._ready.wait(_CEILING):
            raise RuntimeError("the test LLM server did not start")
        return self

    def stop(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(_CEILING)

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
                method, path, headers = _parse_head(head)
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
                await _json(writer, 401, _error(anthropic, "authentication_error", msg, None))
                return True
        if method == "GET" and path.startswith("/v1/models"):
            names = ANTHROPIC_MODELS if anthropic else OPENAI_MODELS
            if anthropic:
                data = [{"type": "model", "id": n, "display_name": n.title()} for n in names]
                listing = {"data": data, "has_more": False, "last_id": names[-1]}
            else:
                data = [{"object": "model", "id": n, "owned_by": "test"} for n in names]
                listing = {"object": "list", "data": data}
            await _json(writer, 200, listing)
            return True
        if method != "POST" or path not in ("/v1/chat/completions", "/v1/messages"):
            await _json(writer, 404, {"error": "not found"})
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
            error = _error(anthropic, script.error_type, script.error_message, script.error_code)
            await _json(writer, script.status, error, script.headers)
            return True
        model = body.get("model")
        if model not in (ANTHROPIC_MODELS if anthropic else OPENAI_MODELS):
            if anthropic:
                error = _error(True, "not_found_error", f"model: {model}", None)
            else:
                msg = f"The model `{model}` does not exist or you do not have access to it."
                error = _error(False, "invalid_request_error", msg, "model_not_found")
            await _json(writer, 404, error)
            return True
        events = (_anthropic_events if anthropic else _openai_events)(script, body)
        return await _stream(writer, script, events)


def _parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return method, path, headers


def _error(anthropic: bool, kind: str, message: str, code: str | None) -> dict[str, Any]:
    if anthropic:
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


async def _json(
    writer: Any, status: int, payload: Any, headers: dict[str, str] | None = None
) -> None:
    raw = json.dumps(payload).encode()
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    writer.write(
        f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n"
        f"content-length: {len(raw)}\r\n{extra}\r\n".encode()
        + raw
    )
    await writer.drain()


# An event is (bytes, is_token); the stream writer counts tokens for the mid-stream triggers.
Event = tuple[bytes, bool]


def _sse(script: Script, data: Any, name: str | None = None) -> bytes:
    nl = "\r\n" if script.crlf else "\n"
    text = (
        data if isinstance(data, str) else json.dumps(data, indent=1 if script.multiline else None)
    )
    lines = ([f"event: {name}"] if name else []) + [f"data: {line}" for line in text.split("\n")]
    return (nl.join(lines) + nl + nl).encode()


def _prompt_tokens(body: dict[str, Any]) -> int:
    chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
    return chars // 4 + len(str(body.get("system", ""))) // 4 + 1


def _openai_events(script: Script, body: dict[str, Any]) -> list[Event]:
    base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "model": body["model"]}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return _sse(script, base | {"choices": [choice]})

    events: list[Event] = [(chunk({"role": "assistant"}), False)]
    deltas = script.deltas()
    for n, token in enumerate(deltas):
        if script.keepalive:
            events.append(
                ((": keep-alive" + ("\r\n" if script.crlf else "\n") * 2).encode(), False)
            )
        if n == script.error_after:
            error = {
                "message": "The server had an error processing your request.",
                "type": "server_error",
            }
            events.append((_sse(script, {"error": error}), False))
        if n == script.bad_json_after:
            events.append((_sse(script, '{"choices": [{"delta": {"content": "x'), False))
        events.append((chunk({"content": token}), True))
    for index, call in enumerate(script.tool_calls or ()):
        function = {"name": call["name"], "arguments": ""}
        first = {"index": index, "id": call["id"], "type": "function", "function": function}
        events.append((chunk({"tool_calls": [first]}), False))
        for piece in script.argument_pieces(call["arguments"]):
            more = {"index": index, "function": {"arguments": piece}}
            events.append((chunk({"tool_calls": [more]}), False))
    if script.finish:
        events.append((chunk({}, "tool_calls" if script.tool_calls else "stop"), False))
    if script.usage:
        usage = {"prompt_tokens": _prompt_tokens(body), "completion_tokens": len(deltas)}
        events.append((_sse(script, base | {"choices": [], "usage": usage}), False))
    if script.done:
        events.append((_sse(script, "[DONE]"), False))
    return events


def _anthropic_events(script: Script, body: dict[str, Any]) -> list[Event]:
    def event(kind: str, **fields: Any) -> bytes:
        return _sse(script, {"type": kind, **fields}, kind)

    usage = {"input_tokens": _prompt_tokens(body) if script.usage else 0, "output_tokens": 1}
    message = {"id": "msg_test", "type": "message", "role": "assistant", "model": body["model"]}
    block = {"type": "text", "text": ""}
    events: list[Event] = [
        (event("message_start", message=message | {"content": [], "usage": usage}), False),
        (event("content_block_start", index=0, content_block=block), False),
    ]
    deltas = script.deltas()
    for n, token in enumerate(deltas):
        if script.keepalive:
            events.append((event("ping"), False))
        if n == script.error_after:
            error = {"type": "overloaded_error", "message": "Overloaded"}
            events.append((_sse(script, {"type": "error", "error": error}, "error"), False))
        if n == script.bad_json_after:
            events.append((_sse(script, '{"type": "content_block_delta", "delta', "x"), False))
        delta = {"type": "text_delta", "text": token}
        events.append((event("content_block_delta", index=0, delta=delta), True))
    events.append((event("content_block_stop", index=0), False))
    for index, call in enumerate(script.tool_calls or (), start=1):
        block = {"type": "tool_use", "id": call["id"], "name": call["name"], "input": {}}
        events.append((event("content_block_start", index=index, content_block=block), False))
        for piece in script.argument_pieces(call["arguments"]):
            delta = {"type": "input_json_delta", "partial_json": piece}
            events.append((event("content_block_delta", index=index, delta=delta), False))
        events.append((event("content_block_stop", index=index), False))
    if script.finish:
        out = {"output_tokens": len(deltas) if script.usage else 0}
        stop = {"stop_reason": "tool_use" if script.tool_calls else "end_turn"}
        events.append((event("message_delta", delta=stop, usage=out), False))
    if script.done:
        events.append((event("message_stop"), False))
    return events


async def _stream(writer: Any, script: Script, events: list[Event]) -> bool:
    """Write the events as a chunked SSE body; False when the connection was cut."""
    writer.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
        b"transfer-encoding: chunked\r\n\r\n"
    )
    size = script.chunk_bytes
    pause = script.write_pause if script.write_pause is not None else (0.001 if size else 0.0)
    pending = bytearray()
    tokens = 0

    async def flush(everything: bool) -> None:
        while pending and (everything or (size and len(pending) >= size)):
            cut = len(pending) if not size else min(size, len(pending))
            writer.write(b"%x\r\n%s\r\n" % (cut, bytes(pending[:cut])))
            del pending[:cut]
            await writer.drain()
            if pause:
                await asyncio.sleep(pause)

    for blob, is_token in events:
        if is_token and tokens == script.keepalive_after:
            await flush(True)
            await _keep_alive_for_ever(writer, script)
            return False
        if is_token and tokens == script.hold_after and script.hold is not None:
            await flush(True)
            await asyncio.to_thread(script.hold.wait, _CEILING)
        if is_token and tokens in (script.drop_after, script.stall_after):
            await flush(True)
            if tokens == script.drop_after:
                # Half an event, then the line goes dead: a truncated chunk, no terminator.
                writer.write(b"%x\r\n%s" % (len(blob), blob[: len(blob) // 2]))
                await writer.drain()
                writer.transport.abort()
                return False
            await asyncio.sleep(script.stall_seconds)
        pending += blob
        tokens += is_token
        await flush(not size)
    await flush(True)
    writer.write(b"0\r\n\r\n")
    await writer.drain()
    return True


async def _keep_alive_for_ever(writer: Any, script: Script) -> None:
    """A comment (OpenAI-style servers, proxies) or a ping event (Anthropic), again and
    again, and never an answer: until the client hangs up or the server stops."""
    nl = "\r\n" if script.crlf else "\n"
    comment = (": keep-alive" + nl + nl).encode()
    ping = _sse(script, {"type": "ping"}, "ping")
    n = 0
    while not writer.is_closing():
        blob = ping if n % 2 else comment
        writer.write(b"%x\r\n%s\r\n" % (len(blob), blob))
        await writer.drain()
        n += 1
        await asyncio.sleep(script.keepalive_every)


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
