"""Day-by-day usage as a bar chart in text: one column per UTC day of the month, eighth
blocks for height, today highlighted, days still to come left blank. Fits 80 columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from textual.content import Content

from promptterm.services.billing.format import tokens_short, usd
from promptterm.ui.billing.widgets.drawn import Drawn, fit

if TYPE_CHECKING:
    from promptterm.services.billing.spend import DayUsage

BLOCKS = " ▁▂▃▄▅▆▇█"
ROWS = 5
METRICS = ("tokens", "cost")


def short(value: float, metric: str) -> str:
    if metric == "cost":
        return usd(Decimal(str(value))) if value else "$0"
    return tokens_short(int(value))


# Blank cells between two day labels at least, so that numbers never run together.
LABEL_GAP = 3


class DayChart(Drawn):
    DEFAULT_CSS = """
    DayChart {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[DayUsage, ...] = ()
        self.today: date | None = None
        self.metric = "tokens"

    def show(self, days: Sequence[DayUsage], today: date) -> None:
        self.days, self.today = tuple(days), today
        self.redraw()

    def toggle_metric(self) -> str:
        self.metric = METRICS[(METRICS.index(self.metric) + 1) % len(METRICS)]
        self.redraw()
        return self.metric

    def value(self, day: DayUsage) -> float:
        return float(day.cost_usd) if self.metric == "cost" else float(day.tokens)

    def draw(self, width: int) -> list[Content]:
        if not self.days or self.today is None:
            return []
        today = self.today
        past = [d for d in self.days if d.day <= today]
        peak = max((self.value(d) for d in past), default=0.0)
        top = short(peak, self.metric)
        axis_w = max(len(top), 1) + 1
        room = width - axis_w
        days = list(self.days)
        step = 2 if room >= 2 * len(days) else 1
        if room < len(days):
            # Too narrow for the whole month: the latest days that fit, today included.
            end = next((i for i, d in enumerate(days) if d.day == today), len(days) - 1) + 1
            days = days[max(0, end - room) : end]
        lines = [self._caption(width, past, peak)]
        for row in range(ROWS - 1, -1, -1):
            label = top if row == ROWS - 1 else "0" if row == 0 else ""
            parts: list[Content] = [fit((label, "$text-muted"), axis_w - 1, "right"), Content(" ")]
            for d in days:
                parts.append(self._cell(d, row, peak, today).pad_right(step - 1))
            lines.append(fit(Content.assemble(*parts), width))
        lines.append(fit(Content.assemble(" " * axis_w, self._axis(days, today, step)), width))
        lines.append(fit(Content.assemble(" " * axis_w, self._labels(days, step)), width))
        return lines

    def _caption(self, width: int, past: list[DayUsage], peak: float) -> Content:
        """The title and the figures that fit: max, today, the month so far, the key."""
        title = "Tokens per day" if self.metric == "tokens" else "Cost per day"
        today = next((d for d in past if d.day == self.today), None)
        total = sum(self.value(d) for d in past)
        facts = [f"max {short(peak, self.metric)}"]
        if today is not None:
            facts.append(f"today {short(self.value(today), self.metric)}")
        facts.append(f"month {short(total, self.metric)}")
        other = "cost" if self.metric == "tokens" else "tokens"
        hint = Content.styled(f"  d: {other}", "$text-muted")
        head = Content.assemble((title, "bold"), (" (UTC)  ", "$text-muted"))
        for shown in range(len(facts), 0, -1):
            caption = head + " · ".join(facts[:shown])
            if caption.cell_length + hint.cell_length <= width:
                return caption + hint
            if caption.cell_length <= width:
                return caption
        return fit(head, width)

    def _cell(self, day: DayUsage, row: int, peak: float, today: date) -> Content:
        if day.day > today:
            return Content(" ")
        value = self.value(day)
        eighths = round(value / peak * ROWS * 8) if peak else 0
        if value > 0 and eighths == 0:
            eighths = 1  # a little use is still visible
        level = max(0, min(8, eighths - row * 8))
        style = "$accent" if day.day == today else "$primary"
        return Content.styled(BLOCKS[level], style)

    def _axis(self, days: list[DayUsage], today: date, step: int) -> Content:
        parts = []
        for d in days:
            if d.day > today:
                parts.append(Content.styled("┄" * step, "$panel-lighten-2"))
                continue
            mark = "┴" if d.day == today else "─"
            style = "$accent" if d.day == today else "$text-muted"
            parts.append(Content.assemble((mark, style), ("─" * (step - 1), "$text-muted")))
        return Content.assemble(*parts)

    def _labels(self, days: list[DayUsage], step: int) -> Content:
        """Day numbers under the first day and each Monday, where they do not collide. Labels
        keep LABEL_GAP cells apart ("Jan 1 4" read as "Jan 14"), and one whose month is not
        the last label's names it, so a bare number is always a day of the month before it."""
        text = [" "] * (len(days) * step)
        free_from = 0
        month = 0  # the month of the last label shown: a bare number is a day of it
        for i, d in enumerate(days):
            if i and d.day.weekday() != 0 and d.day.day != 1:
                continue
            same = d.day.month == month
            label = str(d.day.day) if same else f"{d.day:%b} {d.day.day}"
            at = i * step
            if at < free_from or at + len(label) > len(text):
                continue
            text[at : at + len(label)] = list(label)
            free_from = at + len(label) + LABEL_GAP
            month = d.day.month
        return Content.styled("".join(text), "$text-muted")
