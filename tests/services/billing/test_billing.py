"""Billing: plans, monthly token allowances, billing periods, the usage summary and its states."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from promptterm.services.billing.service import UsageLine
from promptterm.services.errors import LimitReached, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock

# The acting user's subscription starts when the fixture bootstraps them, at the clock's time.
PERIOD_START = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
PERIOD_END = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)


def _use(services: Services, tokens_in: int, tokens_out: int = 0, cost: str | None = None) -> None:
    services.billing.record_usage(
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        provider="openai",
        model="gpt-4o-mini",
        cost_usd=Decimal(cost) if cost is not None else None,
    )


# Plans -------------------------------------------------------------------------------------


def test_three_plans_with_seed_003_limits(services: Services) -> None:
    plans = {p.slug: p for p in services.billing.plans()}
    assert [p.slug for p in services.billing.plans()] == ["free", "pro", "business"]
    assert plans["free"].limits["tokens_per_month"] == 50_000
    assert plans["pro"].limits["tokens_per_month"] == 500_000
    assert plans["business"].limits["tokens_per_month"] == 2_000_000
    assert (plans["free"].limits["max_components"], plans["free"].limits["max_presets"]) == (20, 5)
    for paid in ("pro", "business"):
        assert plans[paid].limits["max_components"] is None
        assert plans[paid].limits["max_presets"] is None
    assert plans["free"].price_monthly_cents == 0
    assert plans["pro"].price_monthly_cents > 0


def test_a_new_user_is_on_the_free_plan_for_a_month(services: Services) -> None:
    summary = services.billing.summary()
    assert (summary.plan.slug, summary.status, summary.billing_interval) == (
        "free",
        "active",
        "monthly",
    )
    assert (summary.period_start, summary.period_end) == (PERIOD_START, PERIOD_END)
    assert not summary.cancel_at_period_end


@pytest.mark.parametrize(
    ("plan", "tokens"), [("free", 50_000), ("pro", 500_000), ("business", 2_000_000)]
)
def test_tokens_per_month_by_plan(services: Services, plan: str, tokens: int) -> None:
    services.billing.set_plan(plan)
    assert services.billing.summary().line("tokens_per_month").limit == tokens
    assert services.billing.tokens_left() == tokens


def test_set_plan_refuses_unknown_plans_and_intervals(services: Services) -> None:
    with pytest.raises(NotFound, match=r"no plan called 'platinum'\. Plans: free, pro, business\."):
        services.billing.set_plan("platinum")
    with pytest.raises(ValidationError, match="monthly or yearly"):
        services.billing.set_plan("pro", interval="weekly")
    assert services.billing.summary().plan.slug == "free"


def test_yearly_billing_stretches_the_period_to_a_year(services: Services) -> None:
    summary = services.billing.set_plan("pro", interval="yearly")
    assert (summary.billing_interval, summary.period_start) == ("yearly", PERIOD_START)
    assert summary.period_end == datetime(2027, 1, 15, 9, 30, tzinfo=UTC)


# Tokens ------------------------------------------------------------------------------------


def test_usage_counts_tokens_in_and_out_against_the_allowance(services: Services) -> None:
    _use(services, 30_000, 10_000)
    assert services.billing.tokens_left() == 10_000
    assert services.billing.tokens_left(wanted=10_000) == 10_000
    with pytest.raises(LimitReached) as err:
        services.billing.tokens_left(wanted=10_001)
    assert (err.value.limit, err.value.plan) == ("tokens_per_month", "free")


def test_at_the_allowance_sending_stops_with_a_clear_message(services: Services) -> None:
    _use(services, 49_999)
    assert services.billing.tokens_left() == 1
    _use(services, 0, 1)
    with pytest.raises(LimitReached) as err:
        services.billing.tokens_left()
    assert (err.value.limit, err.value.plan) == ("tokens_per_month", "free")
    message = err.value.message
    assert "You have used 50,000 of the 50,000 tokens the Free plan gives each month" in message
    assert "renews on 2026-02-15" in message
    assert "promptterm billing plan set pro" in message
    # Upgrading lets the user carry on at once.
    services.billing.set_plan("pro")
    assert services.billing.tokens_left() == 450_000


def test_usage_over_the_allowance_still_reports_limit_reached(services: Services) -> None:
    # A streamed answer can overshoot; the next send is refused, and nothing goes negative.
    _use(services, 45_000, 9_000)
    with pytest.raises(LimitReached, match="used 54,000 of the 50,000"):
        services.billing.tokens_left()
    line = services.billing.summary().line("tokens_per_month")
    assert (line.used, line.state) == (54_000, "full")


def test_negative_token_counts_are_refused(services: Services) -> None:
    with pytest.raises(ValidationError, match="cannot be negative"):
        _use(services, -1, 5)
    with pytest.raises(ValidationError):
        _use(services, 5, -1)
    assert services.billing.summary().line("tokens_per_month").used == 0


def test_other_users_usage_is_not_mine(services: Services, clock: FixedClock) -> None:
    bob_info = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(bob_info.id)
    _use(bob, 50_000, cost="1.00")
    assert services.billing.tokens_left() == 50_000
    assert services.billing.summary().cost_usd == Decimal("0")
    with pytest.raises(LimitReached):
        bob.billing.tokens_left()


# Periods -----------------------------------------------------------------------------------


def test_a_new_period_counts_usage_afresh(services: Services, clock: FixedClock) -> None:
    _use(services, 50_000, cost="0.75")
    clock.set(PERIOD_END - timedelta(seconds=1))
    with pytest.raises(LimitReached):
        services.billing.tokens_left()

    clock.set(PERIOD_END)
    assert services.billing.tokens_left() == 50_000
    summary = services.billing.summary()
    assert (summary.period_start, summary.period_end) == (
        PERIOD_END,
        datetime(2026, 3, 15, 9, 30, tzinfo=UTC),
    )
    assert summary.line("tokens_per_month").used == 0
    assert summary.cost_usd == Decimal("0")
    _use(services, 1_000)
    assert services.billing.tokens_left() == 49_000


def test_months_without_activity_are_skipped_over(services: Services, clock: FixedClock) -> None:
    clock.set(datetime(2026, 6, 1, tzinfo=UTC))
    summary = services.billing.summary()
    assert summary.period_start == datetime(2026, 5, 15, 9, 30, tzinfo=UTC)
    assert summary.period_end == datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


def test_cancel_at_period_end_keeps_the_plan_until_the_period_ends(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_plan("pro")
    for i in range(25):
        services.components.create("role", f"R{i}", "c")
    services.billing.cancel()
    clock.set(PERIOD_END - timedelta(minutes=1))
    summary = services.billing.summary()
    assert (summary.plan.slug, summary.cancel_at_period_end) == ("pro", True)
    assert services.components.create("role", "Still pro", "c").name == "Still pro"

    clock.set(PERIOD_END + timedelta(days=1))
    summary = services.billing.summary()
    assert (summary.plan.slug, summary.cancel_at_period_end) == ("free", False)
    assert summary.line("tokens_per_month").limit == 50_000
    # Back on free: everything is kept, new components are refused.
    assert summary.line("max_components").used == 26
    with pytest.raises(LimitReached, match="Free plan allows 20 components"):
        services.components.create("role", "One more", "c")


def test_changing_plan_withdraws_a_pending_cancellation(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_plan("pro")
    services.billing.cancel()
    assert services.billing.set_plan("business").cancel_at_period_end is False
    clock.set(PERIOD_END + timedelta(days=1))
    assert services.billing.summary().plan.slug == "business"


# Summary -----------------------------------------------------------------------------------


def test_summary_has_a_line_for_every_limit(services: Services) -> None:
    lines = services.billing.summary().lines
    assert [(line.key, line.label, line.used, line.limit) for line in lines] == [
        ("tokens_per_month", "tokens this month", 0, 50_000),
        ("max_components", "components", 0, 20),
        ("max_presets", "presets", 0, 5),
        ("max_projects", "projects", 0, 10),
        ("storage_mb", "storage", 0, 100 * 1024 * 1024),
    ]
    assert all(line.state == "ok" for line in lines)


def test_summary_states_ok_warning_full(services: Services) -> None:
    for i in range(15):
        services.components.create("role", f"R{i}", "c")
    _use(services, 39_999)
    summary = services.billing.summary()
    assert summary.line("max_components").state == "ok"  # 75%
    assert summary.line("tokens_per_month").state == "ok"

    services.components.create("role", "R15", "c")
    _use(services, 1)
    summary = services.billing.summary()
    assert summary.line("max_components").state == "warning"  # 80%
    assert summary.line("tokens_per_month").state == "warning"
    assert summary.line("tokens_per_month").fraction == pytest.approx(0.8)

    for i in range(16, 20):
        services.components.create("role", f"R{i}", "c")
    _use(services, 10_000)
    summary = services.billing.summary()
    assert summary.line("max_components").state == "full"
    assert summary.line("tokens_per_month").state == "full"


def test_summary_counts_projects_presets_and_components(services: Services) -> None:
    role = services.components.create("role", "R", "c")
    services.components.create("mode", "M", "c")
    services.presets.create("P", role=role.id)
    ws = services.workspaces.create("W")
    services.projects.create(ws.id, "One")
    services.projects.create(ws.id, "Two")
    summary = services.billing.summary()
    assert summary.line("max_components").used == 2
    assert summary.line("max_presets").used == 1
    assert summary.line("max_projects").used == 2


def test_unlimited_lines_have_no_fraction(services: Services) -> None:
    services.billing.set_plan("pro")
    line = services.billing.summary().line("max_presets")
    assert (line.limit, line.fraction, line.state) == (None, None, "ok")


def test_state_thresholds() -> None:
    assert UsageLine("k", "things", 79, 100).state == "ok"
    assert UsageLine("k", "things", 80, 100).state == "warning"
    assert UsageLine("k", "things", 99, 100).state == "warning"
    assert UsageLine("k", "things", 100, 100).state == "full"
    assert UsageLine("k", "things", 120, 100).state == "full"
    assert UsageLine("k", "things", 0, 0).state == "full"


def test_cost_is_summed_and_unpriced_calls_are_counted(services: Services) -> None:
    _use(services, 100, 50, cost="0.0125")
    _use(services, 1_000, 500, cost="0.5")
    _use(services, 10, 10, cost=None)
    _use(services, 20, 20, cost=None)
    summary = services.billing.summary()
    assert summary.cost_usd == Decimal("0.5125")
    assert str(summary.cost_usd.quantize(Decimal("0.0001"))) == "0.5125"
    assert summary.unpriced_calls == 2
    assert summary.line("tokens_per_month").used == 1_710


def test_no_invoices_for_a_new_user(services: Services) -> None:
    assert services.billing.invoices() == []


def test_cancel_needs_a_paid_plan_and_can_be_undone_or_immediate(services: Services) -> None:
    with pytest.raises(ValidationError, match="nothing to cancel"):
        services.billing.cancel()
    services.billing.set_plan("pro")
    assert services.billing.cancel().cancel_at_period_end is True
    assert services.billing.resume().cancel_at_period_end is False
    now_free = services.billing.cancel(at_period_end=False)
    assert (now_free.plan.slug, now_free.cancel_at_period_end) == ("free", False)


def test_a_message_too_big_for_what_is_left_says_how_big_it_is(services: Services) -> None:
    # Issue 13, item 5: nothing used yet, a pasted file of ~70k tokens.
    with pytest.raises(LimitReached) as err:
        services.billing.tokens_left(70_123)
    message = err.value.message
    assert "This message needs about 70,123 tokens" in message
    assert "the Free plan has 50,000 of its 50,000 tokens left this month" in message
    assert "You have used 0" not in message
