"""Statements on the billing screen: the list (the open period's running draft first, then
the closed periods), and one statement's lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from promptterm.services.billing.format import cents, tokens_short
from promptterm.services.billing.statements import KIND_LABELS
from promptterm.services.validation import strip_controls
from promptterm.ui.billing.widgets.drawn import Column, Drawn, table_lines
from promptterm.ui.billing.widgets.tables import status_cell

if TYPE_CHECKING:
    from promptterm.services.billing.statements import Statement, StatementLine


def statement_name(statement: Statement) -> str:
    return "Running draft" if statement.id is None else f"Statement {str(statement.id)[:8]}"


def _row(statement: Statement) -> Content:
    period = f"{statement.period_start:%Y-%m-%d} to {statement.period_end:%Y-%m-%d}"
    name = "draft" if statement.id is None else str(statement.id)[:8]
    status, style = status_cell("running" if statement.is_draft else statement.status)
    return Content.assemble(
        (f"{name:<8}", "bold" if statement.is_draft else ""),
        "  ",
        period,
        "  ",
        (f"{status:<8}", style or "$text-muted"),
        f"{cents(statement.amount_due_cents, statement.currency):>10}",
    )


class StatementList(OptionList):
    """Enter opens the highlighted statement (its lines, export and pay)."""

    DEFAULT_CSS = """
    StatementList {
        height: auto;
        max-height: 12;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.statements: tuple[Statement, ...] = ()

    def show(self, statements: Sequence[Statement]) -> None:
        highlighted = self.highlighted
        self.statements = tuple(statements)
        self.set_options(Option(_row(s), id=str(s.id or "draft")) for s in self.statements)
        if self.statements:
            self.highlighted = min(highlighted or 0, len(self.statements) - 1)


def line_cells(line: StatementLine, currency: str) -> tuple[object, ...]:
    label = strip_controls(line.label)
    if line.kind == "usage":
        tokens = tokens_short(line.tokens or 0)
        calls = f"{line.calls} call{'s' if line.calls != 1 else ''}"
        # The amount column is the cost (rounded to a cent); an unpriced model says so.
        unpriced = ", unpriced" if line.cost_usd is None else ""
        label = f"{label}: {tokens} tokens, {calls}{unpriced}"
    return (KIND_LABELS.get(line.kind, line.kind), label, cents(line.amount_cents, currency))


class StatementLines(Drawn):
    COLUMNS = (Column("Kind", 10), Column("Line", None), Column("Amount", 0, "right"))

    def __init__(self, statement: Statement, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.statement = statement

    def draw(self, width: int) -> list[Content]:
        s = self.statement
        rows = [line_cells(line, s.currency) for line in s.lines]
        rows.append(("", ("Total", "bold"), (cents(s.amount_due_cents, s.currency), "bold")))
        return table_lines(self.COLUMNS, rows, width, "Nothing billed yet.")  # type: ignore[arg-type]
