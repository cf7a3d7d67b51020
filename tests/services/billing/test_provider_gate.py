"""Provider gating per plan (issue 18, item 10; seed 003): Free sends to OpenAI-compatible
providers only, local servers included; Pro and Business to Anthropic too. A refused send
says why, names the plan that allows it, and stores and sends nothing."""

from __future__ import annotations

import pytest

from promptterm.services.errors import LimitReached
from promptterm.services.facade import Services
from support.llm_server import LLMServer


def test_the_free_plan_refuses_an_anthropic_send_and_names_the_plan_that_allows_it(
    services: Services,
) -> None:
    with LLMServer() as server:
        services.providers.add(
            "claude", "anthropic", base_url=server.url, default_model="claude-test"
        )
        thread = services.chat.create_thread()
        with pytest.raises(LimitReached) as refused:
            services.chat_send.send(thread.id, "hi", provider="claude")
        assert refused.value.message == (
            "The Free plan sends to OpenAI-compatible providers only (local servers included); "
            "'claude' is an Anthropic provider. The Pro plan allows it: upgrade with "
            "`promptterm billing plan set pro`, or choose another provider."
        )
        assert refused.value.limit == "providers"
        assert services.chat.messages(thread.id) == [] and server.requests == []

        services.billing.set_plan("pro")
        result = services.chat_send.send(thread.id, "hi", provider="claude")
        assert result.status == "complete"


def test_the_free_plan_sends_to_a_local_openai_compatible_server(services: Services) -> None:
    with LLMServer() as server:
        services.providers.add(
            "local", "openai-compatible", base_url=server.openai_url, default_model="test-model"
        )
        thread = services.chat.create_thread()
        assert services.chat_send.send(thread.id, "hi").status == "complete"
