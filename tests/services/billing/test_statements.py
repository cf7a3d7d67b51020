"""Statements (issue 18, items 7 and 8): a closed period's statement with its lines, the
running draft, Markdown and CSV export, and what plan changes put on the statement."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from promptterm.services.errors import Forbidden, NotFound, ValidationError
from promptterm.services.facade import Services
from support.clock import FixedClock

PERIOD_START = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
PERIOD_END = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)


def _use(services: Services, provider: str, model: str, tokens: int, cost: str | None) -> None:
    services.billing.record_usage(
        tokens_in=tokens,
        tokens_out=0,
        provider=provider,
        model=model,
        cost_usd=None if cost is None else Decimal(cost),
    )


def test_a_free_period_with_usage_closes_into_a_statement_of_usage_at_cost(
    services: Services, clock: FixedClock
) -> None:
    _use(services, "openai", "gpt-4o-mini", 1_000, "0.125")
    _use(services, "openai", "gpt-4o-mini", 3_000, "0.250")
    _use(services, "local", "llama3", 500, None)
    assert services.statements.statements() == []  # the period is still open

    clock.set(PERIOD_END + timedelta(minutes=1))
    (statement,) = services.statements.statements()
    assert (statement.period_start, statement.period_end) == (PERIOD_START, PERIOD_END)
    assert (statement.status, statement.amount_due_cents, statement.currency) == ("open", 38, "usd")
    assert [
        (line.kind, line.label, line.tokens, line.calls, line.amount_cents)
        for line in statement.lines
    ] == [
        ("usage", "openai · gpt-4o-mini", 4_000, 2, 38),
        ("usage", "local · llama3", 500, 1, 0),
    ]
    assert statement.lines[0].cost_usd == Decimal("0.375")
    assert statement.lines[1].cost_usd is None  # unpriced, never "$0"
    # Written once: asking again (or another process closing it) adds nothing.
    assert len(services.statements.statements()) == 1


def test_a_period_with_nothing_to_bill_writes_no_statement(
    services: Services, clock: FixedClock
) -> None:
    clock.set(PERIOD_END + timedelta(days=40))
    assert services.statements.statements() == []


def test_the_running_draft_is_computed_and_never_written(
    services: Services, clock: FixedClock
) -> None:
    _use(services, "openai", "gpt-4o", 2_000, "1.005")
    draft = services.statements.draft()
    assert draft.is_draft and draft.status == "draft" and not draft.payable
    assert (draft.period_start, draft.period_end, draft.amount_due_cents) == (
        PERIOD_START,
        PERIOD_END,
        101,
    )
    assert services.statements.get("draft") == draft
    assert services.billing.invoices() == []


def test_an_upgrade_mid_period_starts_the_trial_and_prorates_what_follows_it(
    services: Services, clock: FixedClock
) -> None:
    clock.advance(days=10)  # 21 of the period's 31 days left
    summary = services.billing.set_plan("pro")
    assert summary.status == "trialing"
    assert summary.trial_end == PERIOD_START + timedelta(days=24)
    # The trial covers 14 of them; the 7 after it cost 7/31 of $20.00.
    (line,) = services.statements.draft().lines
    assert (line.kind, line.amount_cents) == ("proration", round(2000 * 7 / 31))

    clock.set(PERIOD_END)
    (statement,) = services.statements.statements()
    assert statement.amount_due_cents == 452 and statement.status == "open"
    summary = services.billing.summary()
    assert summary.status == "active"
    assert summary.trial_notice is None  # it ended in the period before
    # The new period's fee is on its draft from its first moment.
    assert [(x.kind, x.amount_cents) for x in services.statements.draft().lines] == [
        ("plan_fee", 2000)
    ]


def test_a_trial_ends_with_a_notice_and_is_given_once(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_plan("pro")
    clock.advance(days=15)
    summary = services.billing.summary()
    assert summary.status == "active"
    assert summary.trial_notice == (
        "Your Pro trial ended on 2026-01-29: Pro is now billed at $20.00 a month."
    )
    services.billing.set_plan("free", at_period_end=False)
    summary = services.billing.set_plan("pro")
    assert summary.status == "active"  # no second trial
    prorations = [x for x in services.statements.draft().lines if x.kind == "proration"]
    assert len(prorations) == 2


def test_an_upgrade_between_paid_plans_charges_only_the_difference(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_plan("pro")
    clock.advance(days=20)  # the trial is over; 11 of 31 days left
    services.billing.set_plan("business")
    lines = [(x.kind, x.amount_cents) for x in services.statements.draft().lines]
    pro_rest, business_rest = round(2000 * 11 / 31), round(5000 * 11 / 31)
    assert ("proration", business_rest - pro_rest) in lines


def test_a_downgrade_waits_for_the_period_end_unless_chosen_now(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_plan("business")
    summary = services.billing.set_plan("pro")
    assert (summary.plan.slug, summary.pending_plan) == ("business", "Pro")
    clock.set(PERIOD_END)
    summary = services.billing.summary()
    assert (summary.plan.slug, summary.pending_plan) == ("pro", None)

    summary = services.billing.set_plan("free", at_period_end=False)
    assert summary.plan.slug == "free"
    assert all(
        x.kind != "proration" or x.amount_cents > 0 for x in services.statements.draft().lines
    )


def test_only_an_owner_or_admin_changes_a_members_plan(services: Services) -> None:
    from promptterm.services.workspaces.users import create_user

    ctx = services.ctx
    other = create_user(ctx.db, "Bea", "bea@example.com", ctx.now(), ctx.new_id())
    with pytest.raises(Forbidden, match="Only an owner or admin of a workspace Bea belongs to"):
        services.billing.set_plan("pro", member=other.id)
    ws = services.workspaces.create("Team")
    services.workspaces.add_member(ws.id, "bea@example.com", "member")
    summary = services.billing.set_plan("pro", member=other.id)
    assert summary.plan.slug == "pro"
    assert services.billing.summary().plan.slug == "free"  # one's own plan is untouched


def test_statements_export_as_markdown_and_csv(services: Services, clock: FixedClock) -> None:
    _use(services, "openai", "gpt|4\x1b[31m", 1_000, "0.5")
    clock.set(PERIOD_END)
    (statement,) = services.statements.statements()
    found = services.statements.get(str(statement.id)[:8])
    assert found == statement

    md = services.statements.export(statement, "md")
    assert md.startswith(f"# Statement {str(statement.id)[:8]}, 2026-01-15 to 2026-02-15\n")
    assert "| LLM usage | openai · gpt\\|4[31m: 1,000 tokens, 1 call, at cost $0.50 | $0.50 |" in md
    assert "\x1b" not in md
    assert md.rstrip().endswith("| | **Total** | **$0.50** |")

    rows = list(csv.DictReader(io.StringIO(services.statements.export(statement, "csv"))))
    assert [
        (r["kind"], r["model"], r["tokens"], r["cost_usd"], r["amount_cents"]) for r in rows
    ] == [("usage", "gpt|4[31m", "1000", "0.5", "50")]
    with pytest.raises(ValidationError, match="md \\(Markdown\\) or csv"):
        services.statements.export(statement, "pdf")


def test_an_unknown_statement_is_refused_in_words(services: Services) -> None:
    with pytest.raises(NotFound, match="no statement whose id starts with 'abcd'"):
        services.statements.get("abcd")
    with pytest.raises(ValidationError, match="at least the first 4 characters"):
        services.statements.get("ab")


def test_two_processes_closing_one_period_write_one_statement(
    services: Services, clock: FixedClock
) -> None:
    import threading

    from promptterm.services.facade import Services as Facade

    services.billing.set_plan("pro")
    _use(services, "openai", "gpt-4o", 1_000, "0.5")
    clock.set(PERIOD_END + timedelta(days=1))
    other = Facade.for_database(services.ctx.db, clock=clock, migrate=False)
    errors: list[Exception] = []

    def close(who: Services) -> None:
        try:
            who.statements.statements()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=close, args=(s,)) for s in (services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(services.statements.statements()) == 1
    fees = [x for x in services.statements.draft().lines if x.kind == "plan_fee"]
    assert len(fees) == 1
    if services.ctx.db.url.startswith("postgresql"):
        assert errors == []  # the second waits for the first and finds the period closed
