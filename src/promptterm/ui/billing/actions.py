"""What the billing screen's keys do: change plan (picked, then confirmed with what a
downgrade would block), cancel and resume, set the budget. Each change runs in a worker and
posts BillingChanged; the screen reloads and tells every status line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import on, work

from promptterm.services.billing.format import plan_change_text
from promptterm.ui.billing.messages import BillingChanged, PlanPreviewed, PlansLoaded
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.read_order import ReadOrder

if TYPE_CHECKING:
    from promptterm.services.billing.models import BillingOverview, BudgetStatus, UsageSummary

PAID_STATES = ("active", "trialing", "past_due")


class BillingActions(AreaScreen):
    def __init__(self) -> None:
        super().__init__()
        self.overview: BillingOverview | None = None
        self._plan_seen: UsageSummary | None = None
        self.reads = ReadOrder()  # the overview is read again after each change

    @contextlib.contextmanager
    def _reload_if_stale(self) -> Iterator[None]:
        """A change refused because the plan changed meanwhile: show the plan as it is now
        (the refusal itself is reported as the worker's error)."""
        from promptterm.services.errors import StaleEdit

        try:
            yield
        except StaleEdit:
            self.post_message(BillingChanged(""))
            raise

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        summary = self.overview.summary if self.overview is not None else None
        if action == "cancel_plan":
            return (
                summary is not None
                and summary.plan.slug != "free"
                and not summary.cancel_at_period_end
            )
        if action == "resume_plan":
            return summary is not None and summary.cancel_at_period_end
        if action in ("change_plan", "budget"):
            return summary is not None
        return True

    # Plan ----------------------------------------------------------------------------------

    def action_change_plan(self) -> None:
        self._load_plans()

    @work(thread=True, exclusive=True, exit_on_error=False, group="billing-plans")
    def _load_plans(self) -> None:
        self.post_message(PlansLoaded(self.services.billing.plans()))

    @on(PlansLoaded)
    def _pick_plan(self, message: PlansLoaded) -> None:
        from promptterm.ui.billing.widgets.plan_picker import PlanPicker

        if self.overview is None:
            return
        summary = self.overview.summary
        self._plan_seen = summary  # what the user chooses against
        picker = PlanPicker(message.plans, summary.plan.slug, summary.billing_interval)
        self.app.push_screen(picker, self._plan_picked)

    def _plan_picked(self, choice: tuple[str, str] | None) -> None:
        if choice is None or self.overview is None:
            return
        slug, interval = choice
        summary = self.overview.summary
        if slug == summary.plan.slug and interval == summary.billing_interval:
            self.notify(f"You are already on {summary.plan.name}, billed {interval}.")
            return
        self._preview_plan(slug, interval)

    @work(thread=True, exclusive=True, exit_on_error=False, group="billing-plans")
    def _preview_plan(self, slug: str, interval: str) -> None:
        self.post_message(PlanPreviewed(self.services.billing.preview_plan(slug, interval)))

    @on(PlanPreviewed)
    def _confirm_plan(self, message: PlanPreviewed) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        change = message.change
        target = change.target
        verb = "Downgrade" if change.downgrade else "Switch"
        if change.target.slug != change.current.slug and not change.downgrade:
            verb = "Upgrade"
        dialog = ConfirmScreen(
            f"{verb} to {target.name}",
            plan_change_text(change),
            confirm_label=verb,
            danger=change.downgrade and bool(change.blocked),
        )

        seen = self._plan_seen

        def answered(yes: bool | None) -> None:
            if yes and seen is not None:
                self._set_plan(target.slug, change.interval, seen, change.now_instead)

        self.app.push_screen(dialog, answered)

    @work(thread=True, exit_on_error=False, group="billing-change")
    def _set_plan(self, slug: str, interval: str, seen: UsageSummary, now: bool = False) -> None:
        with self._reload_if_stale():
            summary = self.services.billing.set_plan(
                slug, interval, expected=seen, at_period_end=False if now else None
            )
        note = f"You are now on {summary.plan.name}, billed {summary.billing_interval}."
        if summary.pending_plan is not None:
            note = (
                f"{summary.plan.name} runs until {summary.period_end:%Y-%m-%d}, then "
                f"{summary.pending_plan}."
            )
        self.post_message(BillingChanged(note))

    def action_cancel_plan(self) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        if self.overview is None:
            return
        summary = self.overview.summary
        name, end = summary.plan.name, f"{summary.period_end:%Y-%m-%d}"
        dialog = ConfirmScreen(
            f"Cancel {name}?",
            f"{name} runs until {end}, then you are on Free. Everything you have is kept; "
            "what is over Free's limits stays, and only new items are refused. "
            "Until then you can resume it with u.",
            confirm_label="Cancel plan",
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel_plan(summary)

        self.app.push_screen(dialog, answered)

    @work(thread=True, exit_on_error=False, group="billing-change")
    def _cancel_plan(self, seen: UsageSummary) -> None:
        with self._reload_if_stale():
            summary = self.services.billing.cancel(expected=seen)
        self.post_message(
            BillingChanged(f"{summary.plan.name} ends on {summary.period_end:%Y-%m-%d}.")
        )

    def action_resume_plan(self) -> None:
        if self.overview is not None:
            self._resume_plan(self.overview.summary)

    @work(thread=True, exit_on_error=False, group="billing-change")
    def _resume_plan(self, seen: UsageSummary) -> None:
        with self._reload_if_stale():
            summary = self.services.billing.resume(expected=seen)
        self.post_message(BillingChanged(f"{summary.plan.name} continues; nothing is cancelled."))

    # Budget --------------------------------------------------------------------------------

    def action_budget(self) -> None:
        from promptterm.ui.common.dialogs.fields import Field
        from promptterm.ui.common.dialogs.form import FormScreen
        from promptterm.ui.common.seen import Seen

        if self.overview is None:
            return
        caps = self.overview.budget.budget
        plan = self.overview.summary.line("tokens_per_month")
        spend = "" if caps.monthly_spend_usd is None else str(caps.monthly_spend_usd)
        tokens = "" if caps.monthly_tokens is None else str(caps.monthly_tokens)
        plan_tokens = f"{plan.limit:,}" if plan.limit is not None else "unlimited"
        billing = self.services.billing
        # Refused if the caps changed since (the CLI, another window); a second save, once
        # the user has read what changed, goes through.
        seen = Seen(caps, billing.budget_settings)

        def save(values: dict[str, str]) -> BudgetStatus:
            return seen.write(
                lambda was: billing.set_budget(
                    spend=values["spend"], tokens=values["tokens"], expected=was
                ),
                on_stale=lambda: self.post_message(BillingChanged("")),
            )

        form: FormScreen[BudgetStatus] = FormScreen(
            "Monthly budget",
            [
                Field("spend", "Spend (USD)", spend, placeholder="no cap, e.g. 20"),
                Field("tokens", "Tokens", tokens, placeholder=f"no cap; the plan: {plan_tokens}"),
            ],
            save,
            submit_label="Save",
            intro="Your own caps, below the plan's, per month. Chat warns at 80% and stops a "
            "send at 100%. Leave a field empty for no cap.",
        )
        self.app.push_screen(form, self._budget_saved)

    def _budget_saved(self, status: BudgetStatus | None) -> None:
        if status is None:
            return
        if status.budget.is_set:
            self.post_message(BillingChanged("Budget saved."))
        else:
            self.post_message(BillingChanged("Budget removed: only the plan's limits apply."))
