"""Plans, limits, periods and history, on SQLite and PostgreSQL: every limit in the summary
(storage too), usage counted per period as the clock passes its end, a downgrade that keeps
everything and blocks only new items (and says so first), invoices and payments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from promptterm.services.billing.format import plan_change_text
from promptterm.services.errors import Conflict, LimitReached, ValidationError
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.llm_server import LLMServer

PERIOD_START = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
PERIOD_END = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)
MB = 1024 * 1024


def use(services: Services, tokens: int) -> None:
    services.billing.record_usage(
        tokens_in=tokens, tokens_out=0, provider="openai", model="gpt-4o", cost_usd=Decimal("0.01")
    )


def test_the_summary_has_every_limit_of_the_plan_with_units(services: Services) -> None:
    lines = {line.key: line for line in services.billing.summary().lines}
    assert list(lines) == [
        "tokens_per_month",
        "max_components",
        "max_presets",
        "max_projects",
        "storage_mb",
    ]
    assert (lines["tokens_per_month"].limit, lines["tokens_per_month"].unit) == (50_000, "tokens")
    assert (lines["storage_mb"].used, lines["storage_mb"].limit) == (0, 100 * MB)
    assert lines["storage_mb"].unit == "bytes" and lines["max_presets"].unit == "count"


def test_storage_counts_the_stored_versions_in_my_own_workspaces(services: Services) -> None:
    ws = services.workspaces.create("W")
    project = services.projects.create(ws.id, "P")
    text = "".join(f"line {i}: {i * 7919 % 10007}\n" for i in range(2_000))
    f = services.files.create(project.id, "notes.txt", text, "first")
    after_one = services.billing.summary().line("storage_mb").used
    assert 0 < after_one < len(text)  # kept compressed
    services.files.save(f.id, text + "one more line\n", base_version=1, message="more")
    after_two = services.billing.summary().line("storage_mb").used
    assert after_two > after_one  # every version counts
    services.billing.set_plan("pro")
    assert services.billing.summary().line("storage_mb").limit == 10_240 * MB


def test_usage_counts_per_period_as_the_clock_passes_its_end(
    services: Services, clock: FixedClock
) -> None:
    use(services, 30_000)
    clock.set(PERIOD_START + timedelta(days=20))
    use(services, 15_000)
    summary = services.billing.summary()
    assert (summary.line("tokens_per_month").used, summary.line("tokens_per_month").state) == (
        45_000,
        "warning",
    )
    assert summary.cost_usd == Decimal("0.02")

    clock.set(PERIOD_END + timedelta(minutes=5))
    summary = services.billing.summary()
    assert (summary.period_start, summary.period_end) == (
        PERIOD_END,
        datetime(2026, 3, 15, 9, 30, tzinfo=UTC),
    )
    assert summary.line("tokens_per_month").used == 0 and summary.cost_usd == 0
    use(services, 50_000)
    with pytest.raises(LimitReached, match="renews on 2026-03-15"):
        services.billing.tokens_left()
    # Two periods later, with nothing in between, it counts from zero again.
    clock.set(datetime(2026, 5, 1, tzinfo=UTC))
    summary = services.billing.summary()
    assert summary.period_start == datetime(2026, 4, 15, 9, 30, tzinfo=UTC)
    assert services.billing.tokens_left() == 50_000


# A yearly plan gives its tokens month by month -----------------------------------------------

YEAR_END = datetime(2027, 1, 15, 9, 30, tzinfo=UTC)
NEXT_MONTH = PERIOD_END + timedelta(days=5)  # 2026-02-20: the yearly period's second month


def test_a_yearly_plan_gives_its_tokens_each_month(services: Services, clock: FixedClock) -> None:
    services.billing.set_plan("pro", interval="yearly")
    use(services, 480_000)  # most of January's 500,000
    clock.set(NEXT_MONTH)
    assert services.billing.tokens_left(wanted=100_000) == 500_000
    # Within one month the allowance still stops them, and says when it renews: the month's
    # end, not the year's.
    use(services, 499_000)
    assert services.billing.tokens_left() == 1_000
    with pytest.raises(LimitReached):
        services.billing.tokens_left(wanted=1_001)
    use(services, 1_000)
    with pytest.raises(LimitReached) as err:
        services.billing.tokens_left()
    assert (err.value.limit, err.value.plan) == ("tokens_per_month", "pro")
    assert "used 500,000 of the 500,000 tokens the Pro plan gives each month" in err.value.message
    assert "renews on 2026-03-15" in err.value.message
    clock.set(datetime(2026, 3, 15, 9, 30, tzinfo=UTC))
    assert services.billing.tokens_left() == 500_000
    assert services.billing.summary().period_end == YEAR_END  # still the same yearly period


def test_a_yearly_plans_summary_meter_and_notice_count_this_month(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_plan("pro", interval="yearly")
    use(services, 450_000)
    assert services.billing.meter().used == 450_000
    clock.set(NEXT_MONTH)
    use(services, 20_000)
    summary = services.billing.summary()
    line = summary.line("tokens_per_month")
    assert (line.used, line.limit, line.state) == (20_000, 500_000, "ok")
    assert summary.cost_usd == Decimal("0.02")  # spend stays the billing period's
    meter = services.billing.meter()
    assert (meter.used, meter.limit, meter.source, meter.state) == (20_000, 500_000, "plan", "ok")
    overview = services.billing.overview()
    assert overview.summary.line("tokens_per_month").used == 20_000
    assert overview.spend.tokens_in == 470_000  # by provider and model: the whole period
    # 470,000 of 500,000 would warn; this month's 21,000 does not.
    assert services.billing.budget_notice(1_000, Decimal("0.01")) is None
    # A downgrade is measured by this month's tokens too, renewing at the month's end.
    use(services, 40_000)
    change = services.billing.preview_plan("free")
    assert [(b.key, b.used) for b in change.blocked] == [("tokens_per_month", 60_000)]
    assert "chat stops until your tokens renew on 2026-03-15" in plan_change_text(change)


def test_a_yearly_period_kept_after_switching_to_monthly_counts_by_month(
    services: Services, clock: FixedClock
) -> None:
    """Moving to monthly billing mid-year keeps the paid-up year; tokens still count monthly."""
    services.billing.set_plan("pro", interval="yearly")
    use(services, 300_000)
    clock.set(NEXT_MONTH)
    summary = services.billing.set_plan("free", at_period_end=False)  # monthly billing from now on
    assert (summary.billing_interval, summary.period_end) == ("monthly", YEAR_END)
    assert summary.line("tokens_per_month").used == 0
    assert services.billing.tokens_left() == 50_000
    assert services.billing.meter().used == 0


def test_a_yearly_subscriber_can_still_chat_next_month(
    chat: Services, llm: LLMServer, clock: FixedClock
) -> None:
    chat.billing.set_plan("pro", interval="yearly")
    thread = chat.chat.create_thread()
    use(chat, 500_000)  # all of January's allowance
    with pytest.raises(LimitReached, match="renews on 2026-02-15"):
        chat.chat_send.send(thread.id, "Hello?")
    assert llm.requests == []
    clock.set(NEXT_MONTH)
    result = chat.chat_send.send(thread.id, "Hello?")
    assert result.status == "complete" and "budget" not in result.message.meta


def test_a_downgrade_is_previewed_then_keeps_everything_and_blocks_only_new_items(
    services: Services,
) -> None:
    services.billing.set_plan("pro")
    role = services.components.create("role", "Role 0", "r")
    for i in range(1, 22):
        services.components.create("role", f"Role {i}", "r")
    for i in range(6):
        services.presets.create(f"Preset {i}", role=role.id)
    use(services, 60_000)

    change = services.billing.preview_plan("free")
    assert change.downgrade and (change.current.slug, change.target.slug) == ("pro", "free")
    assert [(b.key, b.used, b.limit) for b in change.blocked] == [
        ("tokens_per_month", 60_000, 50_000),
        ("max_components", 22, 20),
        ("max_presets", 6, 5),
    ]
    text = plan_change_text(change)
    assert "Everything you have is kept: nothing is deleted." in text
    assert "22 components, Free allows 20: they all stay and keep working" in text
    assert "chat stops until your tokens renew on 2026-02-15" in text
    assert services.billing.summary().plan.slug == "pro"  # a preview changes nothing

    summary = services.billing.set_plan("free", at_period_end=False)
    assert summary.line("max_components").used == 22
    assert summary.line("max_presets").state == "full"
    assert len(services.components.list()) == 22 and len(services.presets.list()) == 6
    with pytest.raises(LimitReached, match="allows 20 components and you have 22"):
        services.components.create("mode", "New", "m")
    with pytest.raises(LimitReached, match="allows 5 presets and you have 6"):
        services.presets.create("Another", role=role.id)
    updated = services.components.update(role.id, content="still editable")
    assert updated.content == "still editable"

    up = services.billing.preview_plan("business")
    assert not up.downgrade and up.blocked == ()
    # The Pro trial was had: Business is prorated from now.
    assert "The new limits apply at once; the rest of this period at the new price" in (
        plan_change_text(up)
    )


def test_a_downgrade_within_the_limits_says_so(services: Services) -> None:
    services.billing.set_plan("business")
    change = services.billing.preview_plan("pro")
    assert change.downgrade and change.blocked == ()
    assert "You are within every Pro limit." in plan_change_text(change)


def test_invoices_and_payments_newest_first(services: Services, clock: FixedClock) -> None:
    services.billing.set_plan("pro")
    first = services.billing.record_invoice(
        amount_due_cents=2000,
        amount_paid_cents=2000,
        status="paid",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        paid_at=PERIOD_START,
        external_id="in_1",
    )
    services.billing.record_payment(
        amount_cents=2000, status="succeeded", payment_method="visa 4242", external_id="pi_1"
    )
    clock.advance(days=31)
    services.billing.record_invoice(amount_due_cents=2000, status="open", external_id="in_2")
    services.billing.record_payment(
        amount_cents=2000,
        status="failed",
        payment_method="visa 4242",
        error_message="Your card was declined.",
        external_id="pi_2",
    )
    # The processor's invoices; the period's own statement (closed by the 31 days) is apart.
    invoices = [i for i in services.billing.invoices() if i.external_id]
    assert [(i.external_id, i.status) for i in invoices] == [("in_2", "open"), ("in_1", "paid")]
    assert invoices[1] == first and first.amount_paid_cents == 2000
    payments = services.billing.payments()
    assert [(p.status, p.error_message) for p in payments] == [
        ("failed", "Your card was declined."),
        ("succeeded", None),
    ]
    overview = services.billing.overview()
    assert overview.invoices == tuple(services.billing.invoices())
    assert overview.payments == tuple(payments)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount_due_cents": 100, "status": "lost"}, "status"),
        ({"amount_due_cents": -1, "status": "open"}, "amount_due"),
        ({"amount_due_cents": 100, "status": "open", "currency": "dollars"}, "currency"),
        (
            {
                "amount_due_cents": 100,
                "status": "open",
                "period_start": PERIOD_END,
                "period_end": PERIOD_START,
            },
            "period_end",
        ),
    ],
)
def test_a_bad_invoice_is_refused_in_words(
    services: Services, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.billing.record_invoice(**fields)
    assert err.value.field == field
    assert services.billing.invoices() == []


def test_a_processor_id_is_recorded_once(services: Services) -> None:
    services.billing.record_payment(amount_cents=100, status="pending", external_id="pi_9")
    with pytest.raises(Conflict, match="already recorded"):
        services.billing.record_payment(amount_cents=100, status="pending", external_id="pi_9")
    with pytest.raises(ValidationError, match="succeeded, pending, failed, refunded"):
        services.billing.record_payment(amount_cents=100, status="ok")


def test_payments_are_private(services: Services, clock: FixedClock) -> None:
    import uuid

    from promptterm.services.workspaces.users import create_user

    services.billing.record_payment(amount_cents=100, status="succeeded")
    bob = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    assert services.as_user(bob.id).billing.payments() == []
