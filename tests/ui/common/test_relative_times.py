"""Relative times move on as the clock does, with no reload: the app's own (injected) clock
is advanced and each place that said "just now" says "10 minutes ago" on its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App
from textual.widgets import OptionList, Static

from promptterm.services.facade import Services
from promptterm.ui.editor.dialogs.trash import TrashScreen
from promptterm.ui.library.dialogs.versions import VersionsScreen
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def rendered(app: App[None], selector: str) -> Callable[[], str]:
    return lambda: str(app.screen.query_one(selector, Static).render())


def options(app: App[None], selector: str) -> Callable[[], str]:
    return lambda: " | ".join(
        str(o.prompt) for o in app.screen.query_one(selector, OptionList).options
    )


async def moves_on(pilot, text: Callable[[], str], clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    assert "just now" in text() and "10 minutes ago" not in text()
    clock.advance(minutes=10)
    await wait_until(pilot, lambda: "10 minutes ago" in text(), "the time to move on")
    assert "just now" not in text()


async def test_explorer_and_chat_times_move_on(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    ui_services.workspaces.create("Fresh")
    thread = ui_services.chat.create_thread(title="Fresh thread")
    ui_services.chat.add_message(thread.id, "user", "hello there")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await moves_on(pilot, rendered(app, "#details-body"), clock)
        await pilot.press("3")
        await settle(pilot)
        clock.advance(minutes=-10)
        await wait_until(pilot, lambda: "just now" in options(app, "#chat-thread-options")())
        await moves_on(pilot, options(app, "#chat-thread-options"), clock)
        await pilot.press("ctrl+f")  # search: the hits say when each message was written
        await type_text(pilot, "hello")
        await settle(pilot)
        clock.advance(minutes=-10)
        await wait_until(pilot, lambda: "just now" in options(app, "#search-hits")())
        await moves_on(pilot, options(app, "#search-hits"), clock)


async def test_library_lists_panes_trash_and_versions_move_on(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    role = ui_services.components.create("role", "Fresh", "You are new.")
    ui_services.components.update(role.id, content="You are newer.")
    folder = ui_services.prompts.create_folder("Old drafts")
    ui_services.prompts.delete_folder(folder.id)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("4", "C")
        await settle(pilot)
        await moves_on(pilot, rendered(app, "#component-body"), clock)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VersionsScreen)
        clock.advance(minutes=-10)
        await wait_until(pilot, lambda: "just now" in options(app, "#versions-list")())
        await moves_on(pilot, options(app, "#versions-list"), clock)
        await pilot.press("escape", "T")
        await settle(pilot)
        clock.advance(minutes=-10)
        # Kept for 30 days: deleted just now is 30 more days, not "29 days left".
        await wait_until(
            pilot, lambda: "deleted just now · kept 30 more days" in options(app, "#trash-list")()
        )
        await wait_until(pilot, lambda: "just now" in options(app, "#trash-list")())
        await moves_on(pilot, options(app, "#trash-list"), clock)


async def test_the_editor_trash_moves_on(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    ws = ui_services.workspaces.create("Acme")
    project = ui_services.projects.create(ws.id, "Site")
    gone = ui_services.files.create(project.id, "old.py", "x = 1\n", "First")
    ui_services.files.delete(gone.id)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        items = ui_services.files.trash(project.id)
        app.push_screen(TrashScreen("Site", items, ui_services.ctx.now))
        await settle(pilot)
        assert "old.py  1 version · deleted just now" in options(app, "#trash-list")()
        await moves_on(pilot, options(app, "#trash-list"), clock)
