"""One answer of a send: streamed from the provider into the thread, saved as it grows,
then stored with its tokens, cost and usage (or kept as far as it got when it stops or fails).

``ChatSendService`` takes these methods from ``SendRound``, so a send's loop (send.py) and
its single round read apart; the round uses the service's ctx, steps, store,
flush_interval and call_log."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from promptterm.services.chat.plan import Outcome, SendPlan, SendSteps
from promptterm.services.chat.stream import (
    AnswerBuffer,
    CancelToken,
    OnEvent,
    SendDelta,
    SendFinished,
    SendResult,
    SendRetrying,
    SendStarted,
)
from promptterm.services.chat.tools.events import ToolRoundEnded
from promptterm.services.chat.versions import AnswerStore
from promptterm.services.context import ServiceContext

if TYPE_CHECKING:
    from promptterm.providers.base import ChatProvider
    from promptterm.services.activity import ProviderCall


class RoundClient:
    """The provider client of one send, made at its first round and kept for the rounds
    after a tool call: they reuse its connection (no new TCP and TLS handshake with the
    provider per round). ``await aclose()`` when the send ends."""

    def __init__(self) -> None:
        self._client: ChatProvider | None = None

    def get(self, plan: SendPlan) -> ChatProvider:
        if self._client is None:
            from promptterm.providers import create_provider

            self._client = create_provider(plan.settings)
        return self._client

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


class SendRound:
    ctx: ServiceContext
    steps: SendSteps
    store: AnswerStore
    flush_interval: float
    call_log: Callable[[Callable[[], ProviderCall]], None] | None

    async def _round(
        self, plan: SendPlan, emit: OnEvent, cancel: CancelToken | None, client: RoundClient
    ) -> tuple[SendResult, Outcome]:
        """One answer streamed and stored; it may end asking for tools (``outcome.tool_calls``)."""
        buffer = AnswerBuffer(
            partial(self.store.save_partial, plan.assistant.id), self.flush_interval
        )
        outcome = Outcome()
        started = time.monotonic()
        task = asyncio.current_task()
        assert task is not None
        outer = False
        if cancel is not None:
            cancel.bind(task)
        try:
            await self._pump(plan, buffer, outcome, emit, client, cancel)
        except asyncio.CancelledError:
            outcome.stopped = True
            outer = cancel is None or not cancel.cancelled
            if not outer:
                task.uncancel()
        finally:
            if cancel is not None:
                cancel.unbind()
        finishing = asyncio.ensure_future(self._conclude(plan, buffer, outcome, emit))
        while True:
            try:
                result = await asyncio.shield(finishing)
                break
            except asyncio.CancelledError:
                if finishing.cancelled():
                    # The event loop is closing (the program ends) and cancelled the write
                    # itself: awaiting it again would spin for ever. What streamed is saved
                    # already, and the next start finds the answer left streaming.
                    raise
                if cancel is not None and cancel.cancelled and not outer:
                    task.uncancel()  # a Stop that landed just as the stream ended
                    continue
                outer = True  # the final write goes on; the caller's cancellation is honoured
        if self.call_log is not None:
            from promptterm.services.chat.call_log import describe_send

            self.call_log(partial(describe_send, plan, outcome, result, time.monotonic() - started))
        if outer:
            raise asyncio.CancelledError
        return result, outcome

    async def _pump(
        self,
        plan: SendPlan,
        buffer: AnswerBuffer,
        outcome: Outcome,
        emit: OnEvent,
        client: RoundClient,
        cancel: CancelToken | None,
    ) -> None:
        from promptterm.providers.base import (
            RetryNotice,
            StreamWarning,
            TextDelta,
            ToolCall,
            UsageReport,
        )
        from promptterm.providers.errors import ProviderError, redact

        message_id = plan.assistant.id

        def retrying(notice: RetryNotice) -> None:
            emit(SendRetrying(message_id, notice.attempt, notice.delay, notice.reason))

        try:
            emit(
                SendStarted(
                    plan.thread_id, plan.user_message, plan.assistant, plan.entry.name, plan.model
                )
            )
            events = client.get(plan).stream(
                plan.history,
                model=plan.model,
                system=plan.system,
                on_retry=retrying,
                tools=plan.toolbox.definitions() if plan.toolbox else (),
            )
            async with contextlib.aclosing(events):
                async for event in events:
                    # The hot path: one append and one callback per token.
                    if type(event) is TextDelta:
                        if cancel is not None and cancel.cancelled:
                            # Stopped within a burst read in one go: the stop is raised at
                            # the next read, and the words after it are neither shown nor
                            # kept.
                            continue
                        buffer.add(event.text)
                        emit(SendDelta(message_id, event.text))
                    elif type(event) is UsageReport:
                        if event.input_tokens is not None:
                            outcome.reported_in = event.input_tokens
                        if event.output_tokens is not None:
                            outcome.reported_out = event.output_tokens
                    elif type(event) is StreamWarning:
                        outcome.warnings.append(event.message)
                    elif type(event) is ToolCall:
                        outcome.tool_calls.append(event)
                    else:
                        outcome.complete = True
                        outcome.finish_reason = event.finish_reason
                        outcome.served_model = event.model
        except ProviderError as exc:
            outcome.error = exc
        except Exception as exc:
            # Anything else (a bug, an odd transport failure, a raising on_event) still
            # closes the answer with its text kept, rather than leave it "streaming".
            what = redact(f"{type(exc).__name__}: {exc}", plan.settings.api_key)
            outcome.error = ProviderError(f"Unexpected failure while streaming ({what}).")

    async def _conclude(
        self, plan: SendPlan, buffer: AnswerBuffer | str, outcome: Outcome, emit: OnEvent
    ) -> SendResult:
        if isinstance(buffer, AnswerBuffer):
            await buffer.settle()
            text = buffer.text
        else:
            text = buffer
        try:
            result = await asyncio.to_thread(self.steps.finish, plan, text, outcome)
        except Exception as exc:
            # The text streamed but the database refused it (a full disk...): keep it.
            raise self._not_saved(plan, text, exc) from exc
        if plan.toolbox is not None and outcome.tool_calls and result.status == "complete":
            emit(ToolRoundEnded(result.message))  # the loop goes on; SendFinished at its end
        else:
            emit(SendFinished(result))
        return result

    def _not_saved(self, plan: SendPlan, text: str, exc: Exception) -> Exception:
        from sqlalchemy.exc import SQLAlchemyError

        from promptterm.db.errors import ReadOnlyDatabase
        from promptterm.db.setup_errors import explain
        from promptterm.services.chat.rescue import rescue

        if not isinstance(exc, SQLAlchemyError | OSError | ReadOnlyDatabase):
            return exc
        reason = explain(exc, self.ctx.db.url) or f"The database refused the answer ({exc!r:.200})."
        return rescue(plan.assistant.id, text, reason)
