"""The app draws control characters in names and texts as visible symbols and never sends
them to the terminal (issue 12, item 6): an ESC in a component's name (one stored before
names refused them, or a file name found on disk) must not clear the screen or write the
clipboard of whoever lists it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from sqlmodel import select

from promptterm.app import PromptTermApp
from promptterm.db.models import Component
from promptterm.services.facade import Services
from ui.fixtures import AppFactory
from ui.helpers import settle
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"


def _frame(app: PromptTermApp) -> str:
    """What the app sends to the terminal for a full redraw of the screen."""
    update = app.screen._compositor.render_update(full=True)
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    return update.render_segments(console)


async def test_an_escape_in_a_stored_name_is_drawn_not_sent(
    make_app: AppFactory, ui_services: Services
) -> None:
    made = ui_services.components.create("role", "Harmless", f"Content {CLIPBOARD} here.")
    with ui_services.ctx.db.session() as session:  # a row from before names were checked
        row = session.exec(select(Component).where(Component.id == made.id)).one()
        row.name = f"Evil{CLEAR}{CLIPBOARD}"
        session.add(row)
        session.commit()
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        frame = _frame(app)
    assert "Evil␛[2J␛]52;c;" in frame
    assert CLEAR not in frame
    assert "\x1b]52" not in frame
