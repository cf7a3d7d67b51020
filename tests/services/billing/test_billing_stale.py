"""Plan and budget changes chosen on a stale screen are refused (StaleEdit, a Conflict), not
applied over a change the CLI or another window made meanwhile: on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from promptterm.services.errors import Conflict, StaleEdit
from promptterm.services.facade import Services


def test_a_plan_change_chosen_on_a_stale_screen_is_refused(services: Services) -> None:
    seen = services.billing.summary()
    services.billing.set_plan("pro", expected=seen)  # another window got there first

    with pytest.raises(StaleEdit) as refused:
        services.billing.set_plan("business", "yearly", expected=seen)

    assert isinstance(refused.value, Conflict)
    assert "Your plan was changed elsewhere" in refused.value.message
    assert "plan 'Free' → 'Pro'" in refused.value.message
    assert "choose again" in refused.value.message
    assert services.billing.summary().plan.slug == "pro"
    fresh = services.billing.summary()
    assert services.billing.set_plan("business", expected=fresh).plan.slug == "business"


def test_cancel_and_resume_on_a_stale_screen_are_refused(services: Services) -> None:
    services.billing.set_plan("pro")
    seen = services.billing.summary()
    services.billing.cancel(expected=seen)

    with pytest.raises(StaleEdit, match=r"cancellation \(none\) → .at the period's end."):
        services.billing.cancel(expected=seen)
    cancelled = services.billing.summary()
    services.billing.resume(expected=cancelled)
    with pytest.raises(StaleEdit):
        services.billing.resume(expected=cancelled)
    assert services.billing.summary().cancel_at_period_end is False


def test_a_budget_saved_from_a_stale_form_is_refused(services: Services) -> None:
    seen = services.billing.budget_settings()
    services.billing.set_budget(tokens="40000", expected=seen)  # e.g. the CLI, meanwhile

    with pytest.raises(StaleEdit) as refused:
        services.billing.set_budget(spend="20", tokens="", expected=seen)

    assert "token cap (none) → 40000" in refused.value.message
    assert "What you typed is still here" in refused.value.message
    after = services.billing.budget_settings()
    assert (after.monthly_spend_usd, after.monthly_tokens) == (None, 40_000)
    fresh = services.billing.budget_settings()
    services.billing.set_budget(spend="20", tokens="", expected=fresh)
    assert services.billing.budget_settings().monthly_spend_usd == Decimal("20")
