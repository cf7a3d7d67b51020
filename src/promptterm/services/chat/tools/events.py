"""What a send with tools tells its caller besides the text (see chat/stream.py)."""

from __future__ import annotations

from dataclasses import dataclass

from promptterm.services.chat.threads import MessageInfo
from promptterm.services.chat.tools.source import ToolRequest


@dataclass(frozen=True, slots=True)
class ToolRoundEnded:
    """An answer asked for tools and is stored (final status, its calls in ``tool``)."""

    message: MessageInfo


@dataclass(frozen=True, slots=True)
class ToolCallAsked:
    """A call waits for the user's decision (only when it is not approved already)."""

    request: ToolRequest


@dataclass(frozen=True, slots=True)
class ToolCallRunning:
    request: ToolRequest


@dataclass(frozen=True, slots=True)
class ToolCallAnswered:
    """A call's result is stored (ran, denied, failed, stopped or not run)."""

    message: MessageInfo
