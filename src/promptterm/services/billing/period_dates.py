"""The calendar of a billing period, on plain attributes (``current_period_start``,
``current_period_end``, ``status``, ``trial_end``): a subscription row of either path.

Pure and light (no SQLAlchemy, no tables), so that the services (periods.py) and the CLI's
lean read of `promptterm usage` (lean_reads.py) count the same months and agree on when a
read would have to roll the period forward first."""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Protocol


class PeriodLike(Protocol):
    status: str
    current_period_start: datetime
    current_period_end: datetime
    trial_end: datetime | None


def add_months(moment: datetime, months: int) -> datetime:
    """Same day next month, clamped to the month's end (Jan 31 -> Feb 28)."""
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_months(interval: str) -> int:
    return 12 if interval == "yearly" else 1


def trial_over(sub: PeriodLike, now: datetime) -> bool:
    """A trial that has run out by ``now``: reading the subscription turns it active."""
    return sub.status == "trialing" and sub.trial_end is not None and sub.trial_end <= now


def needs_rolling(sub: PeriodLike, now: datetime) -> bool:
    """Whether reading the subscription at ``now`` writes it first (periods.roll_period):
    an ended period is closed into its statement, or a finished trial turns active."""
    return trial_over(sub, now) or sub.current_period_end <= now


def month_window(sub: PeriodLike, now: datetime) -> tuple[datetime, datetime]:
    """The month of the current period that ``now`` falls in: the whole period when billed
    monthly, one of its twelve months when billed yearly. The plan's tokens and the budgets
    are monthly, so they count in this window, never in a longer period.

    Measured by the period's length, not by ``billing_interval``: a switch from yearly to
    monthly billing keeps the year already paid for, and its tokens still count by month."""
    start, end = sub.current_period_start, sub.current_period_end
    month_start, months = start, 0
    while month_start < end:
        months += 1
        month_end = min(add_months(start, months), end)  # from the start: no day drift
        if month_start <= now < month_end:
            return month_start, month_end
        month_start = month_end
    return start, end


def is_one_month(start: datetime, end: datetime) -> bool:
    """Whether [start, end) is a single month, so that month_window is the whole period."""
    return end <= add_months(start, 1)
