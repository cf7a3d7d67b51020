"""What an AI job tells the activity log about its provider call, as a chat send does
(services/chat/call_log.py): provider, model, status, tokens, cost and duration; the bodies
(kept only with ``[activity] log_bodies``) and the API key redacted by the activity log.

Built on the activity recorder's thread after the job ended, so the job pays a queue put."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from promptterm.services.activity import ProviderCall
from promptterm.services.chat import endpoint

if TYPE_CHECKING:
    from promptterm.providers.errors import ProviderError
    from promptterm.services.code.ai.records import AiJobInfo, JobPlan

_STATUSES = {"completed": "ok", "canceled": "stopped"}


def describe_job(
    plan: JobPlan,
    job: AiJobInfo,
    error: ProviderError | None,
    reported: tuple[int | None, int | None],
) -> ProviderCall:
    """``job`` as it ended; ``error`` the provider's, ``reported`` the tokens it reported."""
    status = _STATUSES.get(job.status, "error")
    if error is not None and error.status is not None:
        status = str(error.status)
    request: dict[str, Any] = {
        "model": plan.model,
        "system": plan.system,
        "messages": [{"role": "user", "content": plan.question}],
        "max_tokens": plan.settings.max_tokens,
    }
    response: dict[str, Any] = {
        "text": job.output,
        "usage": {"input_tokens": reported[0], "output_tokens": reported[1]},
    }
    if error is not None:
        response["error"] = {"kind": error.kind, "message": str(error)}
    return ProviderCall(
        provider=plan.entry.name,
        model=plan.model,
        endpoint=endpoint(plan.entry.kind, plan.entry.base_url, "chat/completions"),
        status=status,
        duration_ms=job.duration_ms or 0,
        tokens_in=job.tokens_in,
        tokens_out=job.tokens_out,
        cost_usd=job.cost_usd,
        error_type=error.kind if error is not None else None,
        # A completed job's note (a refactor without a change) is about the answer, not the call.
        message=job.error if job.status != "completed" else None,
        context={"job": str(job.id), "action": job.kind, "file": str(job.input.get("path"))},
        request=request,
        response=response,
        secrets=(plan.settings.api_key,) if plan.settings.api_key else (),
    )
