"""The billing screen's tables: spend by provider and model, invoices, payments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content

from promptterm.services.billing.format import (
    UNPRICED,
    about,
    cents,
    cost_with_unpriced,
    tokens_short,
)
from promptterm.ui.billing.widgets.drawn import Cell, Column, Drawn, flexible_room, table_lines

if TYPE_CHECKING:
    from promptterm.services.billing.models import InvoiceInfo, PaymentInfo
    from promptterm.services.billing.spend import ModelSpend, ProviderSpend, SpendReport
    from promptterm.services.chat.pricing import PriceSources

STATUS_STYLES = {
    "paid": "$success",
    "succeeded": "$success",
    "open": "$warning",
    "pending": "$warning",
    "draft": "$text-muted",
    "failed": "bold $error",
    "uncollectible": "bold $error",
    "past_due": "bold $error",
    "void": "$text-muted",
    "refunded": "$text-muted",
}


def status_cell(status: str) -> Cell:
    return (status, STATUS_STYLES.get(status, ""))


def cost_cell(cost: object, unpriced: int) -> Cell:
    text = cost_with_unpriced(cost, unpriced)  # type: ignore[arg-type]
    return (text, "$warning") if UNPRICED in text else text


class SpendTable(Drawn):
    """Each provider with its totals, its models indented below it. Tokens in and out get
    a column each where there is room, one "Tokens" column where there is not."""

    WIDE = (
        Column("Provider / model", None),
        Column("Calls", 0, "right"),
        Column("In", 0, "right"),
        Column("Out", 0, "right"),
        Column("Cost", 0, "right"),
    )
    NARROW = (
        Column("Provider / model", None),
        Column("Calls", 0, "right"),
        Column("Tokens", 0, "right"),
        Column("Cost", 0, "right"),
    )
    NAME_ROOM = 22  # below this for names, the narrow columns

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: SpendReport | None = None
        self.prices: PriceSources | None = None

    def show(self, report: SpendReport, prices: PriceSources | None) -> None:
        self.report, self.prices = report, prices
        self.redraw()

    def draw(self, width: int) -> list[Content]:
        if self.report is None:
            return []
        wide = self._rows(wide=True)
        if flexible_room(self.WIDE, wide, width) >= self.NAME_ROOM:
            return table_lines(self.WIDE, wide, width, "No calls this period yet.")
        return table_lines(self.NARROW, self._rows(wide=False), width, "No calls this period yet.")

    def _rows(self, *, wide: bool) -> list[Sequence[Cell]]:
        assert self.report is not None

        def row(name: Cell, s: ModelSpend | ProviderSpend) -> tuple[Cell, ...]:
            calls, cost = f"{s.calls:,}", cost_cell(s.cost_usd, s.unpriced_calls)
            guess = s.estimated_calls > 0  # "~": counted by us, not reported
            if wide:
                return (
                    name,
                    calls,
                    about(f"{s.tokens_in:,}", guess),
                    about(f"{s.tokens_out:,}", guess),
                    cost,
                )
            return (name, calls, about(tokens_short(s.tokens), guess), cost)

        rows: list[Sequence[Cell]] = []
        for provider in self.report.by_provider:
            rows.append(row((provider.provider, "bold"), provider))
            for m in self.report.by_model:
                if m.provider != provider.provider:
                    continue
                name: Cell = "  " + m.model
                if self.prices and self.prices.source_for(m.provider, m.model) == "override":
                    name = Content.assemble("  " + m.model, (" (your price)", "$text-muted"))
                rows.append(row(name, m))
        return rows


def _day(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d}"


class InvoiceTable(Drawn):
    COLUMNS = (
        Column("Date", 10),
        Column("Status", 0),
        Column("Due", 0, "right"),
        Column("Paid", 0, "right"),
        Column("Period", None),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.invoices: tuple[InvoiceInfo, ...] | None = None
        self.empty = ""

    def show(self, invoices: Sequence[InvoiceInfo], empty: str = "No invoices yet.") -> None:
        """``empty``: what no invoices means on the user's plan (billing_format)."""
        self.invoices = tuple(invoices)
        self.empty = empty
        self.redraw()

    def draw(self, width: int) -> list[Content]:
        if self.invoices is None:
            return []
        rows = [
            (
                _day(i.created_at),
                status_cell(i.status),
                cents(i.amount_due_cents, i.currency),
                cents(i.amount_paid_cents, i.currency),
                f"{_day(i.period_start)} to {_day(i.period_end)}" if i.period_start else "-",
            )
            for i in self.invoices
        ]
        return table_lines(self.COLUMNS, rows, width, self.empty)


class PaymentTable(Drawn):
    COLUMNS = (
        Column("Date", 10),
        Column("Status", 0),
        Column("Amount", 0, "right"),
        Column("Method", 0),
        Column("Note", None),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.payments: tuple[PaymentInfo, ...] | None = None

    def show(self, payments: Sequence[PaymentInfo]) -> None:
        self.payments = tuple(payments)
        self.redraw()

    def draw(self, width: int) -> list[Content]:
        if self.payments is None:
            return []
        rows = [
            (
                _day(p.created_at),
                status_cell(p.status),
                cents(p.amount_cents, p.currency),
                p.payment_method or "-",
                (p.error_message or "", "$error" if p.status == "failed" else "$text-muted"),
            )
            for p in self.payments
        ]
        return table_lines(self.COLUMNS, rows, width, "No payments yet.")
