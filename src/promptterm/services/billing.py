"""Plans, the user's subscription, metered usage against every limit, and invoices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import col, select

from promptterm.db.models import Invoice, SubscriptionPlan, UsageRecord
from promptterm.services.billing_periods import add_months, current_subscription, plan_by_slug
from promptterm.services.context import ServiceContext
from promptterm.services.errors import ValidationError
from promptterm.services.limits import COUNTERS, LIMIT_LABELS, check_tokens, tokens_used


@dataclass(frozen=True)
class PlanInfo:
    slug: str
    name: str
    description: str | None
    price_monthly_cents: int
    price_yearly_cents: int
    limits: dict[str, object]


@dataclass(frozen=True)
class UsageLine:
    key: str
    label: str
    used: int
    limit: int | None  # None: unlimited

    @property
    def fraction(self) -> float | None:
        if self.limit is None:
            return None
        return self.used / self.limit if self.limit else 1.0

    @property
    def state(self) -> str:
        """ok, warning (80% and over) or full (at or over the limit)."""
        fraction = self.fraction
        if fraction is None or fraction < 0.8:
            return "ok"
        return "full" if fraction >= 1 else "warning"


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

    def line(self, key: str) -> UsageLine:
        return next(line for line in self.lines if line.key == key)


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


def plan_info(plan: SubscriptionPlan) -> PlanInfo:
    return PlanInfo(
        slug=plan.slug,
        name=plan.name,
        description=plan.description,
        price_monthly_cents=plan.price_monthly,
        price_yearly_cents=plan.price_yearly,
        limits=dict(plan.limits),
    )


class BillingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def plans(self) -> list[PlanInfo]:
        stmt = (
            select(SubscriptionPlan)
            .where(col(SubscriptionPlan.is_active).is_(True))
            .order_by(col(SubscriptionPlan.sort_order))
        )
        with self.ctx.db.session() as session:
            return [plan_info(p) for p in session.exec(stmt).all()]

    def summary(self) -> UsageSummary:
        """Plan, period and usage this period against every limit of the plan."""
        now, uid = self.ctx.now(), self.ctx.user_id
        with self.ctx.db.session() as session:
            sub, plan = current_subscription(session, uid, now)
            start, end = sub.current_period_start, sub.current_period_end
            lines = [
                UsageLine(
                    "tokens_per_month",
                    LIMIT_LABELS["tokens_per_month"],
                    tokens_used(session, uid, start, end),
                    plan.limits.get("tokens_per_month"),
                )
            ]
            for key, counter in COUNTERS.items():
                lines.append(
                    UsageLine(key, LIMIT_LABELS[key], counter(session, uid), plan.limits.get(key))
                )
            cost, unpriced = session.exec(
                select(
                    func.coalesce(func.sum(UsageRecord.cost_usd), 0),
                    func.count().filter(col(UsageRecord.cost_usd).is_(None)),
                ).where(
                    UsageRecord.user_id == uid,
                    col(UsageRecord.recorded_at) >= start,
                    col(UsageRecord.recorded_at) < end,
                )
            ).one()
            return UsageSummary(
                plan=plan_info(plan),
                status=sub.status,
                billing_interval=sub.billing_interval,
                period_start=start,
                period_end=end,
                cancel_at_period_end=sub.cancel_at_period_end,
                trial_end=sub.trial_end,
                lines=tuple(lines),
                cost_usd=Decimal(cost),
                unpriced_calls=int(unpriced),
            )

    def set_plan(self, slug: str, interval: str = "monthly") -> UsageSummary:
        """Change plan now; a downgrade keeps every row and only blocks new items over limit."""
        if interval not in ("monthly", "yearly"):
            raise ValidationError("The billing interval is monthly or yearly.", "interval")
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            sub, current = current_subscription(session, self.ctx.user_id, now)
            plan = plan_by_slug(session, slug)
            if plan.id != current.id or interval != sub.billing_interval:
                sub.plan_id = plan.id
                sub.billing_interval = interval
                sub.cancel_at_period_end = False
                if interval == "yearly" and sub.current_period_end < add_months(
                    sub.current_period_start, 12
                ):
                    sub.current_period_end = add_months(sub.current_period_start, 12)
                sub.updated_at = now
                session.add(sub)
        return self.summary()

    def cancel(self, *, at_period_end: bool = True) -> UsageSummary:
        """Cancel the paid plan: it runs to the end of the period, then falls back to free."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            sub, plan = current_subscription(session, self.ctx.user_id, now)
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

    def resume(self) -> UsageSummary:
        """Undo a cancellation that has not taken effect yet."""
        with self.ctx.db.session() as session:
            sub, _ = current_subscription(session, self.ctx.user_id, self.ctx.now())
            sub.cancel_at_period_end = False
            session.add(sub)
        return self.summary()

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
        """Tokens left this period; raises LimitReached when a send must stop."""
        with self.ctx.db.session() as session:
            return check_tokens(session, self.ctx.user_id, self.ctx.now(), wanted)

    def invoices(self) -> list[InvoiceInfo]:
        stmt = (
            select(Invoice)
            .where(Invoice.user_id == self.ctx.user_id)
            .order_by(col(Invoice.created_at).desc())
        )
        with self.ctx.db.session() as session:
            return [
                InvoiceInfo(
                    id=i.id,
                    status=i.status,
                    amount_due_cents=i.amount_due,
                    amount_paid_cents=i.amount_paid,
                    currency=i.currency,
                    period_start=i.period_start,
                    period_end=i.period_end,
                    paid_at=i.paid_at,
                    created_at=i.created_at,
                )
                for i in session.exec(stmt).all()
            ]
