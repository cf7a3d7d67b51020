"""Pilot tests of a thread's messages by keyboard: copy, delete a message; paging a long
thread and search that jumps to the message; an edit's branch and a cancelled edit; an answer
left streaming by a killed app."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.search import SearchScreen
from promptterm.ui.chat.widgets.screenful import GROW
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from support.clock import FixedClock
from ui.chat.scenarios import (
    ChatWorld,
    note,
    open_chat,
    seed_chat,
    seed_long_thread,
    shown,
    views,
    wait_for,
)
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def seeded(ui_services: Services, clock: FixedClock) -> ChatWorld:
    return seed_chat(ui_services, clock)


async def test_copy_a_message_and_its_code_block(make_app: AppFactory, seeded: ChatWorld) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("escape")  # to the messages; the answer is selected
        assert screen.transcript.selected is views(app)[1]
        await pilot.press("c")
        assert app.clipboard.startswith("## Sorting a list")
        await pilot.press("b")
        assert app.clipboard == (
            'people = [("Ada", 36), ("Bea", 29)]\n'
            "by_age = sorted(people, key=lambda p: p[1])\n"
            "print(by_age)\n"
        )
        assert "Copied code block (python, 3 lines)." in notes(app)
        await pilot.press("up", "b")
        assert "That message has no code block; c copies all of it." in notes(app)


async def test_delete_a_message_after_asking(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("escape", "x")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "Its 1,336 tokens leave the thread's total" in confirm.message
        await pilot.press("n")
        assert len(views(app)) == 2
        await pilot.press("x", "y")
        await settle(pilot)
        assert [role for role, _, _ in shown(app)] == ["user"]
        assert "0 tok · $0" in str(screen.bar.query_one("#chat-bar-stats").render())
    assert len(ui_services.chat.messages(seeded.sorting)) == 1


async def test_a_long_thread_opens_with_its_tail_and_pages_back(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    from ui.chat.scenarios import add_local_provider

    add_local_provider(ui_services)
    seed_long_thread(ui_services, clock, 230)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        # A screenful is mounted (ten of these three-line messages at 80x24), not the whole
        # page: the rest waits to be scrolled to.
        n = 10
        await wait_for(pilot, lambda: transcript.scroll_y == transcript.max_scroll_y > 0)
        assert len(views(app)) == n and views(app)[-1].content == "Message number 230."
        assert len(transcript.held) == 50 - n
        # The marker's number is counted after the window is drawn.
        await wait_for(pilot, lambda: transcript.older == 230 - n)
        assert f"{230 - n} earlier messages" in str(transcript.query_one(".-older").render())
        await pilot.press("escape", "home")  # the first mounted message, the marker above it
        await wait_for(pilot, lambda: transcript.scroll_y == 0)
        assert len(views(app)) == n and transcript.selected is views(app)[0]
        # Up from the first message mounts the held ones before it; the cursor stays on it.
        first = views(app)[0]
        await pilot.press("up")
        await wait_for(pilot, lambda: len(views(app)) == n + GROW)
        assert transcript.older == 230 - n - GROW
        assert views(app)[0].content == f"Message number {230 - n - GROW + 1}."
        assert transcript.selected is first

        # Scrolling up to the top mounts the rest of the page, then loads the page before.
        while len(views(app)) < 100:
            count = len(views(app))

            async def to_top(pilot: Pilot[None], count: int = count) -> None:
                # Again at each look: a scroll that came while a page was still on its way
                # from the database has nothing to add, as a reader's would; the next one
                # does. Not once more have come: the place kept moved the view down, and
                # another scroll to the top would ask for the page after them too.
                if len(views(app)) == count:
                    transcript.scroll_to(y=0, animate=False, immediate=True)
                await pilot.pause()

            await wait_until(
                pilot, lambda count=count: len(views(app)) > count, "more", between=to_top
            )
            # The place is kept (scrolled down by what was mounted above) before scrolling on.
            await wait_for(pilot, lambda: transcript.scroll_y > 0)
        assert len(views(app)) == 100 and not transcript.held
        assert transcript.older == 130 and views(app)[0].content == "Message number 131."
        assert transcript.selected is first


async def test_search_jumps_to_the_message_in_a_long_thread(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    from ui.chat.scenarios import add_local_provider

    add_local_provider(ui_services)
    thread = seed_long_thread(ui_services, clock, 300)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "number 42")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen) and search.hits[0].seq == 42
        await pilot.press("enter")
        await settle(pilot)
        transcript = screen.transcript
        assert screen.thread is not None and screen.thread.id == thread
        assert transcript.selected is not None and transcript.selected.message.seq == 42
        assert app.focused is transcript
        assert transcript.older == 17 and transcript.newer == 233
        await pilot.press("end")  # the latest messages
        await settle(pilot)
        await wait_for(pilot, lambda: views(app)[-1].message.seq > 67)
        assert transcript.newer < 233


async def test_an_edited_message_names_its_branch_after_a_reload(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    """The branch title is read with the thread, not only right after the edit."""
    user = ui_services.chat.messages(seeded.sorting)[0]
    ui_services.chat_send.store.branch_off(user.id)
    ui_services.chat.add_message(
        seeded.sorting,
        "user",
        "Sort by name instead",
        meta={
            "edited": {"branch_thread_id": str(ui_services.chat.list_threads(archived=True)[0].id)}
        },
    )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        assert (
            "earlier branch: How do I sort a list of tuples by age in Python? (earlier "
            "branch)" in note(views(app)[0])
        )


async def test_cancelling_an_edit_gives_back_what_was_in_the_box(
    make_app: AppFactory, seeded: ChatWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "half a thought")
        await pilot.press("escape", "up", "e")  # to the messages, the question, edit it
        assert screen.composer.text.startswith("How do I sort") and screen.edit_banner.display
        await pilot.press("escape")
        assert screen.composer.text == "half a thought" and not screen.edit_banner.display
        assert screen.editing is None
        await pilot.press("escape", "escape")  # to the messages and back to the box
        assert app.focused is screen.composer


async def test_an_answer_left_streaming_by_a_killed_app_is_recovered_with_its_text(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    ui_services.chat.add_message(seeded.sorting, "user", "And descending?")
    ui_services.chat.add_message(
        seeded.sorting, "assistant", "Pass reverse=True to", status="streaming"
    )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await wait_for(pilot, lambda: len(views(app)) == 4)
        answer = views(app)[-1]
        assert (answer.message.status, answer.content) == ("error", "Pass reverse=True to")
        assert "promptterm stopped while this answer streamed" in note(answer)
