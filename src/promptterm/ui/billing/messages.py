"""What the billing screen's workers post back (workers never touch widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from promptterm.services.billing.models import BillingOverview, PlanChange, PlanInfo
    from promptterm.services.billing.statements import Statement
    from promptterm.services.chat.pricing import PriceSources


@dataclass
class OverviewLoaded(Message):
    overview: BillingOverview
    prices: PriceSources | None
    prices_error: str | None  # a broken [prices] table in the config, in words
    statements: tuple[Statement, ...] = ()  # the running draft first, then the closed ones
    read: int = 0  # its number in BillingScreen.reads (an older read is not shown)


@dataclass
class PlansLoaded(Message):
    plans: list[PlanInfo]


@dataclass
class PlanPreviewed(Message):
    change: PlanChange


@dataclass
class BillingChanged(Message):
    note: str
