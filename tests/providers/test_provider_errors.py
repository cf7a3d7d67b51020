"""Refusals and failures before the first token: retries, typed errors, clear messages, and
never the key in a message."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from promptterm.providers import create_provider
from promptterm.providers.base import ProviderSettings, RetryPolicy, Timeouts
from promptterm.providers.errors import (
    AuthenticationFailed,
    ContextTooLong,
    EndpointNotFound,
    ModelNotFound,
    ProviderUnreachable,
    RateLimited,
    ServerFailed,
    redact,
)
from promptterm.providers.http_errors import parse_retry_after
from providers.harness import SECRET, Target
from support.llm_server import Script
from support.waiting import CEILING

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def test_429_with_retry_after_is_retried_then_succeeds(target: Target) -> None:
    target.server.push(
        Script(status=429, error_type="rate_limit_error", headers={"retry-after": "0.2"}),
        Script(status=429, error_type="rate_limit_error", headers={"retry-after-ms": "50"}),
        Script(text="finally"),
    )
    started = time.perf_counter()
    run = target.run()
    assert run.error is None and run.text == "finally"
    assert [(r.attempt, r.delay, r.reason) for r in run.retries] == [
        (1, 0.2, "HTTP 429"),
        (2, 0.05, "HTTP 429"),
    ]
    assert time.perf_counter() - started >= 0.25  # it did wait as told
    assert len(target.server.requests) == 3


def test_500_then_success_backs_off_with_jitter(target: Target) -> None:
    target.server.push(Script(status=500), Script(status=503), Script(text="ok now"))
    run = target.run()
    assert run.text == "ok now"
    assert len(run.retries) == 2
    # Equal jitter: between half and all of base * 2**attempt (0.01, then 0.02).
    assert 0.005 <= run.retries[0].delay <= 0.01
    assert 0.01 <= run.retries[1].delay <= 0.02


def test_5xx_that_persists_gives_up_after_the_retries(target: Target) -> None:
    target.server.push(*[Script(status=502, error_message="bad gateway")] * 4)
    run = target.run()
    assert isinstance(run.error, ServerFailed)
    assert "HTTP 502" in run.error.message and "bad gateway" in run.error.message
    assert len(target.server.requests) == 4  # one try and three retries


def test_a_retry_after_longer_than_allowed_fails_at_once(target: Target) -> None:
    target.server.push(Script(status=429, headers={"retry-after": "120"}))
    run = target.run()
    assert isinstance(run.error, RateLimited)
    assert "wait 120 s" in run.error.message
    assert run.retries == [] and len(target.server.requests) == 1


def test_out_of_quota_is_not_retried(openai: Target) -> None:
    # OpenAI's error code; Anthropic reports low credit as a 400.
    message = "You exceeded your current quota"
    openai.server.push(Script(status=429, error_code="insufficient_quota", error_message=message))
    run = openai.run()
    assert isinstance(run.error, RateLimited) and not run.error.retryable
    assert len(openai.server.requests) == 1


def test_a_wrong_key_is_401_and_the_message_never_shows_it(target: Target) -> None:
    run = target.run(api_key="sk-wrong-0123456789abcdef0123456789")
    assert isinstance(run.error, AuthenticationFailed)
    assert "refused the API key (HTTP 401)" in run.error.message
    assert "sk-wrong" not in str(run.error) and "0123456789" not in str(run.error)


def test_no_key_at_all_says_a_key_is_needed(target: Target) -> None:
    run = target.run(api_key=None)
    assert isinstance(run.error, AuthenticationFailed)
    assert "needs an API key" in run.error.message


def test_a_server_echoing_the_key_is_redacted(target: Target) -> None:
    target.server.push(Script(status=403, error_message=f"Key {SECRET} may not use this model"))
    run = target.run()
    assert isinstance(run.error, AuthenticationFailed)
    assert SECRET not in str(run.error) and SECRET[:12] not in str(run.error)
    assert "may not use this model" in run.error.message


def test_unknown_model_is_404(target: Target) -> None:
    run = target.run(model="no-such-model")
    assert isinstance(run.error, ModelNotFound)
    assert "no model 'no-such-model'" in run.error.message


def test_a_base_url_without_the_api_path_is_a_wrong_address(target: Target) -> None:
    base = target.server.url + "/wrong"
    run = target.run(base_url=base)
    assert isinstance(run.error, EndpointNotFound)
    assert "check the base URL" in run.error.message


def test_context_too_long(target: Target) -> None:
    if target.kind == "anthropic":
        message, code = "prompt is too long: 210000 tokens > 200000 maximum", None
    else:
        message = "This model's maximum context length is 8192 tokens. However, you requested 9000."
        code = "context_length_exceeded"
    target.server.push(
        Script(
            status=400, error_type="invalid_request_error", error_code=code, error_message=message
        )
    )
    run = target.run()
    assert isinstance(run.error, ContextTooLong)
    assert run.error.message.startswith(f"The conversation is too long for {target.model}")


def test_stream_options_refused_by_an_old_server_is_dropped(openai: Target) -> None:
    openai.server.push(
        Script(status=400, error_message="Unrecognized request argument supplied: stream_options"),
        Script(text="fine", usage=False),
    )
    run = openai.run()
    assert run.error is None and run.text == "fine"
    assert "stream_options" not in openai.server.requests[-1].body


def test_connection_refused_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nobody listens
    run = _run_against(f"http://127.0.0.1:{port}/v1")
    assert isinstance(run, ProviderUnreachable)
    assert f"Cannot connect to 127.0.0.1:{port}" in run.message
    assert "Is the server running?" in run.message


def test_dns_failure_is_unreachable_and_says_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    # No real lookup leaves the machine: resolution of this name fails right here.
    real = socket.getaddrinfo

    def failing(host: object, *args: object, **kwargs: object) -> object:
        if host == "llm.example.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", failing)
    error = _run_against("http://llm.example.invalid/v1")
    assert isinstance(error, ProviderUnreachable)
    assert "DNS lookup failed" in error.message


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": format_datetime(NOW + timedelta(seconds=30), usegmt=True)}, 30.0),
        ({"retry-after": format_datetime(NOW - timedelta(seconds=30), usegmt=True)}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == seconds


def test_redact_hides_the_secret_its_fragments_and_key_like_tokens() -> None:
    text = f"bad {SECRET}; was {SECRET[:14]}...; try sk-proj-abcdefgh123 or Bearer xyz.abc"
    cleaned = redact(text, SECRET)
    assert SECRET[:8] not in cleaned and "sk-proj" not in cleaned and "xyz.abc" not in cleaned
    assert cleaned.startswith("bad [key]")


def _run_against(base_url: str) -> Exception | None:
    settings = ProviderSettings(
        kind="openai-compatible",
        base_url=base_url,
        timeouts=Timeouts(connect=CEILING, read=CEILING),  # refused or failed at once
        retry=RetryPolicy(base_delay=0.01),
    )

    async def go() -> None:
        async with create_provider(settings) as client:
            async for _ in client.stream([], model="m"):
                pass

    try:
        asyncio.run(go())
    except Exception as exc:
        return exc
    return None
