"""What the billing services return: plain frozen data, no database rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from promptterm.config import Budget
    from promptterm.services.billing.spend import DayUsage, SpendReport

WARNING_AT = 0.8  # the share of a limit or cap from which it is shown as near


@dataclass(frozen=True)
class PlanInfo:
    slug: str
    name: str
    description: str | None
    price_monthly_cents: int
    price_yearly_cents: int
    limits: dict[str, object]


class _Filled:
    """How full a ``used`` against a ``limit`` (None: unlimited) is: a usage bar, the meter."""

    used: int
    limit: int | None

    @property
    def fraction(self) -> float | None:
        if self.limit is None:
            return None
        return self.used / self.limit if self.limit else 1.0

    @property
    def state(self) -> str:
        """ok, warning (80% and over) or full (at or over the limit)."""
        fraction = self.fraction
        if fraction is None or fraction < WARNING_AT:
            return "ok"
        return "full" if fraction >= 1 else "warning"


@dataclass(frozen=True)
class UsageLine(_Filled):
    key: str
    label: str
    used: int
    limit: int | None  # None: unlimited
    # What used and limit count: "count" (items), "tokens", "bytes" or "cents" (USD cents).
    unit: str = "count"
    # Storage only: the files' own size now; ``used`` is what their history takes as stored.
    files_bytes: int | None = None


@dataclass(frozen=True)
class UsageSummary:
    plan: PlanInfo
    status: str
    billing_interval: str
    period_start: datetime
    period_end: datetime
    cancel_at_period_end: bool
    trial_end: datetime | None
    lines: tuple[UsageLine, ...]
    cost_usd: Decimal
    unpriced_calls: int
    pending_plan: str | None = None  # the plan a downgrade switches to at the period's end
    trial_start: datetime | None = None

    def line(self, key: str) -> UsageLine:
        return next(line for line in self.lines if line.key == key)

    @property
    def trial_notice(self) -> str | None:
        """Said through the period in which a trial ended: that it ended, and what follows."""
        end = self.trial_end
        if end is None or self.status == "trialing" or not self.period_start <= end:
            return None
        price = (
            self.plan.price_yearly_cents
            if self.billing_interval == "yearly"
            else self.plan.price_monthly_cents
        )
        if price == 0:
            return None
        per = "year" if self.billing_interval == "yearly" else "month"
        return (
            f"Your {self.plan.name} trial ended on {end:%Y-%m-%d}: {self.plan.name} is now "
            f"billed at ${price / 100:,.2f} a {per}."
        )


@dataclass(frozen=True)
class PlanChange:
    """What switching to ``target`` would mean, before the user confirms it."""

    current: PlanInfo
    target: PlanInfo
    interval: str
    downgrade: bool
    # Current usage measured against the target plan's limits, where it is at or over them:
    # those rows are all kept, only new ones are refused.
    blocked: tuple[UsageLine, ...]
    period_end: datetime
    # When it takes effect: None at once; a downgrade waits for the billing period's end.
    effective: datetime | None = None
    # The downgrade already waits for the period's end: confirming again switches now.
    now_instead: bool = False
    trial_days: int | None = None  # a trial this upgrade starts


@dataclass(frozen=True)
class BudgetStatus:
    """The user's monthly caps (``[budget]`` in the config) and this month's use of them."""

    budget: Budget
    window_start: datetime  # the month the caps count in (the period, when billed monthly)
    window_end: datetime
    tokens_used: int
    spent_usd: Decimal  # priced calls only
    unpriced_calls: int
    plan_slug: str
    plan_name: str
    plan_tokens: int | None
    lines: tuple[UsageLine, ...]  # "monthly_tokens", "monthly_spend_usd": the caps that are set

    @property
    def state(self) -> str:
        states = {line.state for line in self.lines}
        return "full" if "full" in states else "warning" if "warning" in states else "ok"

    @property
    def note(self) -> str | None:
        """Why a cap does nothing, when it does nothing."""
        cap, plan = self.budget.monthly_tokens, self.plan_tokens
        if cap is not None and plan is not None and cap >= plan:
            return (
                f"The token budget ({cap:,}) is not below the {self.plan_name} plan's "
                f"{plan:,} a month: the plan's limit comes first."
            )
        return None


@dataclass(frozen=True)
class TokenMeter(_Filled):
    """Tokens used this period against the tightest limit: the plan's, or the budget's."""

    used: int
    limit: int | None
    source: str  # "plan" or "budget"
    plan_name: str


@dataclass(frozen=True)
class InvoiceInfo:
    id: uuid.UUID
    status: str
    amount_due_cents: int
    amount_paid_cents: int | None
    currency: str
    period_start: datetime | None
    period_end: datetime | None
    paid_at: datetime | None
    created_at: datetime
    external_id: str | None = None
    pdf_url: str | None = None


@dataclass(frozen=True)
class PaymentInfo:
    id: uuid.UUID
    status: str
    amount_cents: int
    currency: str
    payment_method: str | None
    error_message: str | None
    external_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class BillingOverview:
    """Everything the billing screen shows, read in one session."""

    summary: UsageSummary
    budget: BudgetStatus
    spend: SpendReport
    days: tuple[DayUsage, ...]
    invoices: tuple[InvoiceInfo, ...]
    payments: tuple[PaymentInfo, ...]
