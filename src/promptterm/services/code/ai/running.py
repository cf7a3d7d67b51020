"""A job's run: mark it running, stream the answer, then store how it ended with its tokens,
cost and usage record (as chat meters a send), its proposed change or its kept analysis."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from promptterm.services.billing import BillingService
from promptterm.services.chat import (
    CancelToken,
    PricingService,
    explain_provider_error,
    final_usage,
)
from promptterm.services.code.ai import prompts
from promptterm.services.code.ai.analyses import AnalysisStore
from promptterm.services.code.ai.records import AiJobInfo, JobPlan, job_info, own_job
from promptterm.services.context import ServiceContext
from promptterm.services.tokens import estimate_tokens

if TYPE_CHECKING:
    from promptterm.providers.errors import ProviderError
    from promptterm.services.activity import ProviderCall

# As chat (chat/plan.py): after these errors the server has worked on the prompt: metered.
_BILLED_ERRORS = ("interrupted", "stream error")


@dataclass
class _Outcome:
    reported_in: int | None = None
    reported_out: int | None = None
    complete: bool = False
    stopped: bool = False
    called: bool = False  # the provider was asked (a job cancelled before that made no call)
    error: ProviderError | None = None
    chunks: list[str] = field(default_factory=list)
    # Who writes how the job ended: its thread, or the loop when that thread's turn was
    # cancelled (never both: the usage would be metered twice).
    _writer: threading.Lock = field(default_factory=threading.Lock)

    def claim_the_final_write(self) -> bool:
        return self._writer.acquire(blocking=False)


class JobRunner:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        billing: BillingService,
        pricing: PricingService,
        analyses: AnalysisStore,
    ) -> None:
        self.ctx = ctx
        self.billing = billing
        self.pricing = pricing
        self.analyses = analyses
        # Hands each provider call to the activity log (Services sets it), as chat's sends do.
        self.call_log: Callable[[Callable[[], ProviderCall]], None] | None = None

    async def run(
        self,
        plan: JobPlan,
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> AiJobInfo:
        outcome = _Outcome()
        started = time.monotonic()
        task = asyncio.current_task()
        assert task is not None
        if cancel is not None:
            cancel.bind(task)  # cancelled already: the job ends "canceled" before any call
        # Shielded: a cancel while it is written must not let "running" land after the end.
        marking = asyncio.ensure_future(asyncio.to_thread(self._mark_running, plan.job.id))
        outer = False
        try:
            await asyncio.shield(marking)
            await self._stream(plan, outcome, on_text, cancel)
        except asyncio.CancelledError:
            outcome.stopped = True
            outer = cancel is None or not cancel.cancelled
            if not outer:
                task.uncancel()
        finally:
            if cancel is not None:
                cancel.unbind()
        elapsed = int((time.monotonic() - started) * 1000)
        # The final write goes on even if the caller is cancelled again meanwhile.
        finishing = asyncio.ensure_future(self._close(marking, plan, outcome, elapsed))
        while True:
            try:
                info = await asyncio.shield(finishing)
                break
            except asyncio.CancelledError:
                outer = True
                if finishing.cancelled():
                    # The event loop is closing (a program ending, the app quitting) and
                    # cancelled the write itself: awaiting it again would spin for ever.
                    # A write already in its thread ends there; else it is done here.
                    if outcome.claim_the_final_write():
                        self._finish(plan, outcome, elapsed)
                    raise
        if outcome.called and self.call_log is not None:
            from promptterm.services.code.ai.call_log import describe_job

            reported = (outcome.reported_in, outcome.reported_out)
            self.call_log(partial(describe_job, plan, info, outcome.error, reported))
        if outer:
            raise asyncio.CancelledError
        return info

    # -- the stream and the accounting -----------------------------------------------------

    async def _stream(
        self,
        plan: JobPlan,
        outcome: _Outcome,
        on_text: Callable[[str], None] | None,
        cancel: CancelToken | None,
    ) -> None:
        from promptterm.providers import create_provider
        from promptterm.providers.base import ChatMessage, StreamDone, TextDelta, UsageReport
        from promptterm.providers.errors import ProviderError, redact

        try:
            async with create_provider(plan.settings) as client:
                outcome.called = True
                events = client.stream(
                    [ChatMessage("user", plan.question)], model=plan.model, system=plan.system
                )
                async with contextlib.aclosing(events):
                    async for event in events:
                        if type(event) is TextDelta:
                            if cancel is not None and cancel.cancelled:
                                continue  # stopped within a burst (as chat's send_round.py)
                            outcome.chunks.append(event.text)
                            if on_text is not None:
                                on_text(event.text)
                        elif type(event) is UsageReport:
                            if event.input_tokens is not None:
                                outcome.reported_in = event.input_tokens
                            if event.output_tokens is not None:
                                outcome.reported_out = event.output_tokens
                        elif type(event) is StreamDone:
                            outcome.complete = True
        except ProviderError as exc:
            outcome.error = exc
        except Exception as exc:
            what = redact(f"{type(exc).__name__}: {exc}", plan.settings.api_key)
            outcome.error = ProviderError(f"Unexpected failure while streaming ({what}).")

    async def _close(
        self, marking: asyncio.Future[None], plan: JobPlan, outcome: _Outcome, elapsed: int
    ) -> AiJobInfo:
        await marking
        return await asyncio.to_thread(self._finish_claimed, plan, outcome, elapsed)

    def _finish_claimed(self, plan: JobPlan, outcome: _Outcome, elapsed_ms: int) -> AiJobInfo:
        if not outcome.claim_the_final_write():
            raise asyncio.CancelledError  # the loop wrote it: this turn was cancelled
        return self._finish(plan, outcome, elapsed_ms)

    def _mark_running(self, job_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            row = own_job(session, self.ctx, job_id)
            row.status = "running"
            row.started_at = self.ctx.now()
            session.add(row)

    def _finish(self, plan: JobPlan, outcome: _Outcome, elapsed_ms: int) -> AiJobInfo:
        text = "".join(outcome.chunks)
        error = outcome.error
        if outcome.complete and error is None:
            status = "completed"
        else:
            status = "canceled" if outcome.stopped else "failed"
        reported = outcome.reported_in is not None or outcome.reported_out is not None
        billed = (
            status == "completed"
            or (error is not None and error.kind in _BILLED_ERRORS)
            or (outcome.stopped and (bool(text) or reported))
        )
        message = explain_provider_error(error, plan.entry, self.ctx.hints) if error else None
        tokens_in = tokens_out = None
        estimated = False
        cost = None
        if billed:
            tokens_in, tokens_out, estimated = final_usage(
                outcome.reported_in,
                outcome.reported_out,
                plan.estimate,
                estimate_tokens(text),
                status == "completed",
            )
            cost = self.pricing.quote(
                provider=plan.entry.name,
                kind=plan.entry.kind,
                base_url=plan.entry.base_url,
                model=plan.model,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                at=self.ctx.now(),
            ).cost_usd
        proposal = change_state = None
        if status == "completed" and plan.job.kind in prompts.CHANGING:
            lines = plan.job.input.get("lines")
            try:
                proposal = prompts.proposed_text(
                    plan.job.kind, plan.text, prompts.parse_lines(lines) if lines else None, text
                )
                change_state = "proposed"
            except prompts.InvalidChange as exc:
                change_state = "invalid"
                message = str(exc)
        with self.ctx.db.session() as session:
            row = own_job(session, self.ctx, plan.job.id)
            row.status = status
            row.output = text
            row.error = message
            row.tokens_in, row.tokens_out, row.tokens_estimated = tokens_in, tokens_out, estimated
            row.cost_usd = cost
            row.duration_ms = elapsed_ms
            row.proposal, row.change_state = proposal, change_state
            row.finished_at = self.ctx.now()
            session.add(row)
            session.flush()
            info = job_info(row)
        if billed and tokens_in is not None and tokens_out is not None:
            self.billing.record_usage(
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                provider=plan.entry.name,
                model=plan.model,
                cost_usd=cost,
                estimated=estimated,
            )
        kept = plan.job.kind in ("explain", "analyze") and info.input.get("lines") is None
        if status == "completed" and kept and info.file_id is not None:
            self.analyses.keep(
                project_id=info.project_id,
                file_id=info.file_id,
                job_id=info.id,
                kind=info.input.get("aspect") or "explain",
                text=plan.text,
                version=int(info.input["version"]),
                output=text,
                model=plan.model,
            )
        return info
