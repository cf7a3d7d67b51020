"""Typing in a form that checks as the user types: a key that changes no error message leaves
the error lines alone. (Static.update asks for a layout of the whole screen even for the same
text: two fields made two layout requests a key, each re-measuring the modal and the screen
under it.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from promptterm.services.errors import ValidationError
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.dialogs.form import FormScreen
from ui.helpers import settle, wait_until

pytestmark = pytest.mark.anyio


def check(values: dict[str, str]) -> None:
    if "!" in values["name"]:
        raise ValidationError("No exclamation marks in a name.", field="name")


class FormApp(App[None]):
    def on_mount(self) -> None:
        fields = [Field("name", "Name"), Field("description", "Description")]
        self.push_screen(FormScreen("New thing", fields, submit=lambda values: None, check=check))


async def layout_requests(pilot: Pilot[None], keys: str) -> int:
    """How often the form's error lines ask for a layout while ``keys`` are typed."""
    requests = 0
    errors = list(pilot.app.screen.query(".field-error").results(Static))
    for error in errors:
        refresh = error.refresh

        def counted(
            *args: object, refresh: Callable[..., Widget] = refresh, **kwargs: object
        ) -> Widget:
            nonlocal requests
            requests += bool(kwargs.get("layout"))
            return refresh(*args, **kwargs)

        error.refresh = counted  # type: ignore[method-assign]
    try:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    finally:
        for error in errors:
            del error.refresh
    return requests


async def test_keys_that_change_no_error_leave_the_error_lines_alone() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await settle(pilot)
        await pilot.press("a")  # the first check hides the (empty) error lines for good
        await settle(pilot)
        assert await layout_requests(pilot, "bcdef") == 0

        error = app.screen.query_one("#error-name", Static)
        assert await layout_requests(pilot, "!") >= 1  # the error appears: room is made for it
        assert error.display
        assert str(error.render()) == "No exclamation marks in a name."
        assert await layout_requests(pilot, "gh") == 0  # the same error, still shown
        assert error.display
        assert str(error.render()) == "No exclamation marks in a name."
        await pilot.press("backspace", "backspace", "backspace")
        await settle(pilot)
        assert not error.display
