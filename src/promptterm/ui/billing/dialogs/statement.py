"""One statement: its lines, Markdown or CSV export to the documents folder, and pay (a
saved Stripe card, or a payment made outside that a workspace owner or admin records)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from promptterm.services.billing.format import cents
from promptterm.services.errors import ServiceError
from promptterm.ui.billing.widgets.statements import StatementLines, statement_name
from promptterm.ui.billing.widgets.tables import status_cell
from promptterm.ui.common.errors import describe
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.billing.statements import Statement
    from promptterm.services.facade import Services

EXTENSIONS = {"md": ".md", "csv": ".csv"}


def export_path(statement: Statement, fmt: str, folder: Path | None = None) -> Path:
    if folder is None:
        from promptterm.locations import export_dir

        folder = export_dir()
    name = "draft" if statement.id is None else str(statement.id)[:8]
    stem = f"promptterm-statement-{statement.period_start:%Y-%m-%d}-{name}"
    return folder / f"{re.sub(r'[^A-Za-z0-9._-]', '-', stem)}{EXTENSIONS[fmt]}"


class StatementScreen(ModalScreen[bool]):
    """Dismissed with True when a payment changed the statement (the screen reloads)."""

    CSS_PATH = css_path("modals.tcss", "billing.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="statement-close"),
        Binding("m", "export('md')", "Export Markdown", id="statement-export-md"),
        Binding("v", "export('csv')", "Export CSV", id="statement-export-csv"),
        Binding("y", "pay", "Pay", id="statement-pay"),
    ]

    def __init__(self, services: Services, statement: Statement, *, folder: Path | None = None):
        super().__init__(classes="dialog")
        self.services = services
        self.statement = statement
        self.folder = folder
        self.paid = False

    def compose(self) -> ComposeResult:
        s = self.statement
        with Vertical(id="dialog", classes="-wide"):
            yield Static(self._head(), id="statement-head")
            yield StatementLines(s, id="statement-lines")
            yield Static("", id="statement-note", classes="billing-note")
        yield Footer()

    def _head(self) -> Content:
        s = self.statement
        status, style = status_cell("running" if s.is_draft else s.status)
        parts: list[Content | str | tuple[str, str]] = [
            f"{s.period_start:%Y-%m-%d} to {s.period_end:%Y-%m-%d} · ",
            (f"{status}", style or "$text-muted"),
            f" · due {cents(s.amount_due_cents, s.currency)}",
        ]
        if s.amount_paid_cents is not None:
            parts.append(f" · paid {cents(s.amount_paid_cents, s.currency)}")
        if s.is_draft:
            parts.append(
                (
                    "\nThe period is open: this is what it would bill if it closed now.",
                    "$text-muted",
                )
            )
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = Content(statement_name(self.statement))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pay":
            return self.statement.payable
        return True

    def action_close(self) -> None:
        self.dismiss(self.paid)

    def _note(self, text: str, style: str = "") -> None:
        self.query_one("#statement-note", Static).update(Content.styled(text, style))

    @work(thread=True, exclusive=True, exit_on_error=False, group="statement-export")
    def action_export(self, fmt: str) -> None:
        try:
            text = self.services.statements.export(self.statement, fmt)
            path = export_path(self.statement, fmt, self.folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except (OSError, ServiceError) as exc:  # a full disk, a bad folder: said, not raised
            self.app.call_from_thread(self._note, describe(exc)[1], "$error")
            return
        self.app.call_from_thread(self._note, f"Wrote {path}")

    def action_pay(self) -> None:
        from promptterm.ui.common.dialogs.fields import Field
        from promptterm.ui.common.dialogs.form import FormScreen

        s = self.statement
        fields = [
            Field("card", "Stripe card", placeholder="pm_... (a saved card)"),
            Field("outside", "Or paid outside", placeholder="a transfer's reference (admins)"),
        ]
        intro = (
            f"Pay {cents(s.balance_cents, s.currency)}: charge a saved Stripe card, or (a "
            "workspace owner or admin) record a payment made outside promptterm."
        )
        self.app.push_screen(
            FormScreen("Pay statement", fields, self._pay, submit_label="Pay", intro=intro),
            self._paid,
        )

    def _pay(self, values: dict[str, str]) -> object:
        from promptterm.services.billing import AdminRecorded
        from promptterm.services.errors import ValidationError

        card, outside = values["card"].strip(), values["outside"].strip()
        if card and outside:
            raise ValidationError("Fill in one: a Stripe card, or a payment made outside.", "card")
        if outside:
            return self.services.statements.pay(self.statement, AdminRecorded(outside))
        if not card:
            raise ValidationError("Give the saved Stripe card to charge (pm_...).", "card")
        return self.services.statements.pay(self.statement, self.services.statements.stripe(card))

    def _paid(self, payment: object) -> None:
        if payment is None:
            return
        self.paid = True
        self.dismiss(True)
