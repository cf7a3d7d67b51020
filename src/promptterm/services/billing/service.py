"""Plans, the user's subscription, metered usage against every limit, budget, spend, invoices.

The parts live in their own modules of this package: periods (periods.py), spend by model
and by day (spend.py), the monthly budget (budget.py; its caps set and checked:
budget_caps.py), invoices and payments (history.py), the returned data (models.py). This
service is what callers use.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from promptterm.config import Budget, load_budget
from promptterm.db.models import SubscriptionPlan, UsageRecord
from promptterm.services.billing import budget as budgets
from promptterm.services.billing import history
from promptterm.services.billing.budget_caps import KEEP as KEEP
from promptterm.services.billing.budget_caps import BudgetCaps
from promptterm.services.billing.figures import (
    COUNTED,
    UsageCounts,
    plan_info,
    usage_summary,
)
from promptterm.services.billing.figures import MB as MB
from promptterm.services.billing.limits import COUNTERS, check_tokens, tokens_used
from promptterm.services.billing.models import (
    BillingOverview,
    InvoiceInfo,
    PaymentInfo,
    PlanChange,
    PlanInfo,
    TokenMeter,
    UsageLine,
    UsageSummary,
)
from promptterm.services.billing.periods import (
    current_subscription,
    month_window,
    plan_by_slug,
)
from promptterm.services.billing.plan_change import change_plan, check_manages
from promptterm.services.billing.spend import (
    DayUsage,
    SpendReport,
    days_in,
    files_size,
    spend_in,
    storage_used,
)
from promptterm.services.billing.stale import subscription_as_seen
from promptterm.services.context import ServiceContext
from promptterm.services.errors import ValidationError

__all__ = [
    "BillingService",
    "InvoiceInfo",
    "PaymentInfo",
    "PlanInfo",
    "UsageLine",
    "UsageSummary",
]

HISTORY_ROWS = 50  # invoices and payments shown on the screen


class BillingService(BudgetCaps):
    def __init__(
        self, ctx: ServiceContext, *, budget_loader: Callable[[], Budget] | None = None
    ) -> None:
        self.ctx = ctx
        # Read on every check: the CLI may change the budget while the app runs.
        self._load_budget = budget_loader or load_budget

    # -- plans and the summary --------------------------------------------------------------

    def plans(self) -> list[PlanInfo]:
        stmt = (
            select(SubscriptionPlan)
            .where(col(SubscriptionPlan.is_active).is_(True))
            .order_by(col(SubscriptionPlan.sort_order))
        )
        with self.ctx.db.session() as session:
            return [plan_info(p) for p in session.exec(stmt).all()]

    def summary(self) -> UsageSummary:
        """Plan, period and usage against every limit of the plan: the plan's tokens count
        this month (the allowance is monthly), the cost this billing period."""
        with self.ctx.db.session() as session:
            return self._summary(session, self.ctx.now())

    def _summary(
        self, session: Session, now: datetime, user_id: uuid.UUID | None = None
    ) -> UsageSummary:
        uid = user_id or self.ctx.user_id
        sub, plan = current_subscription(session, uid, now)
        start, end = sub.current_period_start, sub.current_period_end
        # One pass over the period's records for tokens, cost and unpriced calls together.
        tokens, cost, unpriced = budgets.window_usage(session, uid, start, end)
        month = month_window(sub, now)
        if month != (start, end):
            # A period longer than a month (billed yearly): the plan's tokens are a monthly
            # allowance, so its line counts this month; the cost stays the whole period's.
            tokens = tokens_used(session, uid, *month)
        pending = (
            session.get(SubscriptionPlan, sub.pending_plan_id) if sub.pending_plan_id else None
        )
        counts = UsageCounts(
            tokens=tokens,
            cost_usd=cost,
            unpriced_calls=unpriced,
            items={key: COUNTERS[key](session, uid) for key in COUNTED},
            storage_bytes=storage_used(session, uid),
            files_bytes=files_size(session, uid),
        )
        return usage_summary(sub, plan, pending, counts)

    def overview(self) -> BillingOverview:
        """Everything the billing screen shows, in one session (one connection)."""
        now, uid = self.ctx.now(), self.ctx.user_id
        budget = self.budget_settings()
        with self.ctx.db.session() as session:
            summary = self._summary(session, now)
            sub, _ = current_subscription(session, uid, now)
            month = month_window(sub, now)
            known = None
            if month == (summary.period_start, summary.period_end):
                # Billed monthly, the budget's month is the period: its sums are the summary's.
                tokens = summary.line("tokens_per_month").used
                known = (tokens, summary.cost_usd, summary.unpriced_calls)
            return BillingOverview(
                summary=summary,
                budget=budgets.budget_status(session, uid, now, budget, known),
                spend=spend_in(session, uid, summary.period_start, summary.period_end),
                days=days_in(session, uid, *month),
                invoices=history.invoices_of(session, uid, HISTORY_ROWS),
                payments=history.payments_of(session, uid, HISTORY_ROWS),
            )

    # -- plan changes -----------------------------------------------------------------------

    def set_plan(
        self,
        slug: str,
        interval: str = "monthly",
        *,
        expected: UsageSummary | None = None,
        at_period_end: bool | None = None,
        member: uuid.UUID | None = None,
    ) -> UsageSummary:
        """Change plan: an upgrade now, its rest of the period prorated onto the statement; a
        downgrade at the period's end unless ``at_period_end`` is False (then now, nothing
        refunded). Every row is kept; a lower plan only blocks new items over its limits.

        ``member``: someone else's plan, which only an owner or admin of a workspace they
        belong to may change. ``expected``: the plan as the screen showed it when the user
        chose; changed since (another window, the CLI), the switch is refused (StaleEdit)."""
        if interval not in ("monthly", "yearly"):
            raise ValidationError("The billing interval is monthly or yearly.", "interval")
        now = self.ctx.now()
        whose = member or self.ctx.user_id
        with self.ctx.db.session() as session:
            check_manages(session, self.ctx.user_id, whose)
            sub, current = subscription_as_seen(session, whose, now, expected)
            plan = plan_by_slug(session, slug)
            if plan.id != current.id or interval != sub.billing_interval:
                change_plan(session, sub, current, plan, interval, now, at_period_end=at_period_end)
            elif sub.pending_plan_id is not None:
                sub.pending_plan_id = None  # choosing the plan one has keeps it
                session.add(sub)
            if member is not None:
                return self._summary(session, now, whose)
        return self.summary()

    def preview_plan(self, slug: str, interval: str | None = None) -> PlanChange:
        """What a switch to ``slug`` would block (nothing is deleted), to confirm first."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            summary = self._summary(session, now)
            current = plan_by_slug(session, summary.plan.slug)
            target = plan_by_slug(session, slug)
            blocked = []
            for line in summary.lines:
                limit = target.limits.get(line.key)
                if limit is not None and line.key == "storage_mb":
                    limit = int(limit) * MB
                moved = UsageLine(line.key, line.label, line.used, limit, line.unit)
                if moved.state == "full":
                    blocked.append(moved)
            sub, _ = current_subscription(session, self.ctx.user_id, now)
            downgrade = target.sort_order < current.sort_order
            now_instead = downgrade and sub.pending_plan_id == target.id
            first_paid = current.price_monthly == 0 and sub.trial_start is None
            return PlanChange(
                current=summary.plan,
                target=plan_info(target),
                interval=interval or summary.billing_interval,
                downgrade=downgrade,
                blocked=tuple(blocked),
                effective=sub.current_period_end if downgrade and not now_instead else None,
                now_instead=now_instead,
                trial_days=target.trial_period_days if first_paid else None,
                # Only the token line's text uses this: when the monthly tokens renew, which
                # is the period's end when billed monthly and this month's end when yearly.
                period_end=self._tokens_renew(session, now),
            )

    def _tokens_renew(self, session: Session, now: datetime) -> datetime:
        sub, _ = current_subscription(session, self.ctx.user_id, now)
        return month_window(sub, now)[1]

    def cancel(
        self, *, at_period_end: bool = True, expected: UsageSummary | None = None
    ) -> UsageSummary:
        """Cancel the paid plan: it runs to the end of the period, then falls back to free."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            sub, plan = subscription_as_seen(session, self.ctx.user_id, now, expected)
            if plan.slug == "free":
                raise ValidationError("You are on the Free plan: there is nothing to cancel.")
            if at_period_end:
                sub.cancel_at_period_end = True
            else:
                sub.plan_id = plan_by_slug(session, "free").id
                sub.cancel_at_period_end = False
                sub.canceled_at = now
            sub.updated_at = now
            session.add(sub)
        return self.summary()

    def resume(self, *, expected: UsageSummary | None = None) -> UsageSummary:
        """Undo a cancellation that has not taken effect yet."""
        with self.ctx.db.session() as session:
            sub, _ = subscription_as_seen(session, self.ctx.user_id, self.ctx.now(), expected)
            sub.cancel_at_period_end = False
            session.add(sub)
        return self.summary()

    # -- metering ---------------------------------------------------------------------------

    def record_usage(
        self,
        *,
        tokens_in: int,
        tokens_out: int,
        provider: str | None,
        model: str | None,
        cost_usd: Decimal | None,
        workspace_id: uuid.UUID | None = None,
        conversation_id: uuid.UUID | None = None,
        estimated: bool = False,
    ) -> None:
        """One metered call: tokens in and out, and what it cost (None: the model is unpriced)."""
        if tokens_in < 0 or tokens_out < 0:
            raise ValidationError("Token counts cannot be negative.", "tokens")
        now = self.ctx.now()
        record = UsageRecord(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            resource_type="ai_tokens",
            amount=Decimal(tokens_in + tokens_out),
            unit="tokens",
            provider=provider,
            model=model,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            cost_usd=cost_usd,
            meta={"estimated": True} if estimated else {},
            recorded_at=now,
            created_at=now,
        )
        with self.ctx.db.session() as session:
            session.add(record)

    def tokens_left(self, wanted: int = 0) -> int:
        """Tokens left this month; raises LimitReached when a send must stop."""
        with self.ctx.db.session() as session:
            return check_tokens(session, self.ctx.user_id, self.ctx.now(), wanted, self.ctx.hints)

    def check_provider(self, kind: str, name: str) -> None:
        """Before a send: LimitReached when the plan does not send to this kind of provider
        (seed 003: Free sends to OpenAI-compatible ones only)."""
        from promptterm.services.billing.provider_gate import check_provider

        with self.ctx.db.session() as session:
            check_provider(session, self.ctx.user_id, self.ctx.now(), kind, name, self.ctx.hints)

    def meter(self) -> TokenMeter:
        """Tokens used this month against the plan's limit or the tighter token budget."""
        budget = self.budget_settings()
        with self.ctx.db.session() as session:
            return budgets.token_meter(session, self.ctx.user_id, self.ctx.now(), budget)

    def spend(self) -> SpendReport:
        """This period's calls by provider and by model: tokens, calls, cost, unpriced calls."""
        with self.ctx.db.session() as session:
            sub, _ = current_subscription(session, self.ctx.user_id, self.ctx.now())
            return spend_in(
                session, self.ctx.user_id, sub.current_period_start, sub.current_period_end
            )

    def usage_by_day(self) -> tuple[DayUsage, ...]:
        """Tokens and cost per UTC day of this month of the period, zero days included."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            sub, _ = current_subscription(session, self.ctx.user_id, now)
            return days_in(session, self.ctx.user_id, *month_window(sub, now))

    # -- invoices and payments --------------------------------------------------------------

    def invoices(self, limit: int = 1000) -> list[InvoiceInfo]:
        with self.ctx.db.session() as session:
            return list(history.invoices_of(session, self.ctx.user_id, limit))

    def payments(self, limit: int = 1000) -> list[PaymentInfo]:
        """Payment attempts, newest first: amount, status, method and why one failed."""
        with self.ctx.db.session() as session:
            return list(history.payments_of(session, self.ctx.user_id, limit))

    def record_invoice(self, **fields: Any) -> InvoiceInfo:
        """An invoice from the payment processor (a sync or an import); the fields are
        history.add_invoice's."""
        return history.add_invoice(self.ctx, **fields)

    def record_payment(self, **fields: Any) -> PaymentInfo:
        """A payment attempt from the payment processor; a failed one says why."""
        return history.add_payment(self.ctx, **fields)
