"""Provider tests talk real HTTP to the scriptable server on 127.0.0.1 (support/llm_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.harness import SECRET, Target
from support.llm_server import LLMServer


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer(api_key=SECRET) as running:
        yield running


@pytest.fixture(params=["openai-compatible", "anthropic"])
def target(request: pytest.FixtureRequest, server: LLMServer) -> Target:
    """The same test against both protocols."""
    if request.param == "anthropic":
        return Target("anthropic", server.url, "claude-test", server)
    return Target("openai-compatible", server.openai_url, "test-model", server)


@pytest.fixture
def openai(server: LLMServer) -> Target:
    """For what only the OpenAI-compatible protocol has."""
    return Target("openai-compatible", server.openai_url, "test-model", server)
