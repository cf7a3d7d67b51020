"""Seeded billing states for the billing Pilot tests and snapshots: the same rows, times and
costs on every run. The subscription starts when the user is bootstrapped (2026-01-15 09:30
UTC); the usage spreads over the days after it and the clock stops on 2026-01-27 15:00."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from promptterm.services.facade import Services
from support.clock import FixedClock

NOW = datetime(2026, 1, 27, 15, 0, tzinfo=UTC)
PERIOD_START = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)

# (provider, model, tokens in, tokens out, USD or None: unpriced), per call.
CALLS = (
    ("openai", "gpt-4o-mini", 1_800, 600, "0.00063"),
    ("anthropic", "claude-3-5-haiku-latest", 1_200, 400, "0.00256"),
    ("ollama", "llama3.2", 900, 300, "0"),
    ("lab", "mystery-7b", 400, 100, None),
)
# Calls per day from Jan 15: a working week, a quiet weekend, a busy Monday, today.
PER_DAY = (2, 3, 1, 0, 0, 4, 3, 2, 3, 1, 2, 3, 1)


def seed_usage(services: Services, clock: FixedClock, scale: int = 1) -> int:
    """Chat calls over the days up to NOW; returns the tokens used."""
    used = 0
    for day, count in enumerate(PER_DAY):
        for n in range(count):
            provider, model, tin, tout, cost = CALLS[(day + n) % len(CALLS)]
            clock.set(PERIOD_START + timedelta(days=day, hours=1 + n))
            services.billing.record_usage(
                tokens_in=tin * scale,
                tokens_out=tout * scale,
                provider=provider,
                model=model,
                cost_usd=None if cost is None else Decimal(cost) * scale,
            )
            used += (tin + tout) * scale
    clock.set(NOW)
    return used


def seed_library(services: Services, components: int, presets: int) -> None:
    first = None
    for i in range(components):
        made = services.components.create("role", f"Role {i:02d}", f"You are role {i}.")
        first = first or made
    for i in range(presets):
        assert first is not None
        services.presets.create(f"Preset {i}", role=first.id)


def free_near_limit(services: Services, clock: FixedClock) -> None:
    """Free: 86% of the tokens, 4 of 5 presets, all 20 components."""
    seed_library(services, 20, 4)
    seed_usage(services, clock)  # 36,600 tokens
    clock.set(NOW - timedelta(hours=1))
    services.billing.record_usage(
        tokens_in=5_000,
        tokens_out=1_800,
        provider="openai",
        model="gpt-4o-mini",
        cost_usd=Decimal("0.00183"),
    )  # 43,400 of 50,000 tokens
    clock.set(NOW)


def pro_plan(services: Services, clock: FixedClock) -> None:
    """Pro, with a token budget at 91% (below the plan's 500,000), invoices and payments."""
    services.billing.set_plan("pro")
    seed_library(services, 30, 8)
    seed_usage(services, clock, scale=5)  # 183,000 tokens, $0.10
    services.billing.set_budget(spend="1", tokens=200_000)
    seed_history(services, clock)


def over_budget(services: Services, clock: FixedClock) -> None:
    """Free, with the user's own caps passed: sends are refused."""
    seed_usage(services, clock)  # 36,600 tokens, $0.0198
    services.billing.set_budget(spend="0.02", tokens=30_000)


def seed_history(services: Services, clock: FixedClock) -> None:
    """Two months of invoices and payments, one payment declined then retried."""
    billing = services.billing
    months = (
        (datetime(2025, 11, 15, 9, 30, tzinfo=UTC), datetime(2025, 12, 15, 9, 30, tzinfo=UTC)),
        (datetime(2025, 12, 15, 9, 30, tzinfo=UTC), PERIOD_START),
    )
    for n, (start, end) in enumerate(months):
        clock.set(start + timedelta(minutes=5))
        if n == 1:
            billing.record_payment(
                amount_cents=2000,
                status="failed",
                payment_method="visa 4242",
                error_message="Your card was declined.",
                external_id=f"pi_{n}_a",
            )
            clock.set(start + timedelta(days=1))
        billing.record_payment(
            amount_cents=2000,
            status="succeeded",
            payment_method="visa 4242",
            external_id=f"pi_{n}",
        )
        billing.record_invoice(
            amount_due_cents=2000,
            amount_paid_cents=2000,
            status="paid",
            period_start=start,
            period_end=end,
            paid_at=clock(),
            external_id=f"in_{n}",
        )
    clock.set(PERIOD_START + timedelta(minutes=1))
    billing.record_invoice(
        amount_due_cents=2000,
        status="open",
        period_start=PERIOD_START,
        period_end=datetime(2026, 2, 15, 9, 30, tzinfo=UTC),
        external_id="in_2",
    )
    clock.set(NOW)
