"""`promptterm billing statements|statement show|export|pay` (issue 18, item 11), with --json
and exit codes; paying over loopback HTTP with a Stripe-speaking server."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import keyring
import pytest

from promptterm.cli import exit_codes
from promptterm.services.facade import Services
from services.keyring_backend import MemoryKeyring
from support.cli_in_process import run
from support.clock import FixedClock
from support.stripe_server import SECRET, StripeServer

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _closed_period(url: str, clock: FixedClock) -> str:
    services = Services.open(url)
    services.billing.record_usage(
        tokens_in=2_000, tokens_out=500, provider="openai", model="gpt-4o", cost_usd=Decimal("4.5")
    )
    services.close()
    clock.advance(days=31)
    services = Services.open(url)
    (statement,) = services.statements.statements()
    services.close()
    return str(statement.id)


def test_statements_lists_the_draft_and_the_closed_periods(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock
) -> None:
    ref = _closed_period(url, fixed_clock)
    code, out, _ = run(capsys, url, "billing", "statements")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "PERIOD", "STATUS", "DUE", "PAID", "LINES"]
    assert lines[2].split()[:5] == ["draft", "2026-02-15", "to", "2026-03-15", "draft"]
    assert lines[3].split() == [
        ref[:8],
        "2026-01-15",
        "to",
        "2026-02-15",
        "open",
        "$4.50",
        "-",
        "1",
    ]
    code, out, _ = run(capsys, url, "billing", "statements", "--json")
    data = json.loads(out)
    assert [(s["is_draft"], s["amount_due_cents"]) for s in data] == [(True, 0), (False, 450)]
    assert data[1]["lines"][0]["model"] == "gpt-4o"


def test_show_and_export_a_statement(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock, tmp_path: Path
) -> None:
    ref = _closed_period(url, fixed_clock)
    code, out, _ = run(capsys, url, "billing", "statement", "show", ref[:6])
    assert code == 0 and out.startswith(f"# Statement {ref[:8]}, 2026-01-15 to 2026-02-15")
    assert "| LLM usage | openai · gpt-4o: 2,500 tokens, 1 call, at cost $4.50 | $4.50 |" in out
    target = tmp_path / "s.csv"
    code, _, err = run(
        capsys, url, "billing", "statement", "export", ref, "--format", "csv", "-o", str(target)
    )
    assert code == 0 and "Wrote" in err
    (row,) = csv.DictReader(io.StringIO(target.read_text()))
    assert (row["kind"], row["tokens"], row["amount_cents"]) == ("usage", "2500", "450")
    code, _, err = run(capsys, url, "billing", "statement", "show", "zzzz")
    assert code == exit_codes.ERROR and "no statement whose id starts with 'zzzz'" in err


def test_pay_by_card_then_a_second_pay_is_a_conflict(
    capsys: pytest.CaptureFixture[str],
    url: str,
    fixed_clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _closed_period(url, fixed_clock)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with StripeServer() as stripe:
            monkeypatch.setattr("promptterm.services.billing.stripe.API_BASE", stripe.url)
            monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
            assert run(capsys, url, "billing", "stripe-key", "--stdin")[0] == 0
            code, _, err = run(
                capsys, url, "billing", "statement", "pay", ref, "--card", "pm_card_chargeDeclined"
            )
            assert code == exit_codes.ERROR
            assert "Your card was declined. Nothing was charged" in err
            code, out, _ = run(
                capsys, url, "billing", "statement", "pay", ref, "--card", "pm_card_visa", "--json"
            )
            assert code == 0 and json.loads(out)["status"] == "succeeded"
            code, _, err = run(
                capsys, url, "billing", "statement", "pay", ref, "--card", "pm_card_visa"
            )
            assert code == exit_codes.CONFLICT and "is paid: there is nothing to pay" in err
            assert stripe.charges == 1
    finally:
        keyring.set_keyring(previous)


def test_a_downgrade_waits_for_the_period_end_unless_now(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock
) -> None:
    assert run(capsys, url, "billing", "plan", "set", "pro")[0] == 0
    code, out, _ = run(capsys, url, "billing", "plan", "set", "free")
    assert code == 0 and out.startswith("You stay on Pro until 2026-02-15, then move to Free")
    fixed_clock.advance(days=1)
    code, out, _ = run(capsys, url, "billing", "plan", "set", "free", "--now")
    assert out.startswith("You are now on the Free plan")


def test_status_says_a_trial_has_ended_and_a_downgrade_is_pending(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock
) -> None:
    run(capsys, url, "billing", "plan", "set", "pro")
    fixed_clock.advance(days=15)
    run(capsys, url, "billing", "plan", "set", "free")
    code, out, _ = run(capsys, url, "billing", "status")
    assert code == 0
    assert (
        "Trial    Your Pro trial ended on 2026-01-29: Pro is now billed at $20.00 a month." in out
    )
    assert "moves to Free at the end of this period" in out


def test_an_owner_sets_a_members_plan_and_nobody_else_can(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    from promptterm.services.workspaces.users import create_user

    services = Services.open(url)
    ctx = services.ctx
    bea = create_user(ctx.db, "Bea", "bea@example.com", ctx.now(), ctx.new_id())
    services.close()
    code, _, err = run(capsys, url, "billing", "plan", "set", "pro", "--member", "bea@example.com")
    assert code == exit_codes.ERROR and "No member of your workspaces is known as" in err
    services = Services.open(url)
    ws = services.workspaces.create("Team")
    services.workspaces.add_member(ws.id, "bea@example.com", "member")
    services.close()
    code, out, _ = run(capsys, url, "billing", "plan", "set", "pro", "--member", "bea@example.com")
    assert code == 0 and out == "bea@example.com is on the Pro plan.\n"
    services = Services.open(url)
    try:
        assert services.as_user(bea.id).billing.summary().plan.slug == "pro"
        assert services.billing.summary().plan.slug == "free"
    finally:
        services.close()
