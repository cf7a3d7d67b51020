"""LLM clients over httpx, no vendor SDKs, no Textual.

Nothing here is imported when the app starts: the service layer imports ``create_provider``
inside the functions that send, and the client modules (and httpx) load only then.
"""

from __future__ import annotations

from typing import Any

from promptterm.providers.base import ChatProvider, ProviderSettings


def create_provider(settings: ProviderSettings, *, transport: Any = None) -> ChatProvider:
    """A client for ``settings.kind``; use it as ``async with create_provider(s) as p``."""
    if settings.kind == "anthropic":
        from promptterm.providers.anthropic import AnthropicProvider

        return AnthropicProvider(settings, transport=transport)
    if settings.kind == "openai-compatible":
        from promptterm.providers.openai_compat import OpenAICompatibleProvider

        return OpenAICompatibleProvider(settings, transport=transport)
    raise ValueError(f"unknown provider kind {settings.kind!r}")


__all__ = ["ChatProvider", "ProviderSettings", "create_provider"]
