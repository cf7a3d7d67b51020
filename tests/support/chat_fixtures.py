"""Fixtures for the send/stream tests: a local LLM server and services pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from promptterm.db.models import UsageRecord
from promptterm.providers.base import RetryPolicy, Timeouts
from promptterm.services.facade import Services
from support.llm_server import LLMServer
from support.waiting import CEILING


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture
def chat(services: Services, llm: LLMServer) -> Services:
    """Services with one local provider entry pointing at the test server."""
    services.providers.retry = RetryPolicy(base_delay=0.01)
    services.providers.timeouts = Timeouts(connect=CEILING, read=CEILING)  # only a hang
    services.providers.add(
        "local", "openai-compatible", base_url=llm.openai_url, default_model="test-model"
    )
    return services


def usage_records(services: Services) -> list[UsageRecord]:
    with services.ctx.db.session() as session:
        return list(session.exec(select(UsageRecord)).all())
