"""The monthly budget, on SQLite and PostgreSQL: caps kept in the config file, a warning from
80%, a send stopped at 100% with a message naming the cap and how to raise it, the spend cap
letting a free model through, the month rolling over, and the status line's meter."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from promptterm import locations
from promptterm.config import Budget, load_budget
from promptterm.services.errors import BudgetReached, LimitReached, ValidationError
from promptterm.services.facade import Services
from support.chat_fixtures import usage_records
from support.clock import FixedClock
from support.llm_server import LLMServer, Script

PERIOD_END = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)


def use(services: Services, tokens: int, cost: str | None = None, provider: str = "openai") -> None:
    services.billing.record_usage(
        tokens_in=tokens,
        tokens_out=0,
        provider=provider,
        model="gpt-4o",
        cost_usd=None if cost is None else Decimal(cost),
    )


# The caps and the config file --------------------------------------------------------------


def test_the_budget_is_written_to_the_config_file_keeping_what_was_there(
    services: Services,
) -> None:
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text('# mine\n[ui]\ntheme = "nord"  # the dark one\n', encoding="utf-8")
    status = services.billing.set_budget(spend="20", tokens="30,000")
    assert status.budget == Budget(Decimal("20.00"), 30_000)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# mine\n[ui]\ntheme = "nord"  # the dark one\n')
    assert tomllib.loads(text)["budget"] == {"monthly_spend_usd": 20, "monthly_tokens": 30_000}

    # One cap at a time; the other is kept. "off" removes one.
    services.billing.set_budget(tokens="off")
    assert load_budget() == Budget(Decimal("20.00"), None)
    services.billing.set_budget(spend="12.50")
    assert services.billing.budget().budget == Budget(Decimal("12.50"), None)
    services.billing.set_budget(spend="", tokens="")
    assert not services.billing.budget().budget.is_set
    assert tomllib.loads(path.read_text(encoding="utf-8"))["ui"] == {"theme": "nord"}


@pytest.mark.parametrize(
    ("spend", "tokens", "field", "says"),
    [
        ("-5", None, "spend", "above 0"),
        ("0", None, "spend", "above 0"),
        ("1.005", None, "spend", "whole cents"),
        ("lots", None, "spend", "amount in USD"),
        (None, "1.5", "tokens", "whole number"),
        (None, "0", "tokens", "above 0"),
    ],
)
def test_a_bad_cap_is_refused_with_the_field_named(
    services: Services, spend: str | None, tokens: str | None, field: str, says: str
) -> None:
    from promptterm.services.billing.service import KEEP

    with pytest.raises(ValidationError, match=says) as err:
        services.billing.set_budget(
            spend=KEEP if spend is None else spend, tokens=KEEP if tokens is None else tokens
        )
    assert err.value.field == field
    assert not locations.config_file().exists()


def test_a_broken_budget_in_the_config_is_reported_in_words(services: Services) -> None:
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text("[budget]\nmonthly_tokens = -3\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="monthly_tokens must be a whole number"):
        services.billing.check_budget()
    # Fixing it through the service works, though the file holds a bad value.
    services.billing.set_budget(tokens=1000)
    assert load_budget().monthly_tokens == 1000


def test_a_token_budget_above_the_plan_says_the_plan_comes_first(services: Services) -> None:
    status = services.billing.set_budget(tokens=80_000)
    assert status.note is not None and "Free plan's 50,000" in status.note
    assert services.billing.meter().limit == 50_000  # the plan's, the tighter


# Warn at 80%, stop at 100% -----------------------------------------------------------------


def test_the_token_cap_warns_at_80_and_stops_at_100_percent(services: Services) -> None:
    services.billing.set_budget(tokens=10_000)
    use(services, 7_000)
    assert services.billing.budget().state == "ok"
    assert services.billing.budget_notice(900, None) is None  # 79%

    notice = services.billing.budget_notice(1_000, None)  # this call takes it to 80%
    assert notice is not None
    assert (notice["state"], notice["limit"]) == ("warning", "monthly_tokens")
    assert "80% used: 8,000 of the 10,000 tokens of your monthly budget" in notice["message"]
    assert "promptterm billing budget set --tokens" in notice["message"]

    use(services, 1_000)
    line = services.billing.budget().lines[0]
    assert (line.key, line.used, line.limit, line.state) == (
        "monthly_tokens",
        8_000,
        10_000,
        "warning",
    )
    services.billing.check_budget(2_000)  # exactly up to the cap is allowed
    with pytest.raises(BudgetReached) as err:
        services.billing.check_budget(2_001)
    assert err.value.limit == "monthly_tokens"
    assert "2,000 of 10,000 left" in err.value.message

    use(services, 2_000)
    with pytest.raises(BudgetReached) as err:
        services.billing.check_budget(0)
    message = err.value.message
    assert "You have used 10,000 of the 10,000 tokens your monthly budget allows" in message
    assert "the month ends 2026-02-15" in message
    assert "promptterm billing budget set --tokens 20000" in message
    assert "press b on the billing screen" in message
    assert isinstance(err.value, LimitReached)  # handled wherever plan limits are
    assert services.billing.budget().state == "full"


def test_the_spend_cap_stops_paid_models_but_not_free_ones(services: Services) -> None:
    services.billing.set_budget(spend="1")
    use(services, 100, "0.79")
    assert services.billing.budget().lines[0].state == "ok"
    notice = services.billing.budget_notice(10, Decimal("0.01"))
    assert notice is not None and notice["limit"] == "monthly_spend_usd"
    assert "$0.80 of your $1.00 monthly budget" in notice["message"]
    use(services, 100, "0.205")  # $0.995: shown, and checked, as $1.00
    line = services.billing.budget().lines[0]
    assert (line.used, line.limit, line.unit, line.state) == (100, 100, "cents", "full")
    with pytest.raises(BudgetReached) as err:
        services.billing.check_budget(10, costs_nothing=lambda: False)
    assert err.value.limit == "monthly_spend_usd"
    assert "You have spent $1.00 of your $1.00 monthly budget" in err.value.message
    assert "--spend 2" in err.value.message
    services.billing.check_budget(10, costs_nothing=lambda: True)  # a local model still works
    # Unpriced calls are counted apart, never as $0 spent nor as over the cap.
    use(services, 100, None)
    assert services.billing.budget().unpriced_calls == 1


def test_the_budget_counts_per_period_and_starts_afresh(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_budget(tokens=1_000, spend="1")
    use(services, 1_000, "1")
    with pytest.raises(BudgetReached):
        services.billing.check_budget()
    clock.set(PERIOD_END)
    services.billing.check_budget(1_000)
    status = services.billing.budget()
    assert (status.window_start, status.tokens_used, status.spent_usd) == (PERIOD_END, 0, 0)


def test_a_yearly_plan_budgets_by_month(services: Services, clock: FixedClock) -> None:
    services.billing.set_plan("pro", interval="yearly")
    services.billing.set_budget(tokens=1_000)
    use(services, 1_000)
    with pytest.raises(BudgetReached, match="the month ends 2026-02-15"):
        services.billing.check_budget()
    clock.set(PERIOD_END + timedelta(days=3))  # the same yearly period, the next month
    services.billing.check_budget(1_000)
    assert services.billing.meter().used == 0
    assert services.billing.summary().period_end == datetime(2027, 1, 15, 9, 30, tzinfo=UTC)


# The chat --------------------------------------------------------------------------------------


def test_a_send_over_the_budget_is_refused_before_anything_is_stored(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    chat.billing.set_budget(tokens=5_000)
    use(chat, 5_000)
    with pytest.raises(BudgetReached, match="5,000 tokens your monthly budget allows"):
        chat.chat_send.send(thread.id, "Hello?")
    assert chat.chat.messages(thread.id) == [] and llm.requests == []
    # Raising the cap lets the user carry on at once.
    chat.billing.set_budget(tokens=10_000)
    assert chat.chat_send.send(thread.id, "Hello?").status == "complete"


def test_a_spend_cap_does_not_stop_a_free_local_model(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    chat.billing.set_budget(spend="1")
    use(chat, 10, "1.50")
    result = chat.chat_send.send(thread.id, "Still free?")
    assert result.status == "complete" and result.message.cost_usd == 0


def test_a_spend_cap_stops_a_priced_model(chat: Services, llm: LLMServer) -> None:
    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[prices."local/test-model"]\ninput_per_mtok = 100\noutput_per_mtok = 100\n',
        encoding="utf-8",
    )
    thread = chat.chat.create_thread()
    chat.billing.set_budget(spend="1")
    assert tomllib.loads(config.read_text(encoding="utf-8"))["prices"]  # kept
    use(chat, 10, "1")
    with pytest.raises(BudgetReached, match=r"spent \$1\.00 of your \$1\.00"):
        chat.chat_send.send(thread.id, "Costly?")
    assert llm.requests == []


def test_a_send_past_80_percent_carries_a_warning_for_the_chat(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    chat.billing.set_budget(tokens=1_000)
    llm.push(Script(text="Short answer."), Script(text="Another."))
    first = chat.chat_send.send(thread.id, "Hi")
    assert "budget" not in first.message.meta
    use(chat, 800)  # with the first call, past 80% of 1,000
    second = chat.chat_send.send(thread.id, "And?")
    notice = second.message.meta["budget"]
    assert (notice["state"], notice["limit"]) == ("warning", "monthly_tokens")
    assert "tokens of your monthly budget" in notice["message"]
    # Kept with the answer, as the chat screen reads it back.
    assert chat.chat.messages(thread.id)[-1].meta["budget"] == notice
    assert len(usage_records(chat)) == 3


def test_the_plans_own_tokens_warn_at_80_percent_too(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    use(chat, 41_000)
    result = chat.chat_send.send(thread.id, "Hi")
    notice = result.message.meta["budget"]
    assert notice["limit"] == "tokens_per_month" and notice["state"] == "warning"
    assert "tokens the Free plan gives each month" in notice["message"]


# The meter -------------------------------------------------------------------------------------


def test_the_meter_shows_tokens_against_the_tighter_limit(
    services: Services, clock: FixedClock
) -> None:
    meter = services.billing.meter()
    assert (meter.used, meter.limit, meter.source, meter.state) == (0, 50_000, "plan", "ok")
    use(services, 40_000)
    assert services.billing.meter().state == "warning"
    services.billing.set_budget(tokens=20_000)
    meter = services.billing.meter()
    assert (meter.used, meter.limit, meter.source, meter.state) == (
        40_000,
        20_000,
        "budget",
        "full",
    )
    services.billing.set_budget(tokens="off")
    services.billing.set_plan("pro")
    assert (services.billing.meter().limit, services.billing.meter().state) == (500_000, "ok")
    clock.set(PERIOD_END + timedelta(seconds=1))  # rolled over: counts afresh
    assert services.billing.meter().used == 0


def test_the_meter_reads_the_current_budget_every_time(services: Services, tmp_path: Path) -> None:
    assert services.billing.meter().source == "plan"
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text("[budget]\nmonthly_tokens = 123\n", encoding="utf-8")  # another process
    assert services.billing.meter().limit == 123
