"""Pilot tests of the billing screen's statements (issue 18): the running draft and closed
periods in the list, a statement's lines, export by key, and paying by key."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widget import Widget

from promptterm.services.facade import Services
from promptterm.ui.billing.dialogs.statement import StatementScreen
from promptterm.ui.billing.screen import BillingScreen
from promptterm.ui.billing.widgets.statements import StatementList
from promptterm.ui.common.dialogs.form import FormScreen
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


async def until(pilot, check: Callable[[], bool], what: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, check, what, between=settle)


def text(widget: Widget) -> str:
    return str(widget.render())


def _closed_period(services: Services, clock: FixedClock) -> str:
    services.billing.record_usage(
        tokens_in=1_500, tokens_out=500, provider="openai", model="gpt-4o", cost_usd=Decimal("2.5")
    )
    clock.advance(days=31)
    (statement,) = services.statements.statements()
    return str(statement.id)


async def test_a_statement_opens_with_its_lines_exports_and_is_paid_by_key(
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("promptterm.locations.export_dir", lambda: tmp_path)
    ref = _closed_period(ui_services, clock)
    ui_services.workspaces.create("Team")  # its owner records a payment made outside
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "billing")
        listing = app.screen.query_one("#billing-statements", StatementList)
        await until(pilot, lambda: len(listing.statements) == 2, "the statements")
        assert listing.statements[0].is_draft and str(listing.statements[1].id) == ref

        await pilot.press("i")  # to the statements, focused
        await until(pilot, lambda: listing.has_focus, "the list focused")
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, StatementScreen), "the statement")
        lines = text(app.screen.query_one("#statement-lines"))
        assert "openai · gpt-4o: 2k tokens, 1 call" in lines and "$2.50" in lines
        assert "$2.50" in text(app.screen.query_one("#statement-head"))

        await pilot.press("m")
        written = tmp_path / f"promptterm-statement-2026-01-15-{ref[:8]}.md"
        await until(pilot, written.exists, "the Markdown file")
        assert written.read_text().startswith(f"# Statement {ref[:8]}")
        await until(pilot, lambda: "Wrote" in text(app.screen.query_one("#statement-note")), "note")

        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the pay form")
        await pilot.press("tab")
        await type_text(pilot, "wire 7")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "back on billing")
        await until(pilot, lambda: listing.statements[1].status == "paid", "paid")
    assert ui_services.statements.get(ref).amount_paid_cents == 250


async def test_the_draft_cannot_be_paid_and_says_the_period_is_open(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "billing")
        listing = app.screen.query_one("#billing-statements", StatementList)
        await until(pilot, lambda: len(listing.statements) == 1, "the draft")
        await pilot.press("i", "enter")
        await until(pilot, lambda: isinstance(app.screen, StatementScreen), "the draft")
        assert "The period is open" in text(app.screen.query_one("#statement-head"))
        assert app.screen.check_action("pay", ()) is False
