"""The two ends of a send: what it needs before the stream (provider, model, system prompt,
history, the plan's token limit, the stored messages) and the accounting after it (final
text and status, tokens, cost, usage record). The flow itself is in chat/send.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from promptterm.services.billing import BillingService
from promptterm.services.chat.model_input import conversation, prompt_estimate
from promptterm.services.chat.pricing import PricingService
from promptterm.services.chat.provider_rules import explain
from promptterm.services.chat.providers import ProviderInfo, ProviderService
from promptterm.services.chat.recovery import stream_stamp
from promptterm.services.chat.stream import SendResult, final_usage
from promptterm.services.chat.threads import ChatService, MessageInfo
from promptterm.services.chat.variables import ThreadVariables, fill, placeholders
from promptterm.services.chat.versions import AnswerStore
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, UnfilledVariables, ValidationError
from promptterm.services.library import PresetService
from promptterm.services.tokens import estimate_tokens

if TYPE_CHECKING:
    from promptterm.providers.base import ChatMessage, ProviderSettings, ToolCall
    from promptterm.providers.errors import ProviderError
    from promptterm.services.chat.tools.toolbox import Toolbox

# Chooses the tools of a send once its thread is known (None: no tools).
ToolsFor = Callable[[uuid.UUID], "Toolbox | None"]

# Errors after which the server has worked on the prompt, so the call is metered.
_BILLED_ERRORS = ("interrupted", "stream error")


@dataclass
class SendPlan:
    thread_id: uuid.UUID
    user_message: MessageInfo | None
    assistant: MessageInfo
    entry: ProviderInfo
    settings: ProviderSettings
    model: str
    system: str | None
    history: list[ChatMessage]
    prompt_estimate: int
    preset: dict[str, str] | None
    toolbox: Toolbox | None = None


@dataclass
class Outcome:
    """What the stream brought, filled in as it runs."""

    reported_in: int | None = None
    reported_out: int | None = None
    finish_reason: str | None = None
    served_model: str | None = None
    complete: bool = False
    stopped: bool = False
    error: ProviderError | None = None
    warnings: list[str] = field(default_factory=list)  # what the stream survived
    tool_calls: list[ToolCall] = field(default_factory=list)  # what the model asked to run


class SendSteps:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        chat: ChatService,
        presets: PresetService,
        billing: BillingService,
        providers: ProviderService,
        pricing: PricingService,
        store: AnswerStore,
        history_limit: int = 400,
    ) -> None:
        self.ctx = ctx
        self.chat = chat
        self.presets = presets
        self.billing = billing
        self.providers = providers
        self.pricing = pricing
        self.store = store
        self.history_limit = history_limit
        self.variables = ThreadVariables(ctx)

    def prepare(
        self,
        mode: str,
        thread_id: uuid.UUID | None,
        message_id: uuid.UUID | None,
        text: str | None,
        provider: str | None,
        model: str | None,
        variables: dict[str, str] | None = None,
        tools_for: ToolsFor | None = None,
    ) -> SendPlan:
        from promptterm.providers.base import ChatMessage

        if text is not None and not text.strip():
            raise ValidationError("Type a message before sending.", "content")
        edited = self.store.get(message_id) if message_id is not None else None
        if edited is not None:
            thread_id = edited.thread_id
            if edited.role != "user" or edited.is_tool_result:
                raise ValidationError("Only your own messages can be edited and resent.", "message")
        assert thread_id is not None
        thread = self.chat.get_thread(thread_id)
        if provider:
            entry = self.providers.get(provider)
        elif thread.provider:
            entry = self.providers.get(thread.provider)
        else:
            entry = self.providers.default()
        same = thread.provider == entry.name
        model = model or (thread.model if same else None) or entry.default_model
        if not model:
            raise ValidationError(
                f"Pick a model for {entry.name!r} (or give the provider a default model).", "model"
            )
        before = edited.seq if edited is not None else None
        prior = self.chat.messages(thread_id, limit=self.history_limit, before_seq=before)
        target = None
        if mode == "regenerate":
            if not prior:
                raise ValidationError("There is nothing to regenerate yet: send a message.")
            if prior[-1].status == "streaming":
                raise Conflict("That answer is still streaming: stop it before regenerating.")
            if prior[-1].role == "assistant":
                target, prior = prior[-1], prior[:-1]
        system, preset = self._system(thread.current_preset_id, prior)
        # {{name}} left in the prompt or the message: filled from what the user gave (now or
        # earlier in this thread), else refused before anything is stored or sent.
        values = {**self.variables.get(thread_id), **(variables or {})}
        if missing := [n for n in placeholders(system, text) if n not in values]:
            raise UnfilledVariables(missing)
        system, text = fill(system, values), fill(text, values)
        history = conversation(prior)
        if text is not None:
            history.append(ChatMessage("user", text))
        toolbox = tools_for(thread_id) if tools_for is not None else None
        estimate = prompt_estimate(system, history, toolbox)
        self.billing.check_provider(entry.kind, entry.name)  # the plan's providers (seed 003)
        self.billing.tokens_left(estimate)  # LimitReached: nothing stored, nothing sent
        # The user's own monthly caps (BudgetReached); a free model passes the spend cap.
        self.billing.check_budget(estimate, lambda: self._costs_nothing(entry, model))
        settings = self.providers.settings_for(entry)  # a missing key stops it here too
        if variables:
            self.variables.remember(thread_id, variables)
        user_message = None
        if edited is not None:
            _, branch = self.store.branch_off(edited.id)
            edit_meta = {
                "branch_thread_id": str(branch.id),
                "previous_message_id": str(edited.id),
                "previous_content": edited.content,
            }
            user_message = self.chat.add_message(
                thread_id, "user", text or "", meta={"edited": edit_meta}
            )
        elif text is not None:
            user_message = self.chat.add_message(thread_id, "user", text)
        # Who streams it: a later start meters it if this process dies (chat_recovery.py).
        stamp = {"stream": stream_stamp(estimate)}
        if target is not None:
            assistant = self.store.supersede(target.id, entry.name, model, stamp)
        else:
            assistant = self.chat.add_message(
                thread_id,
                "assistant",
                "",
                status="streaming",
                provider=entry.name,
                model=model,
                meta=stamp,
            )
        if preset is not None:
            self.presets.record_use(uuid.UUID(preset["id"]))
        if not same or thread.model != model:
            self.chat.set_model(thread_id, entry.name, model)
        return SendPlan(
            thread_id,
            user_message,
            assistant,
            entry,
            settings,
            model,
            system,
            history,
            estimate,
            preset,
            toolbox or None,
        )

    def next_round(
        self,
        plan: SendPlan,
        asked: MessageInfo,
        calls: list[ToolCall],
        results: list[ChatMessage],
    ) -> SendPlan:
        """After a round's tools answered: the answer that asked and the results join the
        history, the limit is checked again (definitions included), a new answer streams."""
        from promptterm.providers.base import ChatMessage

        history = [
            *plan.history,
            ChatMessage("assistant", asked.content, tool_calls=tuple(calls)),
            *results,
        ]
        estimate = prompt_estimate(plan.system, history, plan.toolbox)
        self.billing.tokens_left(estimate)
        self.billing.check_budget(estimate, lambda: self._costs_nothing(plan.entry, plan.model))
        assistant = self.chat.add_message(
            plan.thread_id,
            "assistant",
            "",
            status="streaming",
            provider=plan.entry.name,
            model=plan.model,
            meta={"stream": stream_stamp(estimate)},
        )
        return SendPlan(
            plan.thread_id,
            None,
            assistant,
            plan.entry,
            plan.settings,
            plan.model,
            plan.system,
            history,
            estimate,
            plan.preset,
            plan.toolbox,
        )

    def _costs_nothing(self, entry: ProviderInfo, model: str) -> bool:
        quote = self.pricing.quote(
            provider=entry.name,
            kind=entry.kind,
            base_url=entry.base_url,
            model=model,
            tokens_in=1000,
            tokens_out=1000,
            at=self.ctx.now(),
        )
        return quote.cost_usd == 0

    def _system(
        self, preset_id: uuid.UUID | None, prior: list[MessageInfo]
    ) -> tuple[str | None, dict[str, str] | None]:
        parts: list[str] = []
        preset = None
        if preset_id is not None:
            composed = self.presets.compose(preset_id)
            preset = {"id": str(composed.preset_id), "name": composed.preset_name}
            if composed.text.strip():
                parts.append(composed.text)
        # System notes kept in the thread follow the preset's prompt.
        parts += [m.content for m in prior if m.role == "system" and m.content.strip()]
        return ("\n\n".join(parts) or None), preset

    def finish(self, plan: SendPlan, text: str, outcome: Outcome) -> SendResult:
        error = outcome.error
        if outcome.complete and error is None:
            status = "complete"
        else:
            status = "stopped" if outcome.stopped else "error"
        reported = outcome.reported_in is not None or outcome.reported_out is not None
        billed = (
            (status == "complete")
            or (error is not None and error.kind in _BILLED_ERRORS)
            or (outcome.stopped and (bool(text) or reported))
        )
        meta: dict[str, Any] = {"preset": plan.preset, "finish_reason": outcome.finish_reason}
        if outcome.served_model and outcome.served_model != plan.model:
            meta["served_model"] = outcome.served_model
        if outcome.warnings:
            meta["warnings"] = outcome.warnings
        message_text = None
        if error is not None:
            message_text = explain(error, plan.entry, self.ctx.hints)
            meta["error"] = {"kind": error.kind, "message": message_text}
            if error.kind == "interrupted":
                meta["interrupted"] = True
        tokens_in = tokens_out = None
        estimated = False
        quote = None
        if billed:
            tokens_in, tokens_out, estimated = final_usage(
                outcome.reported_in,
                outcome.reported_out,
                plan.prompt_estimate,
                estimate_tokens(text),
                status == "complete",
            )
            meta["usage"] = "estimated" if estimated else "provider"
            quote = self.pricing.quote(
                provider=plan.entry.name,
                kind=plan.entry.kind,
                base_url=plan.entry.base_url,
                model=plan.model,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                at=self.ctx.now(),
            )
            meta["price"] = {
                "source": quote.source,
                "version": quote.version,
                "input_per_mtok": _str(quote.input_per_mtok),
                "output_per_mtok": _str(quote.output_per_mtok),
            }
        if billed and tokens_in is not None and tokens_out is not None:
            # Past 80% of a budget cap or of the plan's tokens: the chat shows meta["budget"].
            notice = self.billing.budget_notice(
                tokens_in + tokens_out, quote.cost_usd if quote else None
            )
            if notice is not None:
                meta["budget"] = notice
        tool = None
        if outcome.tool_calls:
            toolbox = plan.toolbox
            tool = {
                "calls": [
                    {
                        "id": c.id,
                        "name": c.name,
                        "label": (toolbox.label(c.name) if toolbox else None) or c.name,
                        "arguments": c.arguments,
                        "raw": c.raw_arguments if c.arguments is None else None,
                        "error": c.error,
                    }
                    for c in outcome.tool_calls
                ]
            }
        message, total = self.store.finish(
            plan.assistant.id,
            content=text,
            status=status,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            tokens_estimated=estimated,
            cost_usd=quote.cost_usd if quote else None,
            meta=meta,
            tool=tool,
        )
        if billed and tokens_in is not None and tokens_out is not None:
            self.billing.record_usage(
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                provider=plan.entry.name,
                model=plan.model,
                cost_usd=quote.cost_usd if quote else None,
                conversation_id=plan.thread_id,
                estimated=estimated,
            )
        return SendResult(
            thread_id=plan.thread_id,
            message=message,
            user_message_id=plan.user_message.id if plan.user_message else None,
            error=message_text,
            error_kind=error.kind if error else None,
            price_source=quote.source if quote else None,
            price_version=quote.version if quote else None,
            thread_total_tokens=total,
        )


def _str(value: object) -> str | None:
    return None if value is None else str(value)
