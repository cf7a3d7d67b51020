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
    UsageReport,
)
from promptterm.providers.errors import ProtocolViolation, StreamFailed, StreamInterrupted, redact
from promptterm.providers.http import HttpProvider, join_url, skipped

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
        response = await self.open_stream(
            self._url("messages"), body, self._headers(), model=model, on_retry=on_retry
        )
        label = self.settings.label
        try:
            finish: str | None = None
            seen_model: str | None = None
            stopped = False
            bad = 0
            async for event in self.sse(response):
                try:
                    payload = _json(event.data, label)
                except ProtocolViolation as exc:
                    yield skipped(exc, bad := bad + 1)  # raises past MAX_BAD_EVENTS
                    continue
                kind = payload.get("type") or event.event
                if kind == "content_block_delta":
                    delta = payload.get("delta") or {}
                    # Only text is shown; thinking and tool-input deltas are not part of it.
                    if delta.get("type") == "text_delta" and delta.get("text"):
                        yield TextDelta(delta["text"])
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
                # ping, content_block_start/stop and future event types need nothing.
            if not stopped:
                raise StreamInterrupted(
                    f"{label} closed the stream before the answer was complete; "
                    "the part that arrived is kept."
                )
            yield StreamDone(finish, seen_model)
        finally:
            await response.aclose()


def _alternating(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    """Merge consecutive turns of one role (an unanswered question, then another): the API
    wants user and assistant to alternate, starting with the user."""
    wire: list[dict[str, str]] = []
    for m in messages:
        if wire and wire[-1]["role"] == m.role:
            wire[-1]["content"] += "\n\n" + m.content
        else:
            wire.append({"role": m.role, "content": m.content})
    if wire and wire[0]["role"] != "user":
        wire.insert(0, {"role": "user", "content": "(continuing)"})
    return wire


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
