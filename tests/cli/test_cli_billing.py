"""`promptterm billing ...`: status with spend by model, budget and price source; plan
changes that say what a downgrade keeps; budget set/show writing the config; invoices and
payments; clear errors and exit codes.

On the fixed clock (2026-01-15 09:30 UTC, when the user and their period begin) and the
pinned price table, so that the periods, dates and costs shown are the same on any day.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest

from promptterm import locations
from promptterm.services.facade import Services
from support.cli_in_process import run, run_json

pytestmark = pytest.mark.usefixtures("fixed_clock")


def seed_usage(url: str) -> None:
    services = Services.open(url)
    try:
        for cost in ("0.25", "0.5"):
            services.billing.record_usage(
                tokens_in=1000,
                tokens_out=500,
                provider="openai",
                model="gpt-4o",
                cost_usd=Decimal(cost),
            )
        services.billing.record_usage(
            tokens_in=10, tokens_out=5, provider="lab", model="mystery-7b", cost_usd=None
        )
    finally:
        services.close()


def test_status_json_has_spend_by_model_budget_and_price_source(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    seed_usage(url)
    run(capsys, url, "billing", "budget", "set", "--spend", "20", "--tokens", "40000")
    status = run_json(capsys, url, "billing", "status")
    assert isinstance(status, dict)
    assert status["plan"]["slug"] == "free"
    assert {line["key"] for line in status["lines"]} >= {"tokens_per_month", "storage_mb"}
    models = {(m["provider"], m["model"]): m for m in status["spend"]["by_model"]}
    assert models["openai", "gpt-4o"]["cost_usd"] == 0.75
    assert models["openai", "gpt-4o"]["calls"] == 2
    assert models["lab", "mystery-7b"]["cost_usd"] is None  # unpriced, not 0
    assert status["spend"]["unpriced_calls"] == 1
    assert status["budget"]["budget"] == {"monthly_spend_usd": 20.0, "monthly_tokens": 40_000}
    assert status["budget"]["state"] == "ok"
    assert status["prices"]["table"] == "pinned test prices"


def test_status_for_people(capsys: pytest.CaptureFixture[str], url: str) -> None:
    seed_usage(url)
    services = Services.open(url)
    try:  # a server that reports no usage: its tokens are our estimate
        services.billing.record_usage(
            tokens_in=40,
            tokens_out=8,
            provider="local",
            model="quiet",
            cost_usd=Decimal(0),
            estimated=True,
        )
    finally:
        services.close()
    code, out, _ = run(capsys, url, "billing", "status")
    assert code == 0
    assert "Plan     Free (active, billed monthly)" in out
    assert "Period   2026-01-15 to 2026-02-15" in out
    assert "storage" in out and "0 B / 100 MB" in out
    assert "storage: 0 B of files (0 B stored), with every version" in out
    assert "Spend this period: $0.75 (+1 unpriced call)" in out
    quiet = next(line for line in out.splitlines() if "quiet" in line)
    assert "~40" in quiet and "~8" in quiet
    assert "~ some of these tokens are estimates" in out
    gpt = next(line for line in out.splitlines() if "gpt-4o" in line)
    assert "~" not in gpt
    assert "mystery-7b" in out and "unpriced" in out
    assert "Prices   pinned test prices" in out
    assert "promptterm billing budget set" in out  # no budget yet: how to set one


def test_budget_set_and_show_write_the_config(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, _ = run(capsys, url, "billing", "budget", "show")
    assert code == 0 and "No budget set" in out
    code, out, _ = run(
        capsys, url, "billing", "budget", "set", "--spend", "20", "--tokens", "500000"
    )
    assert code == 0
    assert "spend budget  $0.00 / $20.00 (0%)" in out
    data = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
    assert data["budget"] == {"monthly_spend_usd": 20, "monthly_tokens": 500_000}
    assert "the plan's limit comes first" in out  # 500,000 is not below Free's 50,000
    run(capsys, url, "billing", "budget", "set", "--tokens", "off")
    shown = run_json(capsys, url, "billing", "budget", "show")
    assert isinstance(shown, dict)
    assert shown["budget"] == {"monthly_spend_usd": 20.0, "monthly_tokens": None}
    code, _, err = run(capsys, url, "billing", "budget", "set", "--spend", "-3")
    assert code == 1 and "The spend cap must be an amount in USD above 0" in err
    code, _, err = run(capsys, url, "billing", "budget", "set")
    assert code == 2 and "--spend" in err


def test_plan_set_downgrade_keeps_data_and_says_what_is_blocked(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    run(capsys, url, "billing", "plan", "set", "pro")
    for i in range(6):
        run(capsys, url, "component", "add", "role", f"Role {i}", "-c", "text")
    run(capsys, url, "preset", "add", "P0", "--role", "Role 0")
    for i in range(1, 6):
        assert run(capsys, url, "preset", "add", f"P{i}", "--role", "Role 0")[0] == 0
    code, out, _ = run(capsys, url, "billing", "plan", "set", "free", "--now")
    assert code == 0
    assert "You are now on the Free plan" in out
    assert "Kept: 6 presets (the plan allows 5); new ones are refused" in out
    code, _, err = run(capsys, url, "preset", "add", "P6", "--role", "Role 0")
    assert code == 3 and "allows 5 presets" in err  # limit reached
    code, _, err = run(capsys, url, "billing", "plan", "set", "platinum")
    assert code == 1 and "no plan called 'platinum'" in err


def test_cancel_and_resume(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, _, err = run(capsys, url, "billing", "cancel")
    assert code == 1 and "nothing to cancel" in err
    run(capsys, url, "billing", "plan", "set", "pro")
    code, out, _ = run(capsys, url, "billing", "cancel")
    assert code == 0 and "then you are on Free" in out
    assert run_json(capsys, url, "billing", "status")["cancel_at_period_end"] is True  # type: ignore[index]
    code, out, _ = run(capsys, url, "billing", "resume")
    assert code == 0 and "Pro continues" in out
    code, out, _ = run(capsys, url, "billing", "cancel", "--now")
    assert "You are now on the Free plan" in out


def test_invoices_and_payments(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, _ = run(capsys, url, "billing", "invoices")
    assert code == 0 and "no statements yet: the Free plan has no fee" in out
    run(capsys, url, "billing", "plan", "set", "pro")
    code, out, _ = run(capsys, url, "billing", "invoices")
    # Pro starts with its 14-day trial (migration 0021).
    assert "no invoices yet: the Pro trial ends 2026-01-29." in out and "Free" not in out
    services = Services.open(url)
    try:
        services.billing.record_invoice(
            amount_due_cents=2000, amount_paid_cents=2000, status="paid"
        )
        services.billing.record_payment(
            amount_cents=2000,
            status="failed",
            payment_method="visa 4242",
            error_message="Declined.",
        )
    finally:
        services.close()
    code, out, _ = run(capsys, url, "billing", "invoices")
    assert "2026-01-15  paid    $20.00  $20.00" in out
    code, out, _ = run(capsys, url, "billing", "payments")
    assert "2026-01-15 09:30  failed  $20.00  visa 4242  Declined." in out
    [payment] = run_json(capsys, url, "billing", "payments")  # type: ignore[misc]
    assert (payment["amount_cents"], payment["status"]) == (2000, "failed")


def test_spend_by_day(capsys: pytest.CaptureFixture[str], url: str) -> None:
    seed_usage(url)
    data = run_json(capsys, url, "billing", "spend")
    assert isinstance(data, dict)
    days = data["days"]
    # Every day of the period (2026-01-15 09:30 to 2026-02-15 09:30), the calls on the first.
    assert (len(days), days[0]["day"], days[-1]["day"]) == (32, "2026-01-15", "2026-02-15")
    assert [(d["day"], d["tokens"]) for d in days if d["tokens"]] == [("2026-01-15", 3_015)]
    code, out, _ = run(capsys, url, "billing", "spend")
    assert code == 0
    assert "DAY (UTC)" in out and "gpt-4o" in out
    assert "2026-01-15  3      3,015   $0.75" in out
