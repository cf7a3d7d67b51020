"""A log with calls and errors at fixed times, for the Pilot and snapshot tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from promptterm.services.activity import CaughtError, ProviderCall
from promptterm.services.facade import Services
from support.clock import FixedClock


def seed_log(services: Services, clock: FixedClock) -> None:
    start = clock()
    calls = [
        ("openai", "gpt-4o-mini", "ok", 812, 120, 48, "0.000047"),
        ("anthropic", "claude-sonnet-4", "ok", 2310, 1450, 390, "0.010200"),
        ("openai", "gpt-4o-mini", "429", 95, None, None, None),
        ("local", "llama3.2", "stopped", 4020, 88, 201, None),
        ("openai", "gpt-4o", "ok", 1533, 640, 212, "0.003720"),
    ]
    for n, (provider, model, status, took, tokens_in, tokens_out, cost) in enumerate(calls):
        clock.set(start - timedelta(minutes=50 - 10 * n))
        services.activity.record_call(
            ProviderCall(
                provider=provider,
                model=model,
                endpoint=f"https://{provider}.example/v1/chat/completions",
                status=status,
                duration_ms=took,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                cost_usd=Decimal(cost) if cost else None,
                error_type="rate limited" if status == "429" else None,
                message="Rate limited: try again in 20 s." if status == "429" else None,
            )
        )
    clock.set(start - timedelta(minutes=5))
    services.activity.record_error(
        CaughtError(
            "OSError",
            "No space left on device\x1b[2J while saving notes.md",
            'Traceback (most recent call last):\n  File "save.py", line 3, in save\n'
            "OSError: No space left on device",
            "error",
            area="editor",
            action="action_save",
        )
    )
    clock.set(start)
