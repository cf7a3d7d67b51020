"""Provider answers that went wrong, in words: a non-2xx status turned into its typed error
(with the server's own message, redacted), and how long to wait before trying again."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from promptterm.providers.base import RetryPolicy
from promptterm.providers.errors import (
    AuthenticationFailed,
    BadRequest,
    ContextTooLong,
    EndpointNotFound,
    ModelNotFound,
    ProviderError,
    RateLimited,
    ServerFailed,
    redact,
)

_CONTEXT_TOO_LONG = re.compile(
    r"context[ _]length|maximum context|context window|prompt is too long|too many tokens"
    r"|input is too long|exceeds? the (?:model'?s? )?(?:maximum|context)|reduce the length",
    re.IGNORECASE,
)


def error_for_status(
    status: int,
    raw: bytes,
    headers: Mapping[str, str],
    *,
    label: str,
    model: str,
    url: str,
    secret: str | None,
) -> ProviderError:
    """The typed error for a non-2xx answer, with the server's own words (redacted)."""
    detail, code = error_detail(raw)
    detail = redact(detail, secret)
    said = f": {detail}" if detail else ""
    if status == 401:
        if secret:
            return AuthenticationFailed(
                f"{label} refused the API key (HTTP 401). It may be wrong, expired or revoked.",
                status=status,
            )
        return AuthenticationFailed(f"{label} needs an API key (HTTP 401).", status=status)
    if status == 403:
        return AuthenticationFailed(
            f"{label} refused access (HTTP 403): the key may lack permission for this "
            f"model or endpoint{said}",
            status=status,
        )
    if status == 404:
        if model and ("model" in (detail + code).lower() or model in detail):
            return ModelNotFound(f"{label} has no model {model!r} (HTTP 404){said}", status=status)
        return EndpointNotFound(
            f"Nothing answers at {url} (HTTP 404): check the base URL "
            "(OpenAI-compatible servers usually end in /v1).",
            status=status,
        )
    if status in (400, 413, 422):
        if status == 413 or _CONTEXT_TOO_LONG.search(detail) or "context_length" in code:
            return ContextTooLong(
                f"The conversation is too long for {model or 'this model'}{said}", status=status
            )
        if "model" in code and "not" in code:  # e.g. model_not_found sent as 400
            return ModelNotFound(f"{label} has no model {model!r}{said}", status=status)
        return BadRequest(f"{label} rejected the request (HTTP {status}){said}", status=status)
    if status == 429:
        wait = parse_retry_after(headers)
        if "quota" in code or "billing" in detail.lower():
            # Out of credit: waiting does not help, so it is not retried.
            error = RateLimited(f"{label} says the account is out of quota{said}", status=status)
            error.retryable = False
            return error
        return RateLimited(
            f"{label} is rate limiting requests (HTTP 429){said}", status=status, retry_after=wait
        )
    if status >= 500:
        return ServerFailed(
            f"{label} failed (HTTP {status}){said}",
            status=status,
            retry_after=parse_retry_after(headers),
        )
    if 300 <= status < 400:
        where = headers.get("location", "elsewhere")
        return EndpointNotFound(
            f"{url} redirects to {where} (HTTP {status}): put the final address in the "
            "base URL (https:// instead of http://?).",
            status=status,
        )
    return ProviderError(f"{label} answered HTTP {status}{said}", status=status)


def error_detail(raw: bytes) -> tuple[str, str]:
    """(message, code-ish words) from the error bodies of OpenAI, Anthropic, Ollama & co."""
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        payload = json.loads(text)
    except ValueError:
        return text[:300], ""
    error = payload.get("error", payload) if isinstance(payload, dict) else payload
    if isinstance(error, str):
        return error, ""
    if not isinstance(error, dict):
        return text[:300], ""
    message = str(error.get("message") or error.get("detail") or "")
    code = " ".join(str(error.get(k) or "") for k in ("type", "code")).strip()
    return message, code


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds to wait: ``retry-after-ms`` (OpenAI), then ``Retry-After`` as seconds or as an
    HTTP date; None when absent or unreadable."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def retry_delay(error: ProviderError, attempt: int, policy: RetryPolicy) -> float | None:
    """Seconds before the next try, or None when ``error`` must be raised now."""
    if not error.retryable or attempt >= policy.max_retries:
        return None
    if error.retry_after is not None:
        if error.retry_after > policy.max_retry_after:
            error.message += f" The server asks to wait {error.retry_after:.0f} s; try later."
            error.args = (error.message,)
            return None
        return error.retry_after
    ceiling = min(policy.max_delay, policy.base_delay * 2**attempt)
    # "Equal jitter": at least half the backoff, so clients that failed together spread out.
    return ceiling / 2 + random.uniform(0, ceiling / 2)
