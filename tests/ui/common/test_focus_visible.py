"""Focus always shows: in every area, each widget the focus can reach looks different when
it has the focus, in its characters or text styles, not in colour alone (NO_COLOR, 256
colours), at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.chat.scenarios import seed_chat
from ui.common.focus_cells import unseen_focus
from ui.editor.scenarios import seed_editor, settle_editor, show_file
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.library.scenarios import seed_library
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def test_explorer(make_app: AppFactory, world: World) -> None:
    async with make_app().run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert await unseen_focus(pilot) == []


async def test_explorer_welcome(make_app: AppFactory) -> None:
    async with make_app().run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert await unseen_focus(pilot) == []


async def test_editor(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    world = seed_editor(ui_services, clock, tmp_path)
    async with make_app().run_test(size=SMALL) as pilot:
        await pilot.app.switch_mode("editor")
        await settle_editor(pilot)
        assert await unseen_focus(pilot) == []  # no project yet: two buttons
        await show_file(pilot, world.project, world.main)
        await pilot.press("ctrl+f")  # the find bar, with its inputs
        await settle_editor(pilot)
        assert await unseen_focus(pilot) == []


async def test_chat(make_app: AppFactory, ui_services: Services, clock: FixedClock) -> None:
    seed_chat(ui_services, clock)
    async with make_app().run_test(size=SMALL) as pilot:
        await pilot.app.switch_mode("chat")
        await settle(pilot)
        assert await unseen_focus(pilot) == []


@pytest.mark.parametrize("view", ["components", "presets", "prompts", "trash"])
async def test_library(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, view: str
) -> None:
    seed_library(ui_services, clock)
    async with make_app().run_test(size=SMALL) as pilot:
        await pilot.app.switch_mode("library")
        await settle(pilot)
        pilot.app.screen.show_view(view)  # type: ignore[attr-defined]
        await settle(pilot)
        if view == "prompts":  # Writing > Blog post: its modules and variables form
            await pilot.press("down")
            screen = pilot.app.screen
            await wait_until(
                pilot,
                lambda: screen.current_prompt is not None,  # type: ignore[attr-defined]
                "Blog post",
                between=settle,
            )
            await settle(pilot)
        assert await unseen_focus(pilot) == []


async def test_billing(make_app: AppFactory) -> None:
    async with make_app().run_test(size=SMALL) as pilot:
        await pilot.app.switch_mode("billing")
        await settle(pilot)
        assert await unseen_focus(pilot) == []
