"""A statement as a Markdown document or a CSV sheet, for the books or an expense report.

Provider and model names come from outside (a provider's model list): control characters
are dropped, and in Markdown a pipe is escaped so that it cannot split a table cell.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from promptterm.services.billing.format import cents, usd
from promptterm.services.billing.statements import KIND_LABELS, Statement, StatementLine
from promptterm.services.validation import strip_controls

CSV_HEADER = (
    "statement",
    "status",
    "period_start",
    "period_end",
    "kind",
    "description",
    "provider",
    "model",
    "tokens",
    "calls",
    "cost_usd",
    "amount_cents",
    "currency",
)


def title(statement: Statement) -> str:
    period = f"{statement.period_start:%Y-%m-%d} to {statement.period_end:%Y-%m-%d}"
    if statement.is_draft:
        return f"Running draft, {period} (the period is still open)"
    return f"Statement {str(statement.id)[:8]}, {period}"


def line_text(line: StatementLine) -> str:
    text = strip_controls(line.label)
    if line.kind == "usage":
        calls = f"{line.calls:,} call{'s' if line.calls != 1 else ''}" if line.calls else ""
        tokens = f"{line.tokens:,} tokens" if line.tokens is not None else ""
        cost = "unpriced" if line.cost_usd is None else f"at cost {usd(line.cost_usd)}"
        text = f"{text}: {', '.join(p for p in (tokens, calls, cost) if p)}"
    return text


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(statement: Statement) -> str:
    money = statement.currency
    out = [f"# {title(statement)}", ""]
    out.append(f"- Status: {statement.status}")
    out.append(f"- Amount due: {cents(statement.amount_due_cents, money)}")
    if statement.amount_paid_cents is not None:
        out.append(f"- Amount paid: {cents(statement.amount_paid_cents, money)}")
    if statement.paid_at is not None:
        out.append(f"- Paid on: {statement.paid_at:%Y-%m-%d}")
    out += ["", "| Kind | Line | Amount |", "|---|---|---:|"]
    for line in statement.lines:
        out.append(
            f"| {KIND_LABELS.get(line.kind, line.kind)} | {_md_cell(line_text(line))} "
            f"| {cents(line.amount_cents, money)} |"
        )
    if not statement.lines:
        out.append("| | Nothing billed yet | |")
    out.append(f"| | **Total** | **{cents(statement.amount_due_cents, money)}** |")
    return "\n".join(out) + "\n"


def to_csv(statement: Statement) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    ref = "draft" if statement.id is None else str(statement.id)
    for line in statement.lines:
        writer.writerow(
            (
                ref,
                statement.status,
                statement.period_start.isoformat(),
                statement.period_end.isoformat(),
                line.kind,
                strip_controls(line.description),
                strip_controls(line.provider or ""),
                strip_controls(line.model or ""),
                "" if line.tokens is None else line.tokens,
                "" if line.calls is None else line.calls,
                "" if line.cost_usd is None else _plain(line.cost_usd),
                line.amount_cents,
                statement.currency,
            )
        )
    return buffer.getvalue()


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")
