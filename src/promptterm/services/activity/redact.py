"""Secrets never reach the activity log: API keys by value, and any field or header whose
name says it holds one (Authorization, x-api-key, api_key, token, secret, password...)."""

from __future__ import annotations

import json
import re
from typing import Any

REDACTED = "[redacted]"
_SECRET_NAME = re.compile(
    r"authorization|api[-_ ]?key|x-goog-api-key|token|secret|password|cookie|credential",
    re.IGNORECASE,
)
# Counted in "tokens" fields, not secrets: usage figures keep their numbers.
_TOKEN_COUNTS = re.compile(r"^(max_|input_|output_|prompt_|completion_|total_)?tokens?$", re.I)
_KEYLIKE = re.compile(
    r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-*.]{6,}|\bBearer\s+\S+|\bAIza[0-9A-Za-z_\-]{20,}", re.I
)


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
            # Servers echo a prefix or suffix of a key: hide long fragments too.
            for fragment in (secret[:12], secret[-12:]):
                if len(fragment) >= 8:
                    text = text.replace(fragment, REDACTED)
    return _KEYLIKE.sub(REDACTED, text)


def redact_value(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """``value`` (JSON-like) with secret-named fields and secret values hidden."""
    if isinstance(value, dict):
        return {
            str(k): REDACTED
            if _is_secret_name(str(k)) and v not in (None, "")
            else redact_value(v, secrets)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_value(v, secrets) for v in value]
    if isinstance(value, str):
        return redact_text(value, secrets)
    return value


def body_text(value: Any, secrets: tuple[str, ...] = ()) -> str | None:
    """A request or response body as stored: redacted JSON (or text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return redact_text(value, secrets)
    return json.dumps(redact_value(value, secrets), ensure_ascii=False, default=str, indent=2)


def _is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name)) and not _TOKEN_COUNTS.match(name)
