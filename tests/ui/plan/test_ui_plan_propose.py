"""Propose tasks on the board: P asks the project's model (the loopback server) for tasks,
the checklist shows ticked, unticking one and ctrl+j adds the other two to the board; an
answer that is no list is said to be one."""

from __future__ import annotations

import pytest
from textual.widgets import SelectionList

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.plan.propose import ProposalScreen
from promptterm.ui.plan.screen import PlanScreen
from support.llm_server import LLMServer, Script
from ui.chat.scenarios import chat_llm, live
from ui.fixtures import AppFactory
from ui.helpers import settle, told, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio
__all__ = ["chat_llm", "live"]  # fixtures


async def _open_board(app: PromptTermApp, pilot: object, services: Services, world: World) -> None:
    app.current_project = services.projects.get(world.website)
    await pilot.press("6")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
        "the board",
        between=settle,
    )


def _tasks(services: Services, world: World) -> list[str]:
    return [c.name for c in services.plan.board(world.website).cards]


def _checklist(app: object) -> bool:
    """The checklist is on screen: the dialog is in front and its list is mounted."""
    screen = app.screen  # type: ignore[attr-defined]
    return isinstance(screen, ProposalScreen) and bool(screen.query(SelectionList))


async def test_propose_keep_two_and_they_are_on_the_board(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, world: World
) -> None:
    chat_llm.push(Script(text="Sure:\n1. Set up CI\n2. Write the landing page\n3. Add analytics"))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, live, world)
        await pilot.press("P")
        await wait_until(pilot, lambda: _checklist(app), "the checklist")
        choices = app.screen.query_one(SelectionList)
        assert len(choices.selected) == 3
        await pilot.press("down", "space")  # untick the second
        await wait_until(pilot, lambda: len(choices.selected) == 2, "one unticked")
        await pilot.press("ctrl+j")
        await wait_until(
            pilot,
            lambda: _tasks(live, world) == ["Set up CI", "Add analytics"],
            "the kept tasks stored",
        )
        assert "Project: Website" in chat_llm.requests[-1].body["messages"][-1]["content"]


async def test_an_answer_that_is_no_list_is_said_to_be_one(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, world: World
) -> None:
    chat_llm.push(Script(text="Tell me more about the project first."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, live, world)
        await pilot.press("P")
        await wait_until(
            pilot,
            lambda: any("without a task list" in str(n.message) for n in told(app)),
            "the notice",
        )
        assert not isinstance(app.screen, ProposalScreen) and _tasks(live, world) == []
