"""The day chart's axis labels never run together ("Jan 1 4" read as "Jan 14")."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from promptterm.services.billing.spend import DayUsage
from promptterm.ui.billing.widgets.chart import DayChart


def labels(first: date, count: int, step: int) -> str:
    days = [
        DayUsage(
            first + timedelta(days=n), tokens=0, cost_usd=Decimal(0), calls=0, unpriced_calls=0
        )
        for n in range(count)
    ]
    return DayChart()._labels(days, step).plain


def test_a_monday_three_days_after_the_first_of_a_month_is_not_glued_to_it() -> None:
    # Dec 29 2026 on: Jan 1 2027 is a Friday, Jan 4 a Monday, three days (six cells) later.
    text = labels(date(2026, 12, 29), 31, step=2)
    assert "Jan 1 4" not in text
    # Jan 1 has no room after Dec 29; the next label then says its month.
    assert re.findall(r"[A-Z][a-z]+ \d+|\d+", text)[:3] == ["Dec 29", "Jan 4", "11"]
    gaps = [len(gap) for gap in re.findall(r"(?<=\S) +(?=\S)", text.strip())]
    # One space inside "Jan 1"; between labels three at least.
    assert all(g == 1 or g >= 3 for g in gaps), text
