"""Anthropic's Messages API with streaming (SSE: message_start, content_block_delta,
message_delta, message_stop, ping, error). The base URL is the host (``https://api.anthropic.com``);
a base URL ending in ``/v1`` works too."""

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
    ToolDefinition,
    UsageReport,
)
from promptterm.providers.errors import ProtocolViolation, StreamFailed, StreamInterrupted, redact
from promptterm.providers.http import HttpProvider, join_url, skipped
from promptterm.providers.tool_calls import PendingCall

API_VERSION = "2023-06-01"
_MAX_MODEL_PAGES = 10


class AnthropicProvider(HttpProvider):
    def _url(self, path: str) -> str:
        base = self.settings.base_url.rstrip("/")
        return join_url(base if base.endswith("/v1") else base + "/v1", path)

    def _headers(self) -> dict[str, str]:
        headers = {"anthropic-version": API_VERSION, "accept": "text/event-stream"}
        if self.settings.api_key:
            headers["x-api-key"] = self.settings.api_key
        return headers

    async def list_models(self) -> list[ModelInfo]:
        headers = self._headers() | {"accept": "application/json"}
        models: list[ModelInfo] = []
        after: str | None = None
        for _ in range(_MAX_MODEL_PAGES):
            query = "models?limit=100" + (f"&after_id={after}" if after else "")
            page = await self.get_json(self._url(query), headers)
            items = page.get("data", []) if isinstance(page, dict) else []
            models += [
                ModelInfo(id=str(item["id"]), display_name=item.get("display_name"))
                for item in items
                if isinstance(item, dict) and item.get("id")
            ]
            if not (isinstance(page, dict) and page.get("has_more") and page.get("last_id")):
                break
            after = str(page["last_id"])
        return models

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
        body: dict[str, Any] = {
            "model": model,
            "max_tokens": max_tokens or self.settings.max_tokens,
            "messages": _alternating(messages),
            "stream": True,
        }
        if system:
            body["system"] = system
        if temperature is not None:
            body["temperature"] = temperature
        if tools:
            body["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters}
                for t in tools
            ]
        response = await self.open_stream(
            self._url("messages"), body, self._headers(), model=model, on_retry=on_retry
        )
        label = self.settings.label
        try:
            finish: str | None = None
            seen_model: str | None = None
            stopped = False
            bad = 0
            calls: dict[Any, PendingCall] = {}  # tool_use blocks by their index, until stop
            events = self.sse(response)
            async for event in events:
                try:
                    payload = _json(event.data, label)
                except ProtocolViolation as exc:
                    yield skipped(exc, bad := bad + 1)  # raises past MAX_BAD_EVENTS
                    continue
                kind = payload.get("type") or event.event
                if kind == "content_block_delta":
                    delta = payload.get("delta") or {}
                    # Text is shown; a tool's input is gathered; thinking is not shown.
                    if delta.get("type") == "text_delta" and delta.get("text"):
                        yield TextDelta(delta["text"])
                    elif delta.get("type") == "input_json_delta":
                        call = calls.get(payload.get("index"))
                        if call is not None and isinstance(delta.get("partial_json"), str):
                            call.parts.append(delta["partial_json"])
                elif kind == "content_block_start":
                    block = payload.get("content_block") or {}
                    if block.get("type") == "tool_use":
                        call = PendingCall(str(block.get("id") or ""), str(block.get("name") or ""))
                        if block.get("input"):  # a whole input up front (not streamed)
                            call.parts.append(json.dumps(block["input"]))
                        calls[payload.get("index")] = call
                elif kind == "content_block_stop":
                    call = calls.pop(payload.get("index"), None)
                    if call is not None:
                        yield call.finish(label)
                elif kind == "message_start":
                    message = payload.get("message") or {}
                    seen_model = message.get("model")
                    yield _usage(message.get("usage") or {})
                elif kind == "message_delta":
                    finish = (payload.get("delta") or {}).get("stop_reason") or finish
                    yield _usage(payload.get("usage") or {})
                elif kind == "message_stop":
                    stopped = True
                    break
                elif kind == "error":
                    error = payload.get("error") or {}
                    what = redact(str(error.get("message") or ""), self.settings.api_key)
                    raise StreamFailed(
                        f"{label} reported an error mid-answer: {what or 'unknown error'}"
                        f" ({error.get('type', 'error')})"
                    )
                # ping and future event types need nothing.
            if stopped:
                await self.drain(events)
            if not stopped:
                raise StreamInterrupted(
                    f"{label} closed the stream before the answer was complete; "
                    "the part that arrived is kept."
                )
            yield StreamDone(finish, seen_model)
        finally:
            await response.aclose()


def _alternating(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """Merge consecutive turns of one role (an unanswered question, then another): the API
    wants user and assistant to alternate, starting with the user. Tool calls travel as
    ``tool_use`` blocks of the assistant's turn, their results as ``tool_result`` blocks
    of the user's turn that follows."""
    wire: list[dict[str, Any]] = []
    for m in messages:
        role = "user" if m.role == "tool" else m.role
        content: str | list[dict[str, Any]] = m.content
        if m.role == "tool":
            result = {"type": "tool_result", "tool_use_id": m.tool_call_id, "content": m.content}
            content = [result | {"is_error": True}] if m.is_error else [result]
        elif m.tool_calls:
            content = [{"type": "text", "text": m.content}] if m.content else []
            content += [
                {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments or {}}
                for c in m.tool_calls
            ]
        if wire and wire[-1]["role"] == role:
            wire[-1]["content"] = _joined(wire[-1]["content"], content)
        else:
            wire.append({"role": role, "content": content})
    if wire and wire[0]["role"] != "user":
        wire.insert(0, {"role": "user", "content": "(continuing)"})
    return wire


def _joined(
    before: str | list[dict[str, Any]], after: str | list[dict[str, Any]]
) -> str | list[dict[str, Any]]:
    if isinstance(before, str) and isinstance(after, str):
        return before + "\n\n" + after
    return _blocks(before) + _blocks(after)


def _blocks(content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(content, list):
        return content
    return [{"type": "text", "text": content}] if content else []


def _usage(usage: dict[str, Any]) -> UsageReport:
    inputs = usage.get("input_tokens")
    if inputs is not None:
        # Cached prompt tokens are billed separately but are still tokens in.
        inputs += (usage.get("cache_creation_input_tokens") or 0) + (
            usage.get("cache_read_input_tokens") or 0
        )
    return UsageReport(inputs, usage.get("output_tokens"))


def _json(data: str, label: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise ProtocolViolation(f"{label} sent a stream event that is not JSON.") from exc
    if not isinstance(value, dict):
        raise ProtocolViolation(f"{label} sent a stream event that is not a JSON object.")
    return value
