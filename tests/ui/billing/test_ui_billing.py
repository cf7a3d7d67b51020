"""Pilot tests of the billing screen and the status line's meter, with real key presses:
what a chat cost by model, plan changes confirmed with what a downgrade keeps, cancel and
resume, the budget form, jumping to invoices, and the meter following every change."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Callable

import pytest
from textual.widget import Widget

from promptterm import locations
from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.billing.screen import BillingScreen
from promptterm.ui.billing.widgets.plan_picker import PlanPicker
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.common.widgets.status import StatusLine
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.waiting import CEILING
from ui.billing import world as billing_world
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text, wait_until
from ui.scenarios import SMALL, settings_for

pytestmark = pytest.mark.anyio


def text(app: PromptTermApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Widget).render())


def meter(app: PromptTermApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


async def until(pilot, check: Callable[[], bool], what: str) -> None:  # type: ignore[no-untyped-def]
    """Settle until ``check()`` holds: a dialog's answer reaches the screen through a
    callback, a worker and a message, which one settle may not see start."""
    await wait_until(pilot, check, what, between=settle)


async def open_billing(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BillingScreen)


async def plan_question(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """p opens the plan picker, ``keys`` choose a plan, and its question comes up."""
    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PlanPicker), "the picker")
    await pilot.press(*keys)
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), "the question")


async def test_after_chats_the_screen_shows_their_tokens_and_cost_by_model(
    make_app: AppFactory, ui_services: Services, llm: LLMServer
) -> None:
    """The issue's "done when": chats against a local server, then the billing screen."""
    ui_services.providers.add(
        "local", "openai-compatible", base_url=llm.openai_url, default_model="test-model"
    )
    thread = ui_services.chat.create_thread()
    llm.push(Script(text="One two three."), Script(text="Four five."))
    # The send runs its own event loop (as in the chat's thread worker): not on this one.
    await asyncio.to_thread(ui_services.chat_send.send, thread.id, "Count, please.")
    await asyncio.to_thread(ui_services.chat_send.send, thread.id, "More.")
    used = ui_services.billing.summary().line("tokens_per_month").used
    assert used > 0

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        spend = text(app, "#billing-spend")
        assert "local" in spend and "test-model" in spend
        model_row = next(line for line in spend.splitlines() if "test-model" in line)
        assert model_row.split()[1] == "2"  # calls
        assert model_row.split()[-1] == "$0.00"  # a local server costs nothing
        assert f"{used:,} / 50,000" in text(app, "#billing-usage")
        assert f"{used:,} / 50,000 tokens" in meter(app)
        assert "Free plan" in text(app, "#billing-plan")


async def test_the_meter_is_blank_until_the_services_open_then_follows_usage(
    ui_services: Services, clock: FixedClock
) -> None:
    import threading

    gate = threading.Event()

    def opener() -> Services:
        gate.wait(CEILING)  # the database is slow today (set by the test, or a hang)
        return ui_services

    app = PromptTermApp(services=opener, settings=settings_for(ui_services), cursor_blink=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "tokens" not in meter(app)  # nothing distracting before there is a figure
        gate.set()
        await settle(pilot)
        assert meter(app).rstrip().endswith("0 / 50,000 tokens ────────")
        billing_world.seed_usage(ui_services, clock)  # 36,600 tokens, elsewhere
        assert "36,600" not in meter(app)
        app.usage_signal.publish(None)  # what the chat does after a send
        await settle(pilot)
        assert "36,600 / 50,000 tokens" in meter(app)


async def test_upgrade_by_keys_lifts_the_limits_and_the_meter(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        await plan_question(pilot, "down", "enter")  # Free is highlighted first: the next is Pro
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and dialog.dialog_title == "Upgrade to Pro"
        assert "The new limits apply at once" in dialog.message
        await pilot.press("y")
        await until(pilot, lambda: "Pro plan" in text(app, "#billing-plan"), "the plan shown")
        assert isinstance(app.screen, BillingScreen)
        assert ui_services.billing.summary().plan.slug == "pro"
        assert "0 / 500,000 tokens" in meter(app)
        assert "You are now on Pro, billed monthly." in notes(app)


async def test_a_downgrade_says_what_is_kept_and_can_be_declined(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    billing_world.pro_plan(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        await plan_question(pilot, "up", "enter")  # Pro is current; up is Free
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and dialog.dialog_title == "Downgrade to Free"
        assert "Everything you have is kept" in dialog.message
        assert "8 presets, Free allows 5: they all stay and keep working" in dialog.message
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "back on billing")
        assert ui_services.billing.summary().plan.slug == "pro"

        await plan_question(pilot, "up", "enter")
        assert "takes effect when this period ends" in app.screen.message
        await pilot.press("y")
        # A downgrade waits for the period's end (issue 18)...
        await until(pilot, lambda: "Moves to Free" in text(app, "#billing-plan"), "pending")
        assert ui_services.billing.summary().plan.slug == "pro"
        # ...unless the user chooses it again, now.
        await plan_question(pilot, "up", "enter")
        assert "It takes effect now; nothing already paid is refunded" in app.screen.message
        await pilot.press("y")
        await until(pilot, lambda: "8 / 5" in text(app, "#billing-usage"), "the new limits")
        summary = ui_services.billing.summary()
        assert summary.plan.slug == "free"
        assert len(ui_services.presets.list()) == 8  # nothing deleted
        usage = text(app, "#billing-usage")
        assert "8 / 5" in usage and "over limit" in usage


async def test_a_read_from_before_a_plan_change_is_not_shown_over_it(
    make_app: AppFactory, ui_services: Services
) -> None:
    """The screen and the meter read again after a change; a read that started before it
    can answer last (a cancelled thread still runs) and must not bring the old plan back."""
    from promptterm.ui.billing.messages import OverviewLoaded
    from promptterm.ui.common.widgets.status import MeterLoaded

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        screen = app.screen
        assert isinstance(screen, BillingScreen)
        status = screen.query_one(StatusLine)
        late = screen.reads.start(), status.reads.start()  # reads starting now, on Free...
        overview, meter_then = ui_services.billing.overview(), ui_services.billing.meter()
        await plan_question(pilot, "down", "enter")
        await pilot.press("y")
        await until(pilot, lambda: "Pro plan" in text(app, "#billing-plan"), "the plan shown")
        await until(pilot, lambda: "500,000" in meter(app), "the meter on Pro")
        # ...answer after the change's own reads.
        screen.post_message(OverviewLoaded(overview, None, None, (), late[0]))
        status.post_message(MeterLoaded(meter_then, late[1]))
        await settle(pilot)
        assert "Pro plan" in text(app, "#billing-plan")
        assert "0 / 500,000 tokens" in meter(app)


async def test_the_yearly_toggle_in_the_picker_changes_the_interval(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PlanPicker), "the picker")
        await pilot.press("y")  # yearly prices
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await until(pilot, lambda: "billed yearly" in text(app, "#billing-plan"), "yearly")
        summary = ui_services.billing.summary()
        assert (summary.plan.slug, summary.billing_interval) == ("pro", "yearly")
        assert "billed yearly" in text(app, "#billing-plan")


async def test_cancel_then_resume(make_app: AppFactory, ui_services: Services) -> None:
    ui_services.billing.set_plan("pro")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        screen = app.screen
        assert screen.check_action("cancel_plan", ()) and not screen.check_action("resume_plan", ())
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Pro runs until 2026-02-15, then you are on Free" in app.screen.message
        await pilot.press("y")
        await until(pilot, lambda: "Cancelled" in text(app, "#billing-plan"), "cancelled")
        assert ui_services.billing.summary().cancel_at_period_end
        assert "Cancelled: Pro runs until 2026-02-15" in text(app, "#billing-plan")
        assert screen.check_action("resume_plan", ()) and not screen.check_action("cancel_plan", ())
        await pilot.press("u")
        await until(pilot, lambda: "Cancelled" not in text(app, "#billing-plan"), "resumed")
        assert not ui_services.billing.summary().cancel_at_period_end
        assert "Cancelled" not in text(app, "#billing-plan")


async def test_no_cancel_on_the_free_plan(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        assert not app.screen.check_action("cancel_plan", ())
        keys = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert "c" not in keys and {"p", "b", "i", "r"} <= keys


async def test_the_budget_form_writes_the_config_and_shows_the_caps(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    billing_world.seed_usage(ui_services, clock)  # 36,600 tokens
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        assert "No budget set" in text(app, "#billing-budget-note")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await type_text(pilot, "abc")
        await pilot.press("enter")
        await until(pilot, lambda: "amount in USD" in text(app, "#error-spend"), "the error")
        form = app.screen
        assert isinstance(form, FormScreen)  # refused, kept open, the reason under the field
        assert "amount in USD" in text(app, "#error-spend")
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "5")
        await pilot.press("tab")
        await type_text(pilot, "40000")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, BillingScreen) and "40,000" in meter(app),
            "the budget shown",
        )
        budget = text(app, "#billing-budget")
        assert "36,600 / 40,000" in budget and "near limit" in budget
        assert "36,600 / 40,000 tokens (budget)" in meter(app)
        assert "Budget saved." in notes(app)
    saved = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
    assert saved["budget"] == {"monthly_spend_usd": 5, "monthly_tokens": 40_000}


async def test_over_budget_is_stated_plainly(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    billing_world.over_budget(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        budget = text(app, "#billing-budget")
        assert "36,600 / 30,000" in budget and "cap passed" in budget
        assert "$0.02 / $0.02" in budget and "cap reached" in budget
        assert "Sends are refused" in text(app, "#billing-budget-note")


async def test_keys_jump_to_invoices_and_spend_and_toggle_the_chart(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    billing_world.pro_plan(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        body = app.screen.query_one("#billing-body")
        assert body.scroll_y == 0
        await pilot.press("i")
        # The jump scrolls after the next layout: wait for it (a hang fails at the ceiling).
        await wait_until(pilot, lambda: body.scroll_y > 0, "the jump to the invoices")
        invoices = text(app, "#billing-invoices")
        assert "open" in invoices and "paid" in invoices
        payments = text(app, "#billing-payments")
        assert "Your card was declined." in payments
        await pilot.press("s")
        title = app.screen.query_one("#billing-spend-title")
        # The spend section on top (its margin), once the jump's scroll has happened.
        await wait_until(pilot, lambda: title.region.y - body.region.y <= 1, "the jump to spend")
        assert text(app, "#billing-chart").startswith("Tokens per day")
        await pilot.press("d")
        assert text(app, "#billing-chart").startswith("Cost per day")


async def test_returning_to_billing_shows_fresh_usage(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        assert "0 / 50,000" in text(app, "#billing-usage")
        await pilot.press("1")
        await settle(pilot)
        billing_world.seed_usage(ui_services, clock)  # a chat elsewhere
        await pilot.press("5")
        await settle(pilot)
        assert "36,600 / 50,000" in text(app, "#billing-usage")


async def test_no_invoices_is_explained_by_the_real_plan(
    make_app: AppFactory, ui_services: Services
) -> None:
    # Issue 13, item 13: on Pro the pane said "the Free plan is never billed".
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        note = "#billing-invoices-note"
        await until(pilot, lambda: "no fee" in text(app, note), "Free")
        assert "the Free plan has no fee" in text(app, note)
    ui_services.billing.set_plan("pro")
    ends = ui_services.billing.summary().trial_end
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_billing(pilot)
        await until(pilot, lambda: "No invoices" in text(app, note), "Pro")
        shown = text(app, note)
        assert "Free" not in shown
        assert f"No invoices yet: the Pro trial ends {ends:%Y-%m-%d}." in shown
