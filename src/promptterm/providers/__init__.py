"""LLM clients over httpx, no vendor SDKs, no Textual.

Nothing here is imported when the app starts: the service layer imports ``create_provider``
inside the functions that send, and the client modules (and httpx) load only then, or
ahead of the first send by ``make_ready`` (the chat area calls it once it has opened).
"""

from __future__ import annotations

import asyncio
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


def make_ready() -> None:
    """What a process's first request does once, done now (blocking: call it from a thread,
    while the user types): the clients' modules load, httpx's with them, the CA bundle is
    read, and httpx's network backend, chosen on its first connection, loads too. All of it
    is kept for the process, so the first answer starts as fast as the next."""
    from promptterm.providers import anthropic, openai_compat  # noqa: F401
    from promptterm.providers.http import refused_request

    asyncio.run(refused_request())


__all__ = ["ChatProvider", "ProviderSettings", "create_provider", "make_ready"]
