"""Send a message to the thread's model and stream the answer into the thread.

One send, in order: pick the provider and model (argument, else the thread's, else the
entry's default); compose the thread's preset into the system prompt; estimate the prompt's
tokens and check the plan's monthly token limit (LimitReached) and the user's monthly budget
(BudgetReached), which stop the send before anything is stored; resolve the API key; store
the user message and an empty assistant message with status "streaming"; count a use of
the preset and its components; stream, saving the growing answer every ``flush_interval``
seconds; then store the final text, status, tokens (the provider's, or estimated and marked
so), cost and a usage record for the call.

An answer ends "complete", "stopped" (CancelToken or a cancelled worker: the text so far is
kept) or "error" (the text so far is kept; ``meta["error"]`` = {kind, message}; a dropped
connection also sets ``meta["interrupted"]``). Regenerate and edit-and-resend keep what
they replace: see chat/versions.py. Answer meta keys: usage ("provider" | "estimated"),
price {source, version, input_per_mtok, output_per_mtok}, finish_reason, served_model,
preset {id, name}, error, interrupted, warnings (what the stream survived, e.g. a skipped
event that was not JSON), versions, edited, budget {state ("warning" | "full"),
limit, message}: set once the call takes a budget cap or the plan's tokens past 80%.

Running it from the chat screen:
- thread worker: ``send(...)`` blocks and runs its own event loop; ``on_event`` is called on
  the worker's thread, so post the events as messages (``post_message`` is thread-safe);
- async worker: ``await send_async(...)``; database work runs in threads, off the UI loop;
- or ``async for event in chat_send.iterate(chat_send.send_async, thread_id, text)``.
Stop with ``CancelToken.cancel()`` from any thread, or by cancelling the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from promptterm.services.billing import BillingService
from promptterm.services.chat.interrupt import run_interruptibly
from promptterm.services.chat.plan import Outcome, SendPlan, SendSteps, ToolsFor
from promptterm.services.chat.pricing import PricingService
from promptterm.services.chat.providers import ProviderService
from promptterm.services.chat.send_round import RoundClient, SendRound
from promptterm.services.chat.stream import (
    CancelToken,
    OnEvent,
    SendEvent,
    SendFinished,
    SendResult,
)
from promptterm.services.chat.threads import ChatService
from promptterm.services.chat.tools.loop import Answered, Approver, ToolRunner
from promptterm.services.chat.tools.registry import resolve_tools
from promptterm.services.chat.tools.settings import ThreadTools
from promptterm.services.chat.tools.source import ToolSource
from promptterm.services.chat.tools.toolbox import Toolbox
from promptterm.services.chat.versions import AnswerStore
from promptterm.services.context import ServiceContext
from promptterm.services.errors import ServiceError
from promptterm.services.library import PresetService

if TYPE_CHECKING:
    from promptterm.providers.base import ToolCall
    from promptterm.services.activity import ProviderCall


class ChatSendService(SendRound):
    # Seconds between saves of a growing answer: what a killed process can lose of it. A
    # save rewrites the whole answer and its search index, so its cost grows with the
    # answer: at 4 a second it was a tenth of the app's CPU while an answer streamed.
    flush_interval = 1.0
    # Answers that may ask for tools in one send, and seconds a tool may take: the config's
    # [tools] max_rounds and timeout, read at the first send with tools, unless set here.
    tool_rounds: int | None = None
    tool_timeout: float | None = None

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        chat: ChatService,
        presets: PresetService,
        billing: BillingService,
        providers: ProviderService,
        pricing: PricingService,
    ) -> None:
        self.ctx = ctx
        self.chat = chat
        self.presets = presets
        self.billing = billing
        self.providers = providers
        self.pricing = pricing
        self.store = AnswerStore(ctx)
        self.tools = ThreadTools(ctx, presets)
        self.runner = ToolRunner(chat, self.tools)
        # Told of every call once it ended (the activity log); it must return at once.
        self.call_log: Callable[[Callable[[], ProviderCall]], None] | None = None
        # steps.history_limit: how many of the newest messages go along as context.
        self.steps = SendSteps(
            ctx,
            chat=chat,
            presets=presets,
            billing=billing,
            providers=providers,
            pricing=pricing,
            store=self.store,
        )

    # -- blocking (CLI, thread workers) ---------------------------------------------------------

    def send(self, thread_id: uuid.UUID, text: str, **options: Any) -> SendResult:
        """Options: provider (entry name), model, on_event, cancel (CancelToken), variables
        (values for ``{{name}}`` placeholders, remembered for the thread)."""
        return run_interruptibly(self.send_async(thread_id, text, **options))

    def regenerate(self, thread_id: uuid.UUID, **options: Any) -> SendResult:
        return run_interruptibly(self.regenerate_async(thread_id, **options))

    def edit_and_resend(self, message_id: uuid.UUID, text: str, **options: Any) -> SendResult:
        return run_interruptibly(self.edit_and_resend_async(message_id, text, **options))

    def make_ready(self) -> None:
        """Do ahead what the process's first send does once before its request (load the HTTP
        client, read the CA bundle), so that the first answer starts as fast as the next.
        Blocking: call it from a thread."""
        from promptterm.providers import make_ready

        make_ready()

    def recover_interrupted(self, thread_id: uuid.UUID | None = None) -> int:
        """Close and meter answers left "streaming" by a process that died; call it when no
        send of this process runs (at start). See chat_recovery.py."""
        from promptterm.services.chat.recovery import InterruptedAnswers

        recovery = InterruptedAnswers(self.ctx, providers=self.providers, pricing=self.pricing)
        return recovery.recover(thread_id, mine_too=True)

    # -- async (async workers) ------------------------------------------------------------------

    async def send_async(
        self,
        thread_id: uuid.UUID,
        text: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        on_event: OnEvent | None = None,
        cancel: CancelToken | None = None,
        variables: dict[str, str] | None = None,
        tools: Sequence[ToolSource] | None = None,
        approve: Approver | None = None,
    ) -> SendResult:
        """``tools``: the sources to offer (default: the thread's, through the registry);
        ``approve``: asked about each call not approved "always" (none: every call denied)."""
        prepare = partial(
            self.steps.prepare,
            "send",
            thread_id,
            None,
            text,
            provider,
            model,
            variables,
            self._tools_for(tools),
        )
        return await self._run(prepare, on_event, cancel, approve)

    async def regenerate_async(
        self,
        thread_id: uuid.UUID,
        *,
        provider: str | None = None,
        model: str | None = None,
        on_event: OnEvent | None = None,
        cancel: CancelToken | None = None,
        variables: dict[str, str] | None = None,
        tools: Sequence[ToolSource] | None = None,
        approve: Approver | None = None,
    ) -> SendResult:
        """A new answer to the last question; the replaced one goes to ``meta["versions"]``."""
        prepare = partial(
            self.steps.prepare,
            "regenerate",
            thread_id,
            None,
            None,
            provider,
            model,
            variables,
            self._tools_for(tools),
        )
        return await self._run(prepare, on_event, cancel, approve)

    async def edit_and_resend_async(
        self,
        message_id: uuid.UUID,
        text: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        on_event: OnEvent | None = None,
        cancel: CancelToken | None = None,
        variables: dict[str, str] | None = None,
        tools: Sequence[ToolSource] | None = None,
        approve: Approver | None = None,
    ) -> SendResult:
        """Replace user message ``message_id`` and what followed (kept in a branch thread)."""
        prepare = partial(
            self.steps.prepare,
            "edit",
            None,
            message_id,
            text,
            provider,
            model,
            variables,
            self._tools_for(tools),
        )
        return await self._run(prepare, on_event, cancel, approve)

    async def iterate(
        self, method: Callable[..., Awaitable[SendResult]], *args: Any, **options: Any
    ) -> AsyncIterator[SendEvent]:
        """The events of ``method(*args, **options)`` (e.g. ``self.send_async``) as an async
        iterator; leaving the loop early stops the send (the partial answer is kept)."""
        queue: asyncio.Queue[SendEvent | None] = asyncio.Queue()
        cancel = options.pop("cancel", None) or CancelToken()
        task = asyncio.ensure_future(
            method(*args, on_event=queue.put_nowait, cancel=cancel, **options)
        )
        task.add_done_callback(lambda _: queue.put_nowait(None))
        try:
            while (event := await queue.get()) is not None:
                yield event
            task.result()  # a refusal before the stream (limit, no key...) raises here
        finally:
            if not task.done():
                cancel.cancel()
                await asyncio.wait([task])

    # -- the flow (one answer streamed and stored: send_round.py) -----------------------------

    def _tools_for(self, given: Sequence[ToolSource] | None) -> ToolsFor:
        def tools_for(thread_id: uuid.UUID) -> Toolbox | None:
            sources = given
            if sources is None:
                refs = self.tools.get(thread_id).tools
                sources = resolve_tools(refs) if refs else []
            self._tool_limits()
            assert self.tool_timeout is not None
            toolbox = Toolbox(sources, timeout=self.tool_timeout)
            return toolbox if toolbox else None

        return tools_for

    def _tool_limits(self) -> None:
        if self.tool_rounds is None or self.tool_timeout is None:
            from promptterm.config import load_tool_limits

            limits = load_tool_limits()
            self.tool_rounds = self.tool_rounds or limits.max_rounds
            self.tool_timeout = self.tool_timeout or limits.timeout

    async def _run(
        self,
        prepare: Callable[[], SendPlan],
        on_event: OnEvent | None,
        cancel: CancelToken | None,
        approve: Approver | None = None,
    ) -> SendResult:
        emit = on_event or _ignore
        preparing = asyncio.ensure_future(asyncio.to_thread(prepare))
        try:
            plan = await asyncio.shield(preparing)
        except asyncio.CancelledError:
            # Cancelled while the messages were being stored: let that finish, then close the
            # answer as stopped rather than leave it "streaming" for ever.
            with contextlib.suppress(Exception):
                plan = await preparing
                await self._conclude(plan, "", Outcome(stopped=True), emit)
            raise
        client = RoundClient()
        try:
            return await self._rounds(plan, emit, cancel, approve, client)
        finally:
            await client.aclose()

    async def _rounds(
        self,
        plan: SendPlan,
        emit: OnEvent,
        cancel: CancelToken | None,
        approve: Approver | None,
        client: RoundClient,
    ) -> SendResult:
        result, outcome = await self._round(plan, emit, cancel, client)
        rounds = 1
        while plan.toolbox is not None and outcome.tool_calls and result.status == "complete":
            toolbox, calls = plan.toolbox, outcome.tool_calls
            if rounds >= (self.tool_rounds or 8):
                note = (
                    f"Stopped after {rounds} tool round{'s' if rounds != 1 else ''}, the cap "
                    "([tools] max_rounds in the config): the model's last calls were not run."
                )
                await self.runner.settle(plan.thread_id, calls, toolbox, "Not run: " + note, emit)
                return self._last(result, note, emit)
            try:
                answered = await self._tools_phase(plan, result, calls, approve, emit, cancel)
            except asyncio.CancelledError:
                self._last(result, "Stopped while the tools ran.", emit)
                raise
            if answered is None:
                return self._last(result, "Stopped while the tools ran.", emit)
            try:
                plan = await asyncio.to_thread(
                    self.steps.next_round, plan, result.message, calls, answered.messages
                )
            except ServiceError as exc:  # the plan's limit or a budget cap, reached mid-loop
                return self._last(result, exc.message, emit)
            result, outcome = await self._round(plan, emit, cancel, client)
            rounds += 1
        return result

    async def _tools_phase(
        self,
        plan: SendPlan,
        result: SendResult,
        calls: list[ToolCall],
        approve: Approver | None,
        emit: OnEvent,
        cancel: CancelToken | None,
    ) -> Answered | None:
        """The round's calls answered; None when the user stopped (Esc) meanwhile."""
        assert plan.toolbox is not None
        task = asyncio.current_task()
        assert task is not None
        if cancel is not None:
            cancel.bind(task)
        try:
            return await self.runner.answer(result.message, calls, plan.toolbox, approve, emit)
        except asyncio.CancelledError:
            if cancel is None or not cancel.cancelled:
                raise  # the caller's own cancellation
            task.uncancel()
            return None
        finally:
            if cancel is not None:
                cancel.unbind()

    def _last(self, result: SendResult, note: str, emit: OnEvent) -> SendResult:
        result = replace(result, notice=note)
        emit(SendFinished(result))
        return result


def _ignore(event: SendEvent) -> None:
    return None
