"""Each chat thread keeps its own composer draft (issue 13, item 1): switching threads puts
the text away with the thread it was typed in, a restart brings it back, and the library's
"send to chat" leaves its text in the thread it made, not in whichever thread is in front."""

from __future__ import annotations

import pytest

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.chat.scenarios import ChatWorld, open_chat, seed_chat, wait_for
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.library.scenarios import seed_library
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def seeded(ui_services: Services, clock: FixedClock) -> ChatWorld:
    return seed_chat(ui_services, clock)


async def open_second_thread(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("shift+tab", "shift+tab")  # composer -> messages -> thread list
    await pilot.press("down", "enter")
    await settle(pilot)


async def test_a_draft_stays_with_its_thread_and_survives_a_restart(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        assert screen.thread is not None and screen.thread.id == seeded.sorting
        await type_text(pilot, "half a question")
        await open_second_thread(pilot)
        assert screen.thread is not None and screen.thread.id == seeded.review
        assert screen.composer.text == ""  # B's own (empty) draft, not A's
        await type_text(pilot, "for review")
        # Back to A: its draft is there again.
        await pilot.press("shift+tab", "shift+tab", "up", "enter")
        await settle(pilot)
        assert screen.thread is not None and screen.thread.id == seeded.sorting
        assert screen.composer.text == "half a question"
        await type_text(pilot, "!")  # typed last, written on quitting
    assert ui_services.chat_drafts.all() == {
        seeded.sorting: "half a question!",
        seeded.review: "for review",
    }
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        assert screen.thread is not None and screen.thread.id == seeded.sorting
        assert screen.composer.text == "half a question!"
        await open_second_thread(pilot)
        assert screen.composer.text == "for review"


async def test_the_new_thread_has_its_own_draft_too(
    make_app: AppFactory, seeded: ChatWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "for sorting")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.thread is None and screen.composer.text == ""
        await type_text(pilot, "a new idea")
        await pilot.press("shift+tab", "shift+tab", "enter")  # the first thread again
        await settle(pilot)
        assert screen.composer.text == "for sorting"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.composer.text == "a new idea"


async def test_send_to_chat_fills_the_thread_it_made_only(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services, clock: FixedClock
) -> None:
    world = seed_library(ui_services, clock)
    (notes,) = [p for p in ui_services.prompts.summaries() if p.name == "Release notes"]
    ui_services.prompts.add_module(notes.id, "Body", ["List what changed since the last release."])
    assert world is not None
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("4", "M")
        library = app.screen
        # The prompts load in a worker: move only once they are in the tree.
        await wait_until(
            pilot,
            lambda: (
                getattr(library, "prompt_tree", None) is not None
                and library.prompt_tree.item is not None
            ),  # type: ignore[attr-defined]
            "the prompts listed",
            between=settle,
        )
        await pilot.press("down", "down")  # Release notes
        await wait_until(
            pilot,
            lambda: (
                library.current_prompt is not None  # type: ignore[attr-defined]
                and library.current_prompt.name == "Release notes"  # type: ignore[attr-defined]
                and library.rendered is not None
            ),  # type: ignore[attr-defined]
            "Release notes rendered",
            between=settle,
        )
        await pilot.press("c")
        # The thread is made in a worker; the switch to chat comes with its answer.
        await wait_until(pilot, lambda: app.current_mode == "chat", "the chat area", between=settle)
        screen = pilot.app.screen
        (made,) = [t for t in ui_services.chat.list_threads() if t.title == "Release notes"]
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.id == made.id)
        sent = screen.composer.text
        assert sent == "List what changed since the last release."
        # Another thread: the prompt does not follow.
        await pilot.press("shift+tab", "shift+tab")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.thread is not None and screen.thread.id != made.id
        assert screen.composer.text == ""
        await pilot.press("shift+tab", "shift+tab", "home", "enter")
        await settle(pilot)
        assert screen.thread is not None and screen.thread.id == made.id
        assert screen.composer.text == sent
