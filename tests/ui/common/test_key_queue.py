"""Keys typed faster than the screens switch reach the screen that ends up in front
(ui/common/key_queue.py). Each test types its keys back to back, as a fast typist does,
without letting the app settle between them."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from promptterm.ui.chat.widgets.composer import Composer
from promptterm.ui.common.dialogs.form import FormScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import SMALL, World


@pytest.mark.anyio
@pytest.mark.parametrize(("keys", "typed"), [("2345", "45"), ("35", "5")])
async def test_area_keys_typed_back_to_back_all_arrive(
    make_app: AppFactory, world: World, keys: str, typed: str
) -> None:
    # As if typed slowly: 2 and 3 switch to the editor and chat; chat's composer then takes
    # the rest as text (a digit there is text; alt+digit switches while typing).
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await type_text(pilot, keys)
        await wait_until(pilot, lambda: app.current_mode == "chat", between=settle)
        composer = app.screen.query_one(Composer)
        await wait_until(pilot, lambda: composer.text == typed, f"{typed!r} in the composer")
        assert app.focused is composer


@pytest.mark.anyio
async def test_keys_after_a_library_view_switch_go_to_the_new_view(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await type_text(pilot, "4")
        await settle(pilot)
        # ] shows the presets, n opens a new preset there, and its name is typed at once.
        await type_text(pilot, "]nWeekly")
        await wait_until(pilot, lambda: app.screen.query("#field-name"), "the preset builder")
        name = app.screen.query_one("#field-name", Input)
        await wait_until(pilot, lambda: name.value == "Weekly", "the name typed in full")
        assert type(app.screen).__name__ == "PresetBuilder"


@pytest.mark.anyio
async def test_text_typed_while_a_dialog_opens_lands_in_it(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await type_text(pilot, "nAcme")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the new form")
        name = app.screen.query_one("#field-name", Input)
        await wait_until(pilot, lambda: name.value == "Acme", "the name typed in full")


@pytest.mark.anyio
async def test_tab_between_fields_typed_quickly_splits_the_text(make_app: AppFactory) -> None:
    # Textual itself gives "AcmeLanding page" here: the letters after tab reach the first
    # field before tab has moved the focus (the report has a bare-Textual reproduction).
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("c")  # the first-run welcome: create a workspace and its project
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await type_text(pilot, "Acme\tLanding page")
        workspace = app.screen.query_one("#field-workspace", Input)
        project = app.screen.query_one("#field-name", Input)
        await wait_until(pilot, lambda: project.value == "Landing page", "the project's name")
        assert workspace.value == "Acme"
        assert app.focused is project


@pytest.mark.anyio
async def test_a_key_waiting_in_the_apps_queue_is_pending(make_app: AppFactory) -> None:
    """A streaming answer's next draw lets a key that has arrived go first: it must see the
    key while it still waits in the App's queue, before Textual hands it on."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert not app.keys.pending
        app._message_queue.put_nowait(events.Key("x", "x"))
        assert app.keys.pending  # seen before the App has taken it
        await settle(pilot)
        assert not app.keys.pending
