"""Pilot tests: billing settings changed from a stale screen (the CLI or another window
changed them meanwhile) are refused in words, what the user typed stays, and the screen then
shows the settings as they are."""

from __future__ import annotations

import tomllib

import pytest
from textual.widget import Widget

from promptterm import locations
from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.billing.screen import BillingScreen
from promptterm.ui.billing.widgets.plan_picker import PlanPicker
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def text(app: PromptTermApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Widget).render())


async def open_billing(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BillingScreen)


async def test_a_budget_saved_over_a_change_made_meanwhile_is_refused_in_the_form(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_billing(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), between=settle)
        form = app.screen
        assert isinstance(form, FormScreen)
        ui_services.billing.set_budget(tokens="40000")  # `promptterm billing budget set`
        await type_text(pilot, "5")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "changed elsewhere" in text(app, "#form-error"), between=settle
        )

        shown = text(app, "#form-error")
        assert "Your monthly budget was changed elsewhere since you opened it" in shown
        assert "token cap (none) → 40000" in shown and "What you typed is still here" in shown
        assert app.screen is form and form.values() == {"spend": "5", "tokens": ""}
        saved = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
        assert saved["budget"] == {"monthly_tokens": 40_000}  # the other change stands

        await pilot.press("ctrl+j")  # read it, and still mean it (no token cap): saved
        await wait_until(pilot, lambda: isinstance(app.screen, BillingScreen), between=settle)
        assert "Budget saved." in notes(app)
    saved = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
    assert saved["budget"] == {"monthly_spend_usd": 5}


async def test_a_plan_chosen_on_a_stale_screen_is_refused_and_the_plan_shown_again(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_billing(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanPicker), between=settle)
        await pilot.press("down", "down", "enter")  # Business
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), between=settle)
        ui_services.billing.set_plan("pro")  # the CLI, meanwhile
        await pilot.press("y")
        await wait_until(
            pilot, lambda: any("changed elsewhere" in n for n in notes(app)), between=settle
        )
        note = next(n for n in notes(app) if "changed elsewhere" in n)
        assert "plan 'Free' → 'Pro'" in note and "choose again" in note
        await wait_until(pilot, lambda: "Pro plan" in text(app, "#billing-plan"), between=settle)
    assert ui_services.billing.summary().plan.slug == "pro"
