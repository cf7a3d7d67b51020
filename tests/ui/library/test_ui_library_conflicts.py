"""Pilot test: the component form refuses to save over an edit made elsewhere meanwhile,
shows why, and keeps the user's text."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from promptterm.services.facade import Services
from promptterm.ui.library.dialogs.component_form import ComponentForm
from promptterm.ui.library.screen import LibraryScreen
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.library.scenarios import Library, seed_library
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def library(ui_services: Services, clock: FixedClock) -> Library:
    return seed_library(ui_services, clock)


async def test_saving_over_an_edit_made_elsewhere_is_refused_in_the_form(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("slash")
        await type_text(pilot, "ship")
        await pilot.press("enter", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ComponentForm)
        # Meanwhile, another window (or process) saves its own edit.
        ui_services.components.update(library.ship, content="Ship it on Friday.")
        await pilot.press("tab", "tab", "tab")
        await pilot.press("ctrl+a")
        await type_text(pilot, "Ship it now.")
        await pilot.press("ctrl+j")
        await settle(pilot)

        assert app.screen is form  # not closed: the user's text is still there
        shown = str(form.query_one("#form-error", Static).render())
        assert "changed elsewhere since you opened it" in shown
    assert ui_services.components.get(library.ship).content == "Ship it on Friday."
