"""Billing: plans and subscriptions, usage against the plan's limits, budget, spend, invoices.

The face other domains import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.billing.lean_reads import lean_status as lean_status
    from promptterm.services.billing.limits import check_project_storage as check_project_storage
    from promptterm.services.billing.limits import check_room_for as check_room_for
    from promptterm.services.billing.models import BillingOverview as BillingOverview
    from promptterm.services.billing.models import BudgetStatus as BudgetStatus
    from promptterm.services.billing.models import InvoiceInfo as InvoiceInfo
    from promptterm.services.billing.models import PaymentInfo as PaymentInfo
    from promptterm.services.billing.models import PlanChange as PlanChange
    from promptterm.services.billing.models import PlanInfo as PlanInfo
    from promptterm.services.billing.models import TokenMeter as TokenMeter
    from promptterm.services.billing.models import UsageLine as UsageLine
    from promptterm.services.billing.models import UsageSummary as UsageSummary
    from promptterm.services.billing.payments import AdminRecorded as AdminRecorded
    from promptterm.services.billing.payments import PaymentProcessor as PaymentProcessor
    from promptterm.services.billing.periods import ensure_subscription as ensure_subscription
    from promptterm.services.billing.service import BillingService as BillingService
    from promptterm.services.billing.spend import DayUsage as DayUsage
    from promptterm.services.billing.spend import ModelSpend as ModelSpend
    from promptterm.services.billing.spend import ProviderSpend as ProviderSpend
    from promptterm.services.billing.spend import SpendReport as SpendReport
    from promptterm.services.billing.statement_service import (
        StatementService as StatementService,
    )
    from promptterm.services.billing.statements import Statement as Statement
    from promptterm.services.billing.statements import StatementLine as StatementLine
    from promptterm.services.billing.statements import (
        add_purchase_charge as add_purchase_charge,
    )
    from promptterm.services.billing.stripe import StripeProcessor as StripeProcessor

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "service": ("BillingService",),
        "statement_service": ("StatementService",),
        "payments": ("AdminRecorded", "PaymentProcessor"),
        "stripe": ("StripeProcessor",),
        # The catalog bills a purchase on the buyer's statement at checkout.
        "statements": ("Statement", "StatementLine", "add_purchase_charge"),
        "models": (
            "PlanInfo",
            "UsageLine",
            "UsageSummary",
            "PlanChange",
            "BudgetStatus",
            "TokenMeter",
            "InvoiceInfo",
            "PaymentInfo",
            "BillingOverview",
        ),
        "spend": ("SpendReport", "ModelSpend", "ProviderSpend", "DayUsage"),
        # What other domains check before they create something the plan counts.
        "limits": ("check_room_for", "check_project_storage"),
        "periods": ("ensure_subscription",),
        # `promptterm usage` without SQLAlchemy (db/lean.py).
        "lean_reads": ("lean_status",),
    },
)
