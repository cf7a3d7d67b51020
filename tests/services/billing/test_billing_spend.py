"""Spend this period by provider and by model, and day by day, on SQLite and PostgreSQL: cost
of known, overridden and unknown models (unknown is unpriced, never $0), periods, other users."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from promptterm.services.billing.format import about, cost_with_unpriced, usd
from promptterm.services.chat.pricing import PricingService
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock
from support.prices import PINNED_PRICES

PERIOD_END = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)
OPENAI = "https://api.openai.com/v1"


def use(
    services: Services, provider: str, model: str, tin: int, tout: int, cost: str | None
) -> None:
    services.billing.record_usage(
        tokens_in=tin,
        tokens_out=tout,
        provider=provider,
        model=model,
        cost_usd=None if cost is None else Decimal(cost),
    )


def priced_call(
    services: Services,
    pricing: PricingService,
    provider: str,
    base_url: str,
    model: str,
    tin: int,
    tout: int,
) -> None:
    """What the chat does after a call: quote it, then record it."""
    quote = pricing.quote(
        provider=provider,
        kind="openai-compatible",
        base_url=base_url,
        model=model,
        tokens_in=tin,
        tokens_out=tout,
    )
    use(
        services,
        provider,
        model,
        tin,
        tout,
        None if quote.cost_usd is None else str(quote.cost_usd),
    )


def test_known_overridden_and_unknown_models_by_model_and_provider(services: Services) -> None:
    pricing = PricingService(
        overrides={"work/*": {"input_per_mtok": 1, "output_per_mtok": 3}}, table=PINNED_PRICES
    )
    priced_call(services, pricing, "openai", OPENAI, "gpt-4o", 1_000_000, 100_000)  # $2.5 + $1
    priced_call(services, pricing, "openai", OPENAI, "gpt-4o", 200_000, 0)  # $0.5
    priced_call(
        services, pricing, "work", "https://llm.work.example/v1", "llama-70b", 500_000, 500_000
    )
    priced_call(services, pricing, "openai", OPENAI, "made-up-model-x", 1_000, 1_000)

    report = services.billing.spend()
    by_model = {(m.provider, m.model): m for m in report.by_model}
    known = by_model["openai", "gpt-4o"]
    assert (known.calls, known.tokens_in, known.tokens_out) == (2, 1_200_000, 100_000)
    assert known.cost_usd == Decimal("4.000000")
    overridden = by_model["work", "llama-70b"]
    assert overridden.cost_usd == Decimal("2.000000")  # 0.5 * $1 + 0.5 * $3
    unknown = by_model["openai", "made-up-model-x"]
    assert (unknown.cost_usd, unknown.unpriced_calls) == (None, 1)
    assert cost_with_unpriced(unknown.cost_usd, unknown.unpriced_calls) == "unpriced"
    # Dearest first; the unpriced model last, not shown as free.
    assert [m.model for m in report.by_model] == ["gpt-4o", "llama-70b", "made-up-model-x"]

    providers = {p.provider: p for p in report.by_provider}
    assert [p.provider for p in report.by_provider] == ["openai", "work"]
    assert (providers["openai"].calls, providers["openai"].models) == (3, 2)
    assert providers["openai"].cost_usd == Decimal("4.000000")
    assert providers["openai"].unpriced_calls == 1
    assert cost_with_unpriced(providers["openai"].cost_usd, 1) == "$4.00 +1 unpriced"
    assert (report.cost_usd, report.unpriced_calls, report.calls) == (Decimal("6"), 1, 4)
    summary = services.billing.summary()
    assert (summary.cost_usd, summary.unpriced_calls) == (Decimal("6"), 1)


def test_a_local_server_is_priced_at_zero_not_unpriced(services: Services) -> None:
    pricing = PricingService(overrides={}, table=PINNED_PRICES)
    priced_call(services, pricing, "ollama", "http://localhost:11434/v1", "llama3.2", 5_000, 500)
    [m] = services.billing.spend().by_model
    assert (m.cost_usd, m.unpriced_calls) == (Decimal(0), 0)
    assert usd(m.cost_usd) == "$0.00"


def test_the_price_sources_name_the_table_version_and_the_overrides(services: Services) -> None:
    pricing = PricingService(
        overrides={
            "work/*": {"input_per_mtok": 1, "output_per_mtok": 1},
            "openai/gpt-4o": {"input_per_mtok": 2, "output_per_mtok": 8},
        },
        table=PINNED_PRICES,
    )
    sources = pricing.sources()
    assert sources.table == "pinned test prices"
    assert sources.overrides == ("openai/gpt-4o", "work/*")
    assert sources.source_for("work", "anything") == "override"
    assert sources.source_for("openai", "gpt-4o") == "override"
    assert sources.source_for("openai", "gpt-4o-mini") == "table"
    assert "overrides in config: openai/gpt-4o, work/*" in sources.describe()


def test_spend_counts_this_period_and_only_mine(services: Services, clock: FixedClock) -> None:
    use(services, "openai", "gpt-4o", 100, 10, "0.5")
    bob = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    use(services.as_user(bob.id), "openai", "gpt-4o", 100, 10, "9")
    assert services.billing.spend().cost_usd == Decimal("0.5")

    clock.set(PERIOD_END + timedelta(hours=1))  # the period rolls over
    assert services.billing.spend().by_model == ()
    use(services, "anthropic", "claude-x", 10, 10, "0.25")
    report = services.billing.spend()
    assert [(m.provider, m.cost_usd) for m in report.by_model] == [("anthropic", Decimal("0.25"))]
    assert report.period_start == PERIOD_END


def test_calls_whose_tokens_we_estimated_are_counted_so_they_can_be_marked(
    services: Services,
) -> None:
    use(services, "openai", "gpt-4o", 100, 10, "0.5")
    services.billing.record_usage(
        tokens_in=40, tokens_out=5, provider="local", model="m", cost_usd=None, estimated=True
    )
    report = services.billing.spend()
    by_model = {m.model: m.estimated_calls for m in report.by_model}
    assert by_model == {"gpt-4o": 0, "m": 1}
    assert {p.provider: p.estimated_calls for p in report.by_provider} == {"openai": 0, "local": 1}
    assert report.estimated_calls == 1
    assert [about(f"{m.tokens_in:,}", m.estimated_calls > 0) for m in report.by_model] == [
        "100",
        "~40",
    ]


def test_day_by_day_has_every_day_of_the_period_zero_days_included(
    services: Services, clock: FixedClock
) -> None:
    start = clock()  # 2026-01-15 09:30 UTC, the period's start
    clock.set(start + timedelta(minutes=1))
    use(services, "openai", "gpt-4o", 1_000, 200, "0.01")
    use(services, "local", "llama", 300, 0, None)
    clock.set(datetime(2026, 1, 17, 23, 59, 59, tzinfo=UTC))  # the last second of a UTC day
    use(services, "openai", "gpt-4o", 500, 0, "0.002")
    clock.set(datetime(2026, 1, 18, 0, 0, 0, tzinfo=UTC))
    use(services, "openai", "gpt-4o", 40, 2, "0.001")

    days = services.billing.usage_by_day()
    # Jan 15 09:30 to Feb 15 09:30: 32 calendar days, the first and last partly.
    assert [d.day for d in days][:2] == [date(2026, 1, 15), date(2026, 1, 16)]
    assert (days[0].day, days[-1].day, len(days)) == (date(2026, 1, 15), date(2026, 2, 15), 32)
    by_day = {d.day: d for d in days}
    first = by_day[date(2026, 1, 15)]
    assert (first.tokens, first.cost_usd, first.calls, first.unpriced_calls) == (
        1_500,
        Decimal("0.01"),
        2,
        1,
    )
    assert by_day[date(2026, 1, 16)].tokens == 0 and by_day[date(2026, 1, 16)].calls == 0
    assert by_day[date(2026, 1, 17)].tokens == 500
    assert by_day[date(2026, 1, 18)].tokens == 42
    assert sum(d.tokens for d in days) == services.billing.summary().line("tokens_per_month").used


def test_a_yearly_plan_charts_the_current_month(services: Services, clock: FixedClock) -> None:
    services.billing.set_plan("pro", interval="yearly")
    clock.set(datetime(2026, 3, 20, 12, tzinfo=UTC))
    use(services, "openai", "gpt-4o", 10, 10, "0.01")
    days = services.billing.usage_by_day()
    assert (days[0].day, days[-1].day) == (date(2026, 3, 15), date(2026, 4, 15))
    assert {d.day: d.tokens for d in days}[date(2026, 3, 20)] == 20
