"""The OpenAI-compatible Chat Completions API: OpenAI, Ollama, vLLM, llama.cpp's server,
LM Studio, OpenRouter... The base URL includes the version (``.../v1``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

from promptterm.providers.base import (
    ChatMessage,
    ModelInfo,
    OnRetry,
    StreamDone,
    StreamEvent,
    TextDelta,
    ToolCall,
    ToolDefinition,
    UsageReport,
)
from promptterm.providers.errors import (
    BadRequest,
    ProtocolViolation,
    StreamFailed,
    StreamInterrupted,
    redact,
)
from promptterm.providers.http import HttpProvider, join_url, skipped
from promptterm.providers.http_errors import error_detail
from promptterm.providers.tool_calls import PendingCall


class OpenAICompatibleProvider(HttpProvider):
    def _headers(self) -> dict[str, str]:
        headers = {"accept": "text/event-stream"}
        if self.settings.api_key:
            headers["authorization"] = f"Bearer {self.settings.api_key}"
        return headers

    async def list_models(self) -> list[ModelInfo]:
        headers = self._headers() | {"accept": "application/json"}
        payload = await self.get_json(join_url(self.settings.base_url, "models"), headers)
        items = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(items, list):
            # Ollama's native /api/tags shape uses "models"; accept it too.
            items = payload.get("models", []) if isinstance(payload, dict) else []
        models = [
            ModelInfo(
                id=str(item.get("id") or item.get("name")),
                display_name=item.get("name") if item.get("id") else None,
                owned_by=item.get("owned_by"),
            )
            for item in items
            if isinstance(item, dict) and (item.get("id") or item.get("name"))
        ]
        return sorted(models, key=lambda m: m.id)

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        model: str,
        system: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        on_retry: OnRetry | None = None,
        tools: Sequence[ToolDefinition] = (),
    ) -> AsyncIterator[StreamEvent]:
        wire: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
        wire += [_wire_message(m) for m in messages]
        body: dict[str, Any] = {
            "model": model,
            "messages": wire,
            "stream": True,
            # Without this the stream carries no token counts at all.
            "stream_options": {"include_usage": True},
        }
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        if temperature is not None:
            body["temperature"] = temperature
        if tools:
            body["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters,
                    },
                }
                for t in tools
            ]
        url = join_url(self.settings.base_url, "chat/completions")
        try:
            response = await self.open_stream(
                url, body, self._headers(), model=model, on_retry=on_retry
            )
        except BadRequest as exc:
            # Some older servers reject the option; their answers then lack usage (estimated).
            if "stream_options" not in exc.message:
                raise
            del body["stream_options"]
            response = await self.open_stream(
                url, body, self._headers(), model=model, on_retry=on_retry
            )
        try:
            if "json" in response.headers.get("content-type", ""):
                # A server that ignored "stream": one whole answer.
                async for event in self._whole(await response.aread()):
                    yield event
                return
            finish: str | None = None
            done = False
            seen_model: str | None = None
            bad = 0
            calls: dict[int, PendingCall] = {}  # by the call's index in the answer
            events = self.sse(response)
            async for event in events:
                data = event.data
                if data == "[DONE]":
                    done = True
                    break
                try:
                    chunk = _json(data, self.settings.label)
                except ProtocolViolation as exc:
                    yield skipped(exc, bad := bad + 1)  # raises past MAX_BAD_EVENTS
                    continue
                if "error" in chunk:
                    message, code = error_detail(data.encode())
                    raise StreamFailed(
                        f"{self.settings.label} reported an error mid-answer: "
                        f"{redact(message, self.settings.api_key) or code or 'unknown error'}"
                    )
                seen_model = chunk.get("model") or seen_model
                usage = chunk.get("usage")
                if isinstance(usage, dict):
                    yield UsageReport(usage.get("prompt_tokens"), usage.get("completion_tokens"))
                for choice in chunk.get("choices") or ():
                    if choice.get("index", 0) != 0:
                        continue
                    delta = choice.get("delta") or {}
                    text = delta.get("content")
                    if text:
                        yield TextDelta(text)
                    for piece in delta.get("tool_calls") or ():
                        _gather(calls, piece)
                    finish = choice.get("finish_reason") or finish
            if done:
                await self.drain(events)
            if not done and finish is None:
                raise StreamInterrupted(
                    f"{self.settings.label} closed the stream before the answer was complete; "
                    "the part that arrived is kept."
                )
            for index in sorted(calls):
                yield calls[index].finish(self.settings.label)
            yield StreamDone(finish, seen_model)
        finally:
            await response.aclose()

    async def _whole(self, raw: bytes) -> AsyncIterator[StreamEvent]:
        payload = _json(raw.decode("utf-8", errors="replace"), self.settings.label)
        choice = (payload.get("choices") or [{}])[0]
        message = choice.get("message") or {}
        text = message.get("content")
        if text:
            yield TextDelta(text)
        for n, whole in enumerate(message.get("tool_calls") or ()):
            if isinstance(whole, dict):
                calls: dict[int, PendingCall] = {}
                _gather(calls, whole | {"index": n})
                yield calls[n].finish(self.settings.label)
        usage = payload.get("usage") or {}
        yield UsageReport(usage.get("prompt_tokens"), usage.get("completion_tokens"))
        yield StreamDone(choice.get("finish_reason"), payload.get("model"))


def _gather(calls: dict[int, PendingCall], piece: Any) -> None:
    """One ``tool_calls`` delta: the first of a call brings its id and name, the rest bring
    pieces of its arguments (a JSON string cut anywhere)."""
    if not isinstance(piece, dict):
        return
    index = piece.get("index")
    index = index if isinstance(index, int) else len(calls)
    call = calls.setdefault(index, PendingCall())
    call.id = piece.get("id") or call.id
    function = piece.get("function") or {}
    if isinstance(function, dict):
        call.name = function.get("name") or call.name
        if isinstance(function.get("arguments"), str):
            call.parts.append(function["arguments"])


def _wire_message(m: ChatMessage) -> dict[str, Any]:
    if m.role == "tool":
        return {"role": "tool", "tool_call_id": m.tool_call_id, "content": m.content}
    if m.role == "assistant" and m.tool_calls:
        return {
            "role": "assistant",
            "content": m.content or None,
            "tool_calls": [_wire_call(c) for c in m.tool_calls],
        }
    return {"role": m.role, "content": m.content}


def _wire_call(call: ToolCall) -> dict[str, Any]:
    # Arguments that were not JSON go back as they came: the model sees what it sent.
    arguments = call.raw_arguments if call.arguments is None else json.dumps(call.arguments)
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": arguments},
    }


def _json(data: str, label: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise ProtocolViolation(f"{label} sent a stream event that is not JSON.") from exc
    if not isinstance(value, dict):
        raise ProtocolViolation(f"{label} sent a stream event that is not a JSON object.")
    return value
