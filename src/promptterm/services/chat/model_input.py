"""What a send gives the model: the stored messages as chat messages (questions, answers
and tool rounds that ended well) and the prompt's tokens estimated before the call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.chat.threads import MessageInfo
from promptterm.services.chat.tools.loop import result_message
from promptterm.services.tokens import estimate_tokens

if TYPE_CHECKING:
    from promptterm.providers.base import ChatMessage
    from promptterm.services.chat.tools.toolbox import Toolbox


def prompt_estimate(system: str | None, history: list[ChatMessage], toolbox: Toolbox | None) -> int:
    """The prompt's tokens before a send: system, history, and the tools' definitions."""
    tools = toolbox.estimate_tokens() if toolbox else 0
    return (
        estimate_tokens(system or "")
        + sum(estimate_tokens(m.content) + 4 for m in history)
        + sum(estimate_tokens(c.raw_arguments) + 8 for m in history for c in m.tool_calls)
        + tools
    )


def conversation(prior: list[MessageInfo]) -> list[ChatMessage]:
    """The stored messages as the model sees them: questions and answers that ended well,
    and tool rounds (an answer's calls, each call's result). A call whose result is missing
    (a process that died mid-round) is left out, as neither API takes a call unanswered."""
    from promptterm.providers.base import ChatMessage, ToolCall

    answered = {str(m.tool.get("result_of")) for m in prior if m.is_tool_result and m.tool}
    history: list[ChatMessage] = []
    for m in prior:
        if m.status not in ("complete", "stopped") or m.role not in ("user", "assistant"):
            continue
        if m.is_tool_result:
            history.append(result_message(m))
            continue
        calls = tuple(
            ToolCall(
                str(c.get("id")),
                str(c.get("name")),
                c.get("arguments") if isinstance(c.get("arguments"), dict) else None,
                str(c.get("raw") or ""),
                c.get("error"),
            )
            for c in m.tool_calls
            if str(c.get("id")) in answered
        )
        if m.content or calls:
            history.append(ChatMessage(m.role, m.content, tool_calls=calls))  # type: ignore[arg-type]
    return history
