"""One round's tool calls answered: each asked about (unless approved "always" in the
thread), run through its source with a timeout, and its result stored as a message, in
the order the model asked. A stop (the send's cancel) answers what is left as stopped, so
the thread never keeps a call without a result (which neither API would take back)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from promptterm.services.chat.threads import ChatService, MessageInfo
from promptterm.services.chat.tools.events import (
    ToolCallAnswered,
    ToolCallAsked,
    ToolCallRunning,
)
from promptterm.services.chat.tools.settings import ThreadTools
from promptterm.services.chat.tools.source import Decision, ToolRequest, ToolResult
from promptterm.services.chat.tools.toolbox import Toolbox

if TYPE_CHECKING:
    from promptterm.providers.base import ChatMessage, ToolCall

Approver = Callable[[ToolRequest], Awaitable[Decision]]
Emit = Callable[[Any], object]

DENIED = "The user denied this tool call; do not try it again unless they ask."
NO_ONE_ASKED = "Not run: nobody was there to approve this tool call."
STOPPED = "Not run: the user stopped the answer."


@dataclass
class Answered:
    messages: list[ChatMessage]  # the results, for the next round's history
    stopped: bool = False


class ToolRunner:
    def __init__(self, chat: ChatService, settings: ThreadTools) -> None:
        self.chat = chat
        self.settings = settings

    async def answer(
        self,
        asked_by: MessageInfo,
        calls: Sequence[ToolCall],
        toolbox: Toolbox,
        approve: Approver | None,
        emit: Emit,
    ) -> Answered:
        thread_id = asked_by.thread_id
        always = set((await asyncio.to_thread(self.settings.get, thread_id)).always)
        answered = Answered([])
        done = 0
        try:
            for n, call in enumerate(calls, start=1):
                label = toolbox.label(call.name) or call.name
                request = ToolRequest(
                    asked_by.id, call.id, label, call.arguments, call.raw_arguments, n, len(calls)
                )
                result, decision, seconds = await self._one(
                    call, request, toolbox, approve, always, emit
                )
                if decision == "always" and label not in always:
                    always.add(label)
                    await asyncio.to_thread(self.settings.approve_always, thread_id, label)
                stored = self._store(thread_id, call, toolbox, result, decision, seconds)
                message, cut = await _save(stored, emit)
                answered.messages.append(message)
                done = n
                if cut:
                    raise asyncio.CancelledError
        except asyncio.CancelledError:
            # Stopped: the calls left get a result saying so, then the stop goes on.
            for rest in calls[done:]:
                stored = self._store(thread_id, rest, toolbox, ToolResult(STOPPED, True))
                answered.messages.append((await _save(stored, emit))[0])
            answered.stopped = True
            raise
        return answered

    async def settle(
        self,
        thread_id: uuid.UUID,
        calls: Sequence[ToolCall],
        toolbox: Toolbox,
        why: str,
        emit: Emit,
    ) -> None:
        """Answer calls that will not run (the cap on rounds) so the thread stays whole."""
        for call in calls:
            stored = self._store(thread_id, call, toolbox, ToolResult(why, True), "not run")
            await _save(stored, emit)

    async def _one(
        self,
        call: ToolCall,
        request: ToolRequest,
        toolbox: Toolbox,
        approve: Approver | None,
        always: set[str],
        emit: Emit,
    ) -> tuple[ToolResult, str, float]:
        if call.error is not None or call.arguments is None:
            return (
                ToolResult(call.error or "The arguments were not a JSON object.", True),
                "invalid",
                0.0,
            )
        if toolbox.label(call.name) is None:
            text = f"There is no tool called {call.name!r} in this thread; it was not run."
            return ToolResult(text, True), "unknown", 0.0
        if request.label in always:
            decision: str = "always"
        elif approve is None:
            return ToolResult(NO_ONE_ASKED, True), "deny", 0.0
        else:
            emit(ToolCallAsked(request))
            decision = await approve(request)
        if decision not in ("once", "always"):
            return ToolResult(DENIED, True), "deny", 0.0
        emit(ToolCallRunning(request))
        ran = await toolbox.run(call.name, call.arguments)
        return ran.result, decision, ran.seconds

    def _store(
        self,
        thread_id: uuid.UUID,
        call: ToolCall,
        toolbox: Toolbox,
        result: ToolResult,
        decision: str = "stopped",
        seconds: float = 0.0,
    ) -> Callable[[], MessageInfo]:
        tool = {
            "result_of": call.id,
            "name": call.name,
            "label": toolbox.label(call.name) or call.name,
            "decision": decision,
            "is_error": result.is_error,
            "seconds": round(seconds, 4),
        }
        # A result travels in the user's turn (Anthropic) and is never empty (both APIs).
        text = result.text if result.text.strip() else "(no output)"
        return lambda: self.chat.add_message(thread_id, "user", text, tool=tool)


async def _save(store: Callable[[], MessageInfo], emit: Emit) -> tuple[ChatMessage, bool]:
    """Store a result even when a stop lands meanwhile; True: a stop landed (re-raise it)."""
    saving = asyncio.ensure_future(asyncio.to_thread(store))
    cut = False
    while not saving.done():
        try:
            await asyncio.shield(saving)
        except asyncio.CancelledError:
            cut = True
    message = saving.result()
    emit(ToolCallAnswered(message))
    return result_message(message), cut


def result_message(message: MessageInfo) -> ChatMessage:
    from promptterm.providers.base import ChatMessage

    tool = message.tool or {}
    return ChatMessage(
        "tool",
        message.content,
        tool_call_id=str(tool.get("result_of") or ""),
        is_error=bool(tool.get("is_error")),
    )
