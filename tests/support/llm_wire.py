"""The bytes the test LLM server writes (support/llm_server.py), by hand so that a test
controls each one: the request's head, JSON answers and errors in each protocol's format, a
Script's answer as OpenAI or Anthropic server-sent events, and the chunked body that carries
them with the Script's faults (writes of odd sizes, a cut, a stall, a hold, keep-alives)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from support.llm_script import Script
from support.waiting import CEILING


def parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return method, path, headers


def error_body(anthropic: bool, kind: str, message: str, code: str | None) -> dict[str, Any]:
    if anthropic:
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


async def write_json(
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


def sse(script: Script, data: Any, name: str | None = None) -> bytes:
    nl = "\r\n" if script.crlf else "\n"
    text = (
        data if isinstance(data, str) else json.dumps(data, indent=1 if script.multiline else None)
    )
    lines = ([f"event: {name}"] if name else []) + [f"data: {line}" for line in text.split("\n")]
    return (nl.join(lines) + nl + nl).encode()


def prompt_tokens(body: dict[str, Any]) -> int:
    chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
    return chars // 4 + len(str(body.get("system", ""))) // 4 + 1


def openai_events(script: Script, body: dict[str, Any]) -> list[Event]:
    base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "model": body["model"]}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return sse(script, base | {"choices": [choice]})

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
            events.append((sse(script, {"error": error}), False))
        if n == script.bad_json_after:
            events.append((sse(script, '{"choices": [{"delta": {"content": "x'), False))
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
        usage = {"prompt_tokens": prompt_tokens(body), "completion_tokens": len(deltas)}
        events.append((sse(script, base | {"choices": [], "usage": usage}), False))
    if script.done:
        events.append((sse(script, "[DONE]"), False))
    return events


def anthropic_events(script: Script, body: dict[str, Any]) -> list[Event]:
    def event(kind: str, **fields: Any) -> bytes:
        return sse(script, {"type": kind, **fields}, kind)

    usage = {"input_tokens": prompt_tokens(body) if script.usage else 0, "output_tokens": 1}
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
            events.append((sse(script, {"type": "error", "error": error}, "error"), False))
        if n == script.bad_json_after:
            events.append((sse(script, '{"type": "content_block_delta", "delta', "x"), False))
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


async def stream(writer: Any, script: Script, events: list[Event]) -> bool:
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
            await keep_alive_for_ever(writer, script)
            return False
        if is_token and tokens == script.hold_after and script.hold is not None:
            await flush(True)
            await asyncio.to_thread(script.hold.wait, CEILING)
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


async def keep_alive_for_ever(writer: Any, script: Script) -> None:
    """A comment (OpenAI-style servers, proxies) or a ping event (Anthropic), again and
    again, and never an answer: until the client hangs up or the server stops."""
    nl = "\r\n" if script.crlf else "\n"
    comment = (": keep-alive" + nl + nl).encode()
    ping = sse(script, {"type": "ping"}, "ping")
    n = 0
    while not writer.is_closing():
        blob = ping if n % 2 else comment
        writer.write(b"%x\r\n%s\r\n" % (len(blob), blob))
        await writer.drain()
        n += 1
        await asyncio.sleep(script.keepalive_every)
