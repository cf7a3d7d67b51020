"""Typed provider errors, each with a message a person can act on.

Messages never carry the API key: text that comes back from a server (which may echo a
masked or even a whole key) goes through ``redact`` first.
"""

from __future__ import annotations

import re

# Key-like tokens: "sk-...", "sk-ant-...", "sk-proj-...", and bearer tokens.
_KEYLIKE = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-*.]{6,}|\bBearer\s+\S+", re.IGNORECASE)
_MAX_DETAIL = 300


def redact(text: str, secret: str | None = None) -> str:
    """``text`` without the secret or anything that looks like a key, cut to a sane length."""
    if secret:
        text = text.replace(secret, "[key]")
        # Servers often echo a prefix or suffix of the key; hide long fragments too.
        for fragment in (secret[:12], secret[-12:]):
            if len(fragment) >= 8:
                text = text.replace(fragment, "[key]")
    text = _KEYLIKE.sub("[key]", text)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


class ProviderError(Exception):
    """Base of every provider failure. ``kind`` is a short stable name for screens and JSON."""

    kind = "provider error"
    retryable = False

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


class AuthenticationFailed(ProviderError):
    """401/403: the key is missing, wrong, revoked or lacks permission."""

    kind = "bad key"


class ModelNotFound(ProviderError):
    kind = "unknown model"


class EndpointNotFound(ProviderError):
    """404 for something other than a model: usually a base URL without its /v1."""

    kind = "wrong address"


class ContextTooLong(ProviderError):
    kind = "context too long"


class BadRequest(ProviderError):
    kind = "rejected"


class RateLimited(ProviderError):
    kind = "rate limited"
    retryable = True


class ServerFailed(ProviderError):
    kind = "server error"
    retryable = True


class ProviderUnreachable(ProviderError):
    """Network down, DNS failure, connection refused, connect timeout."""

    kind = "unreachable"


class ProviderTimeout(ProviderError):
    """No first byte within the read timeout."""

    kind = "timeout"


class StreamInterrupted(ProviderError):
    """The connection dropped or stalled mid-answer; what arrived before is still valid."""

    kind = "interrupted"


class StreamFailed(ProviderError):
    """The server sent an error event mid-stream (e.g. Anthropic's overloaded_error)."""

    kind = "stream error"


class ProtocolViolation(ProviderError):
    """The server answered with something that is not the protocol (bad JSON, not SSE)."""

    kind = "bad response"
