"""Billing: plan and period, usage against every limit, budget, spend by provider and model,
usage day by day, where prices come from, invoices and payments.

One service call (``billing.overview()``) reads it all in a thread worker, when the screen
is shown and on refresh; plan, cancel and budget changes (actions.py) reload it and
publish the app's ``usage_signal`` so every status line's meter follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from promptterm.services.billing.format import no_invoices_text, usd
from promptterm.services.errors import ServiceError
from promptterm.ui.billing.actions import BillingActions
from promptterm.ui.billing.messages import BillingChanged, OverviewLoaded
from promptterm.ui.billing.widgets.bars import UsageBars
from promptterm.ui.billing.widgets.chart import DayChart
from promptterm.ui.billing.widgets.plan import plan_content
from promptterm.ui.billing.widgets.statements import StatementList
from promptterm.ui.billing.widgets.tables import InvoiceTable, PaymentTable, SpendTable
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine

if TYPE_CHECKING:
    from promptterm.services.billing.models import BudgetStatus


class BillingScreen(BillingActions):
    AREA = "billing"
    CSS_PATH = css_path("billing.tcss")
    AUTO_FOCUS = "#billing-body"
    SUB_TITLE = "Billing"
    # Two columns from 110 cells: plan and limits on the left, spend and the chart right.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "p", "change_plan", "Change plan", id="billing-plan", tooltip="Change plan (asks first)"
        ),
        Binding(
            "c",
            "cancel_plan",
            "Cancel plan",
            id="billing-cancel",
            tooltip="End the paid plan at the period's end (asks first)",
        ),
        Binding("u", "resume_plan", "Resume plan", id="billing-resume"),
        Binding(
            "b",
            "budget",
            "Budget",
            id="billing-budget",
            tooltip="Set your monthly spend and token caps",
        ),
        Binding(
            "i",
            "invoices",
            "Statements",
            id="billing-invoices",
            tooltip="Go to statements (enter opens one: lines, export, pay) and payments",
        ),
        Binding(
            "s",
            "spend",
            "Spend",
            show=False,
            id="billing-spend",
            tooltip="Go to spend by provider and model, and the day chart",
        ),
        Binding(
            "d",
            "toggle_chart",
            "Chart tokens/cost",
            show=False,
            id="billing-chart",
            tooltip="Show tokens or cost per day",
        ),
        Binding("r,f5,ctrl+r", "refresh", "Refresh", id="billing-refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="billing-body"):
            with Container(id="billing-top"):
                with Vertical(id="billing-left"):
                    yield Static("Loading…", id="billing-plan")
                    yield Static("Usage this period", classes="billing-section")
                    yield UsageBars(id="billing-usage")
                    yield Static("Budget", id="billing-budget-title", classes="billing-section")
                    yield UsageBars(id="billing-budget")
                    yield Static(id="billing-budget-note", classes="billing-note")
                with Vertical(id="billing-right"):
                    yield Static(
                        "Spend this period", id="billing-spend-title", classes="billing-section"
                    )
                    yield SpendTable(id="billing-spend")
                    yield DayChart(id="billing-chart")
                    yield Static(id="billing-prices", classes="billing-note")
            yield Static("Statements", id="billing-invoices-title", classes="billing-section")
            yield StatementList(id="billing-statements")
            yield Static(id="billing-invoices-note", classes="billing-note")
            yield Static(
                "Invoices from your payment processor",
                id="billing-synced-title",
                classes="billing-section",
            )
            yield InvoiceTable(id="billing-invoices")
            yield Static("Payments", classes="billing-section")
            yield PaymentTable(id="billing-payments")
        yield StatusLine()
        yield AreaFooter()

    def on_mount(self) -> None:
        # Others' sends (chat) land here too: reload if this screen is the one showing.
        # Immediate: the reload starts within the publisher's handler, not a message later.
        self.pt_app.usage_signal.subscribe(self, self._usage_changed, immediate=True)

    def on_screen_resume(self) -> None:
        # First shown, or back from another area (where a chat may have used tokens).
        self._load()

    def _usage_changed(self, _: object = None) -> None:
        if self.is_current:
            self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="billing-load")
    def _load(self) -> None:
        read = self.reads.start()
        services = self.services
        overview = services.billing.overview()
        statements = (services.statements.draft(), *services.statements.statements(50))
        try:
            prices, problem = services.pricing.sources(), None
        except ServiceError as exc:
            prices, problem = None, exc.message
        self.post_message(OverviewLoaded(overview, prices, problem, statements, read))

    @on(OverviewLoaded)
    def _show(self, message: OverviewLoaded) -> None:
        if not self.reads.is_newest(message.read):
            return  # read before a change whose own read is already shown
        overview = message.overview
        self.overview = overview
        summary = overview.summary
        now = self.now()
        self.query_one("#billing-plan", Static).update(plan_content(summary, now))
        self.query_one("#billing-usage", UsageBars).show(summary.lines)
        self._show_budget(overview.budget)
        spend = overview.spend
        title: list[Content | str | tuple[str, str]] = [
            ("Spend this period  ", ""),
            (usd(spend.cost_usd), "bold"),
        ]
        if spend.unpriced_calls:
            calls = "call" if spend.unpriced_calls == 1 else "calls"
            title.append((f" + {spend.unpriced_calls} unpriced {calls}", "$warning"))
        if spend.estimated_calls:
            title.append(("  ~ estimated", "$text-muted"))  # the "~" figures in the table
        self.query_one("#billing-spend-title", Static).update(Content.assemble(*title))
        self.query_one("#billing-spend", SpendTable).show(spend, message.prices)
        self.query_one("#billing-chart", DayChart).show(overview.days, now.date())
        prices = self.query_one("#billing-prices", Static)
        if message.prices is not None:
            prices.update(Content.assemble(("Prices ", "bold"), message.prices.describe()))
        else:
            prices.update(Content.styled(f"Prices: {message.prices_error}", "$error"))
        self.query_one("#billing-statements", StatementList).show(message.statements)
        written = len(message.statements) > 1
        notice = overview.summary.trial_notice
        note = "" if written else no_invoices_text(overview.summary)
        if notice:
            note = f"{notice} {note}".strip()
        self.query_one("#billing-invoices-note", Static).update(note)
        # Invoices a payment processor's sync recorded (promptterm's own are the statements).
        synced = [i for i in overview.invoices if i.external_id is not None]
        table = self.query_one("#billing-invoices", InvoiceTable)
        table.display = bool(synced)
        self.query_one("#billing-synced-title").display = bool(synced)
        table.show(synced, "")
        self.query_one("#billing-payments", PaymentTable).show(overview.payments)
        self.refresh_bindings()

    def _show_budget(self, budget: BudgetStatus) -> None:
        self.query_one("#billing-budget", UsageBars).show(budget.lines)
        month = f"{budget.window_start:%b %d} to {budget.window_end:%b %d}"
        title = self.query_one("#billing-budget-title", Static)
        note = self.query_one("#billing-budget-note", Static)
        if not budget.budget.is_set:
            title.update("Budget")
            note.update(
                "No budget set: only the plan's limits apply. Press b to cap your monthly "
                "spend or tokens below the plan's."
            )
            return
        title.update(Content.assemble("Budget ", (f"({month})", "$text-muted")))
        if budget.state == "full":
            note.update(
                Content.styled(
                    "Sends are refused until the month ends or you raise the cap (b). "
                    "A model that costs nothing still works under a spend cap.",
                    "$error",
                )
            )
        elif budget.note:
            note.update(Content.styled(budget.note, "$text-muted"))
        else:
            note.update(
                Content.styled("Chat warns at 80% and stops at 100%. b changes it.", "$text-muted")
            )

    @on(BillingChanged)
    def _changed(self, message: BillingChanged) -> None:
        if message.note:
            self.notify(message.note)
        # Every status line's meter reloads, and this screen with them (_usage_changed).
        self.pt_app.usage_signal.publish(None)

    def action_invoices(self) -> None:
        self._scroll_to("#billing-invoices-title")
        self.query_one("#billing-statements", StatementList).focus()

    @on(StatementList.OptionSelected, "#billing-statements")
    def _open_statement(self, event: StatementList.OptionSelected) -> None:
        from promptterm.ui.billing.dialogs.statement import StatementScreen

        chosen = self.query_one("#billing-statements", StatementList).statements[event.option_index]
        self.app.push_screen(StatementScreen(self.services, chosen), self._statement_closed)

    def _statement_closed(self, paid: bool | None) -> None:
        if paid:
            self.post_message(BillingChanged("Payment recorded: the statement is paid."))

    def action_spend(self) -> None:
        self._scroll_to("#billing-spend-title")

    def _scroll_to(self, selector: str) -> None:
        self.query_one("#billing-body", VerticalScroll).scroll_to_widget(
            self.query_one(selector), animate=False, top=True
        )

    def action_toggle_chart(self) -> None:
        self.query_one("#billing-chart", DayChart).toggle_metric()

    def action_refresh(self) -> None:
        self.pt_app.usage_signal.publish(None)  # this screen and every meter
