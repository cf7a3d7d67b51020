"""The plan area's Prompts section: the project's prompts, rendered with its tasks, and c
sends the highlighted one to a new thread of the project as its draft, in the chat area."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.services.library.prompts import PromptInfo
from promptterm.ui.chat.screen import ChatScreen
from promptterm.ui.plan.prompts_section import PromptsSection
from promptterm.ui.plan.screen import PlanScreen
from support.waiting import CEILING
from ui.fixtures import AppFactory
from ui.helpers import footer_row, settle, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def test_a_product_prompt_goes_to_chat_filled_with_the_projects_tasks(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    ui_services.plan.add(world.website, "task", "Write the onboarding guide")
    prompt = ui_services.prompts.create("Standup")
    ui_services.prompts.add_module(prompt.id, "Body", ["{{project.name}} open:\n{{tasks.open}}"])
    ui_services.prompt_edits.set_project(prompt.id, world.website)
    ui_services.prompts.create("Not this project's")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
            "the board",
            between=settle,
        )
        await pilot.press("left_square_bracket")
        section = app.screen.query_one(PromptsSection)
        await wait_until(pilot, lambda: section.current is not None, "the prompts", between=settle)
        assert [p.name for p in section.prompts] == ["Standup"]
        expected = "Website open:\n- Write the onboarding guide"
        assert section.rendered[prompt.id] == expected
        await pilot.press("c")
        # The user lands in the chat area (first visit) on the new thread, its draft in the
        # box; waiting for that, not just the switch, also keeps the test from ending while
        # the chat screen is still being built (the app's shutdown then raced its first load).
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen), "the chat area")
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        threads = [t for t in ui_services.chat.list_threads() if t.title == "Standup"]
        assert len(threads) == 1 and threads[0].project_id == world.website
        assert ui_services.chat_drafts.get(threads[0].id) == expected
        await wait_until(
            pilot,
            lambda: chat.thread is not None and chat.thread.id == threads[0].id,
            "the new thread open",
            between=settle,
        )
        assert chat.composer.text == expected
        assert isinstance(app, PromptTermApp)


async def test_send_to_chat_shows_once_a_slow_prompt_list_arrives(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """c sends the highlighted prompt: with none listed yet it would do nothing, so the
    footer offers it only once the list (read in a thread) has one."""
    prompt = ui_services.prompts.create("Standup")
    ui_services.prompts.add_module(prompt.id, "Body", ["{{project.name}}"])
    ui_services.prompt_edits.set_project(prompt.id, world.website)
    listed, go_on = ui_services.prompts.list, threading.Event()

    def slow_list(*args: Any, **kwargs: Any) -> list[PromptInfo]:
        go_on.wait(CEILING)
        return listed(*args, **kwargs)

    monkeypatch.setattr(ui_services.prompts, "list", slow_list)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), between=settle)
        await pilot.press("left_square_bracket")
        section = app.screen.query_one(PromptsSection)
        await wait_until(pilot, lambda: app.screen.section == "Prompts", "the Prompts section")
        await wait_until(pilot, lambda: " Help" in footer_row(pilot), "the section's keys")
        assert " Send to chat" not in footer_row(pilot)  # nothing to send yet
        go_on.set()
        await wait_until(pilot, lambda: section.current is not None, "the prompt", between=settle)
        await wait_until(
            pilot, lambda: " Send to chat" in footer_row(pilot), "Send to chat", between=settle
        )
