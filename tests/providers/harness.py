"""What the provider tests share: a stream run to its end, against either protocol."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from promptterm.providers import create_provider
from promptterm.providers.base import (
    ChatMessage,
    ProviderSettings,
    RetryNotice,
    RetryPolicy,
    StreamDone,
    StreamWarning,
    TextDelta,
    Timeouts,
    UsageReport,
)
from promptterm.providers.errors import ProviderError
from support.llm_server import LLMServer
from support.waiting import CEILING

SECRET = "sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
FAST_RETRY = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.05)


@dataclass
class Run:
    """Everything one stream produced, and how it ended."""

    text: str = ""
    deltas: list[str] = field(default_factory=list)
    usage: UsageReport = field(default_factory=UsageReport)
    done: StreamDone | None = None
    error: ProviderError | None = None
    retries: list[RetryNotice] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Target:
    kind: str
    base_url: str
    model: str
    server: LLMServer

    def settings(self, **overrides: object) -> ProviderSettings:
        values: dict[str, object] = {
            "kind": self.kind,
            "base_url": self.base_url,
            "api_key": SECRET,
            "label": "Provider 'test'",
            "timeouts": Timeouts(connect=CEILING, read=CEILING),  # only a hang reaches them
            "retry": FAST_RETRY,
        }
        values.update(overrides)
        return ProviderSettings(**values)  # type: ignore[arg-type]

    def run(
        self, *, model: str | None = None, system: str | None = None, **overrides: object
    ) -> Run:
        return asyncio.run(self._run(model or self.model, system, self.settings(**overrides)))

    async def _run(self, model: str, system: str | None, settings: ProviderSettings) -> Run:
        run = Run()
        try:
            async with create_provider(settings) as client:
                messages = [ChatMessage("user", "Say hello")]
                async for event in client.stream(
                    messages, model=model, system=system, on_retry=run.retries.append
                ):
                    if isinstance(event, TextDelta):
                        run.deltas.append(event.text)
                    elif isinstance(event, UsageReport):
                        run.usage = UsageReport(
                            event.input_tokens
                            if event.input_tokens is not None
                            else run.usage.input_tokens,
                            event.output_tokens
                            if event.output_tokens is not None
                            else run.usage.output_tokens,
                        )
                    elif isinstance(event, StreamWarning):
                        run.warnings.append(event.message)
                    else:
                        run.done = event
        except ProviderError as exc:
            run.error = exc
        run.text = "".join(run.deltas)
        return run
