"""A card's links to a file and a thread, by keyboard: L then tab to "file" or "thread" picks
one of the project's files or of the user's threads; in o, enter opens the file in the editor
or the thread in the chat. A file since deleted says so and offers to remove its link; a
thread deleted while the list was open says so and the list is read again."""

from __future__ import annotations

import uuid

import pytest
from textual.widgets import Input

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.plan.dialogs.card_links import CardLinksScreen
from promptterm.ui.plan.dialogs.link_picker import LinkPickerScreen
from promptterm.ui.plan.screen import PlanScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, told, type_text, wait_until
from ui.plan.world import seed_board
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def _open_board(app: PromptTermApp, pilot: object, services: Services, world: World) -> None:
    app.current_project = services.projects.get(world.website)
    await pilot.press("6")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
        "the board",
        between=settle,
    )


async def _pick(app: PromptTermApp, pilot: object, tabs: int, words: str) -> None:
    """L, tab ``tabs`` times (relates, blocks, duplicates, file, thread), type, enter."""
    await pilot.press("L")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: (
            isinstance(app.screen, LinkPickerScreen)
            and app.screen.focused is app.screen.query_one(Input)
            and app.screen.targets is not None
        ),
        "the picker with its files and threads",
        between=settle,
    )
    for _ in range(tabs):
        await pilot.press("tab")  # type: ignore[attr-defined]
    await type_text(pilot, words)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]


async def _links_open(app: PromptTermApp, pilot: object, count: int) -> None:
    await pilot.press("o")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, CardLinksScreen) and len(app.screen.links) == count,
        "the card's links",
        between=settle,
    )


def _stored(services: Services, card: uuid.UUID) -> list[tuple[str, str | None]]:
    return [(x.target_kind, x.title) for x in services.plan_links.links(card)]


async def test_link_a_file_and_open_it_in_the_editor(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_board(ui_services, world.website)
    guide = ui_services.plan.find(world.website, "Write the onboarding guide")
    main = ui_services.files.find(world.website, "app/main.py")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        await _pick(app, pilot, 3, "main")
        await wait_until(
            pilot,
            lambda: _stored(ui_services, guide.id) == [("file", "app/main.py")],
            "the file link stored",
            between=settle,
        )
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the board again")
        await _links_open(app, pilot, 1)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                type(app.screen).__name__ == "EditorScreen"
                and getattr(app.screen, "active_id", None) == main.id
            ),
            "the file open in the editor",
            between=settle,
        )


async def test_link_a_thread_and_open_it_in_the_chat(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_board(ui_services, world.website)
    guide = ui_services.plan.find(world.website, "Write the onboarding guide")
    thread = next(t for t in ui_services.chat.list_threads() if t.title == "API design review")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        await _pick(app, pilot, 4, "api design")
        await wait_until(
            pilot,
            lambda: _stored(ui_services, guide.id) == [("thread", "API design review")],
            "the thread link stored",
            between=settle,
        )
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the board again")
        await _links_open(app, pilot, 1)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                type(app.screen).__name__ == "ChatScreen"
                and getattr(app.screen, "thread", None) is not None
                and app.screen.thread.id == thread.id
            ),  # type: ignore[attr-defined]
            "the thread open in the chat",
            between=settle,
        )


async def test_gone_targets_are_said_and_a_deleted_file_link_can_be_removed(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    seed_board(ui_services, world.website)
    guide = ui_services.plan.find(world.website, "Write the onboarding guide")
    readme = ui_services.files.find(world.website, "README.md")
    doomed = ui_services.chat.create_thread(project_id=world.website, title="Doomed")
    ui_services.plan_links.link(guide.id, file_id=readme.id)
    ui_services.plan_links.link(guide.id, thread_id=doomed.id)
    ui_services.files.delete(readme.id)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_board(app, pilot, ui_services, world)
        await _links_open(app, pilot, 2)
        screen = app.screen
        assert isinstance(screen, CardLinksScreen)
        assert screen.links[0].gone
        first = screen.query_one("#plan-links-list").render_line(0).text
        assert "README.md" in first and "deleted" in first

        # The thread goes while the list is open: enter says so, the list is read again.
        ui_services.chat.delete_thread(doomed.id)
        await pilot.press("down", "enter")
        await wait_until(
            pilot,
            lambda: (
                any("its file or thread was deleted" in n.message for n in told(app))
                and len(screen.links) == 1
            ),
            "the thread said gone and the list read again",
            between=settle,
        )

        # The deleted file: enter says so and offers to remove the link; y removes it.
        await pilot.press("up", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the offer")
        message = str(app.screen.query_one("#confirm-message").render())
        assert "'README.md' was deleted" in message and "Remove the link?" in message
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.links == [], "the link removed", between=settle)
        assert ui_services.plan_links.links(guide.id) == []
        assert app.screen is screen  # still the links, nothing opened or crashed
