"""Paying statements (issue 18, item 9): Stripe PaymentIntents over real loopback HTTP, with a
decline and a double-submitted pay, and payments recorded by a workspace admin."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from promptterm.services.billing import AdminRecorded, Statement, StripeProcessor
from promptterm.services.errors import Conflict, Forbidden, PaymentDeclined, ValidationError
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.stripe_server import SECRET, StripeServer

PERIOD_END = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def stripe() -> Iterator[StripeServer]:
    with StripeServer() as server:
        yield server


def _open_statement(services: Services, clock: FixedClock) -> Statement:
    services.billing.record_usage(
        tokens_in=1_000, tokens_out=0, provider="openai", model="gpt-4o", cost_usd=Decimal("3.21")
    )
    clock.set(PERIOD_END)
    (statement,) = services.statements.statements()
    assert statement.payable and statement.amount_due_cents == 321
    return statement


def test_stripe_charges_the_balance_and_the_statement_is_paid(
    services: Services, clock: FixedClock, stripe: StripeServer
) -> None:
    statement = _open_statement(services, clock)
    payment = services.statements.pay(
        statement, StripeProcessor("pm_card_visa", SECRET, stripe.url)
    )
    assert (payment.status, payment.amount_cents, payment.external_id) == (
        "succeeded",
        321,
        "pi_test_1",
    )
    paid = services.statements.get(str(statement.id))
    assert (paid.status, paid.amount_paid_cents, paid.paid_at) == ("paid", 321, PERIOD_END)
    created = stripe.requests[0]
    assert created[0] == "/v1/payment_intents" and created[1]["amount"] == "321"
    assert created[2] == f"promptterm-{statement.id}-1-create"
    with pytest.raises(Conflict, match="is paid: there is nothing to pay"):
        services.statements.pay(paid, StripeProcessor("pm_card_visa", SECRET, stripe.url))


def test_a_declined_card_leaves_the_statement_open_and_says_so(
    services: Services, clock: FixedClock, stripe: StripeServer
) -> None:
    statement = _open_statement(services, clock)
    declining = StripeProcessor("pm_card_chargeDeclined", SECRET, stripe.url)
    with pytest.raises(PaymentDeclined) as refused:
        services.statements.pay(statement, declining)
    assert refused.value.message == (
        f"Your card was declined. Nothing was charged and statement {str(statement.id)[:8]} "
        "stays open ($3.21 due): pay again with another card, or ask your bank why."
    )
    assert services.statements.get(str(statement.id)).status == "open"
    (failed,) = services.billing.payments()
    assert (failed.status, failed.error_message) == ("failed", "Your card was declined.")
    # Another card is a new attempt (a new key), and it goes through.
    services.statements.pay(statement, StripeProcessor("pm_card_visa", SECRET, stripe.url))
    assert services.statements.get(str(statement.id)).status == "paid"
    assert stripe.charges == 1


def test_a_double_submitted_pay_charges_once(
    services: Services, clock: FixedClock, stripe: StripeServer
) -> None:
    statement = _open_statement(services, clock)
    processor = StripeProcessor("pm_card_visa", SECRET, stripe.url)
    results: list[object] = []

    def pay() -> None:
        try:
            results.append(services.statements.pay(statement, processor))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stripe.charges == 1
    assert all(not isinstance(r, Exception) or isinstance(r, Conflict) for r in results), results
    succeeded = [p for p in services.billing.payments() if p.status == "succeeded"]
    assert len(succeeded) == 1
    assert services.statements.get(str(statement.id)).amount_paid_cents == 321


def test_a_wrong_secret_key_is_refused_in_words(
    services: Services, clock: FixedClock, stripe: StripeServer
) -> None:
    statement = _open_statement(services, clock)
    with pytest.raises(ValidationError, match="Stripe refused the secret key"):
        services.statements.pay(statement, StripeProcessor("pm_card_visa", "sk_bad", stripe.url))
    assert services.billing.payments() == []


def test_a_workspace_owner_records_a_payment_made_outside(
    services: Services, clock: FixedClock
) -> None:
    statement = _open_statement(services, clock)
    with pytest.raises(Forbidden, match="Only a workspace owner or admin records a payment"):
        services.statements.pay(statement, AdminRecorded("wire 2026-02-16"))
    services.workspaces.create("Team")  # its owner now
    payment = services.statements.pay(statement, AdminRecorded("wire 2026-02-16"))
    assert (payment.status, payment.external_id) == ("succeeded", "wire 2026-02-16")
    assert services.statements.get(str(statement.id)).status == "paid"


def test_the_running_draft_cannot_be_paid(services: Services) -> None:
    with pytest.raises(ValidationError, match="not billed yet"):
        services.statements.pay(services.statements.draft(), AdminRecorded())
