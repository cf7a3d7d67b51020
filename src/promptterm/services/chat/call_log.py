"""What a send tells the activity log about its provider call (services/activity).

Built on the activity recorder's thread, after the send returned: a send pays one closure
and one queue put for it, and a failure here is the recorder's to count, never the send's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from promptterm.services.activity import ProviderCall

if TYPE_CHECKING:
    from promptterm.providers.base import ProviderSettings
    from promptterm.services.chat.plan import Outcome, SendPlan
    from promptterm.services.chat.providers import ProviderInfo
    from promptterm.services.chat.stream import SendResult

_OUTCOMES = {"complete": "ok", "stopped": "stopped"}


def endpoint(kind: str, base_url: str, path: str) -> str:
    """The URL the provider's client calls for ``path`` ("chat/completions" or "models";
    Anthropic's are "messages" and "models" under /v1, as providers/anthropic.py builds them)."""
    base = base_url.rstrip("/")
    if kind == "anthropic":
        base = base if base.endswith("/v1") else base + "/v1"
        path = "messages" if path == "chat/completions" else path
    return f"{base}/{path}"


def describe_send(
    plan: SendPlan, outcome: Outcome, result: SendResult, seconds: float
) -> ProviderCall:
    error = outcome.error
    status = _OUTCOMES.get(result.status, "error")
    if error is not None and error.status is not None:
        status = str(error.status)
    message = result.message
    request: dict[str, Any] = {
        "model": plan.model,
        "system": plan.system,
        "messages": [{"role": m.role, "content": m.content} for m in plan.history],
        "max_tokens": plan.settings.max_tokens,
    }
    response: dict[str, Any] = {
        "text": message.content,
        "finish_reason": outcome.finish_reason,
        "model": outcome.served_model,
        "usage": {"input_tokens": outcome.reported_in, "output_tokens": outcome.reported_out},
    }
    if error is not None:
        response["error"] = {"kind": error.kind, "message": str(error)}
    return ProviderCall(
        provider=plan.entry.name,
        model=plan.model,
        endpoint=endpoint(plan.entry.kind, plan.entry.base_url, "chat/completions"),
        status=status,
        duration_ms=round(seconds * 1000),
        tokens_in=message.tokens_in,
        tokens_out=message.tokens_out,
        cost_usd=message.cost_usd,
        thread_id=result.thread_id,
        message_id=message.id,
        error_type=error.kind if error is not None else None,
        message=result.error,
        request=request,
        response=response,
        secrets=(plan.settings.api_key,) if plan.settings.api_key else (),
    )


def describe_listing(
    info: ProviderInfo, settings: ProviderSettings, failure: BaseException | None, seconds: float
) -> ProviderCall:
    """A model listing (``ProviderService.models``)."""
    import asyncio

    from promptterm.providers.errors import ProviderError

    if failure is None:
        status, kind = "ok", None
    elif isinstance(failure, asyncio.CancelledError):
        status, kind = "stopped", None
    elif isinstance(failure, ProviderError):
        status = str(failure.status) if failure.status is not None else "error"
        kind = failure.kind
    else:
        status, kind = "error", type(failure).__name__
    return ProviderCall(
        provider=info.name,
        model=None,
        endpoint=endpoint(info.kind, info.base_url, "models"),
        status=status,
        duration_ms=round(seconds * 1000),
        error_type=kind,
        message=str(failure) if failure is not None and status != "stopped" else None,
        secrets=(settings.api_key,) if settings.api_key else (),
    )
