"""The plan panel: plan, status, interval, the current period, trial and cancellation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content

from promptterm.services.billing.format import cents
from promptterm.services.words import plural

if TYPE_CHECKING:
    from promptterm.services.billing.models import UsageSummary

STATUS_STYLES = {
    "active": "$success",
    "trialing": "$accent",
    "past_due": "bold $error",
    "unpaid": "bold $error",
    "canceled": "$text-muted",
}


def _days(n: float) -> str:
    days = max(0, int(n))
    return plural(days, "day")


def plan_content(summary: UsageSummary, now: datetime) -> Content:
    plan = summary.plan
    if summary.billing_interval == "yearly":
        price = f"{cents(plan.price_yearly_cents)}/year"
    else:
        price = f"{cents(plan.price_monthly_cents)}/month"
    left = (summary.period_end - now).total_seconds() / 86400
    parts: list[Content | str | tuple[str, str]] = [
        (f"{plan.name} plan", "bold $accent"),
        "  ",
        (summary.status.replace("_", " "), STATUS_STYLES.get(summary.status, "")),
        (f" · billed {summary.billing_interval} · {price}", "$text-muted"),
        "\n",
        ("Period ", "$text-muted"),
        f"{summary.period_start:%Y-%m-%d} to {summary.period_end:%Y-%m-%d}",
        (f" · {_days(left)} left", "$text-muted"),
    ]
    if summary.trial_end is not None:
        if summary.trial_end > now:
            parts += ["\n", ("Trial ", "$text-muted"), f"ends {summary.trial_end:%Y-%m-%d}"]
        else:
            parts += ["\n", ("Trial ", "$text-muted"), f"ended {summary.trial_end:%Y-%m-%d}"]
    if summary.pending_plan is not None:
        parts += [
            "\n",
            (
                f"Moves to {summary.pending_plan} on {summary.period_end:%Y-%m-%d}. "
                f"Choose {summary.pending_plan} again (p) to switch now.",
                "$warning",
            ),
        ]
    if summary.cancel_at_period_end:
        parts += [
            "\n",
            (
                f"Cancelled: {plan.name} runs until {summary.period_end:%Y-%m-%d}, then Free. "
                "Press u to resume.",
                "$warning",
            ),
        ]
    return Content.assemble(*parts)
