"""What every provider client shares: messages in, stream events out, settings, the protocol.

Plain dataclasses only (no httpx here), so the service layer can name these types without
paying for the HTTP stack at start-up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

ProviderKind = Literal["openai-compatible", "anthropic"]
PROVIDER_KINDS: tuple[str, ...] = ("openai-compatible", "anthropic")
DEFAULT_BASE_URLS = {
    "openai-compatible": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}


@dataclass(frozen=True, slots=True)
class ToolDefinition:
    """A tool the model may call: a name the provider accepts (``^[a-zA-Z0-9_-]{1,64}$``),
    what it does, and its arguments as a JSON schema (an object)."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A call the model asked for, complete. ``arguments`` is None when what the model sent
    was not a JSON object; ``error`` then says so in words (the call is answered with that
    error instead of being run)."""

    id: str
    name: str
    arguments: dict[str, Any] | None
    raw_arguments: str = ""
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A turn of the conversation. An assistant turn may carry ``tool_calls``; a "tool"
    turn is the answer to one call (``tool_call_id``), an error when ``is_error``."""

    role: Literal["user", "assistant", "tool"]
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    is_error: bool = False


# -- stream events --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Token counts as the provider reports them; None where it has not (yet) said."""

    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class StreamDone:
    finish_reason: str | None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class StreamWarning:
    """Something odd the stream survived (an event that was not JSON, skipped): the answer
    goes on, and the caller keeps the words with it."""

    message: str


StreamEvent = TextDelta | UsageReport | StreamDone | StreamWarning | ToolCall


@dataclass(frozen=True)
class ModelInfo:
    id: str
    display_name: str | None = None
    owned_by: str | None = None


@dataclass(frozen=True)
class RetryNotice:
    """Told to ``on_retry`` before waiting, so a screen can say "rate limited, retrying in 3 s"."""

    attempt: int  # 1 for the first retry
    delay: float  # seconds about to be waited
    reason: str  # e.g. "HTTP 429"


OnRetry = Callable[[RetryNotice], None]


# -- settings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """Retries happen only before the first token; a half-streamed answer is never re-sent."""

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A server asking for a longer wait than this gets a clear error instead of a frozen UI.
    max_retry_after: float = 60.0


@dataclass(frozen=True)
class Timeouts:
    """Seconds. ``read`` is the longest silence allowed between two reads, so a slow first
    token within it is fine, and so is an answer that takes minutes in total.
    ``no_content`` is the longest time without an answer event while the server sends only
    keep-alives (SSE comments, pings), which the read timeout never sees as silence."""

    connect: float = 10.0
    read: float = 120.0
    write: float = 30.0
    pool: float = 10.0
    no_content: float = 300.0


@dataclass(frozen=True)
class ProviderSettings:
    kind: str
    base_url: str
    # repr=False: a settings object printed in a log or traceback never shows the secret.
    api_key: str | None = field(default=None, repr=False)
    label: str = "The provider"  # starts the error messages: "Provider 'local' ..."
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_tokens: int = 4096  # Anthropic requires a ceiling on the answer's length


class ChatProvider(Protocol):
    """A streaming chat client. Use it as ``async with create_provider(...) as provider``."""

    settings: ProviderSettings

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        model: str,
        system: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        on_retry: OnRetry | None = None,
        tools: Sequence[ToolDefinition] = (),
    ) -> AsyncIterator[StreamEvent]:
        """Text deltas as they arrive, usage when known, warnings, each complete ToolCall
        the model asked for (before StreamDone), then one StreamDone.

        Raises a ProviderError: before the first event for a refused request (after
        retrying 429 and 5xx), or mid-stream (StreamInterrupted, StreamFailed) after some
        deltas were already yielded; the caller keeps what it received.
        """
        ...

    async def list_models(self) -> list[ModelInfo]: ...

    async def aclose(self) -> None: ...

    async def __aenter__(self) -> ChatProvider: ...

    async def __aexit__(self, *exc: object) -> None: ...
