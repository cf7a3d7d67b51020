"""Pilot tests of the chat's thread list by keyboard: recent first, filter, archived, scope;
rename, archive, delete; reveal from the palette, a thread of another project; reads from
before a switch or a delete never shown over them."""

from __future__ import annotations

import pytest

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.common.jump import JumpTarget
from support.clock import FixedClock
from ui.chat.scenarios import ChatWorld, chat, open_chat, seed_chat, shown, views, wait_for
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def seeded(ui_services: Services, clock: FixedClock) -> ChatWorld:
    return seed_chat(ui_services, clock)


def titles(app: object) -> list[str]:
    return [t.title for t in chat(app).threads.threads]  # type: ignore[arg-type]


def scope_line(app: object) -> str:
    return str(chat(app).threads.query_one("#chat-scope").render())  # type: ignore[arg-type]


async def test_the_most_recent_thread_opens_with_its_messages(
    make_app: AppFactory, seeded: ChatWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        assert titles(app) == [
            "How do I sort a list of tuples by age in Python?",
            "API design review",
        ]
        assert screen.thread is not None and screen.thread.id == seeded.sorting
        assert [role for role, _, _ in shown(app)] == ["user", "assistant"]
        stats = str(screen.bar.query_one("#chat-bar-stats").render())
        assert "1,336 tok · $0.0021" in stats  # the thread's total, tokens and cost
        # The list: enter opens the highlighted thread, and its preset history shows.
        await pilot.press("shift+tab", "shift+tab")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.thread is not None and screen.thread.id == seeded.review
        notes_shown = [
            str(n.render()).split("  ")[0] for n in screen.transcript.query("PresetNote")
        ]
        assert notes_shown == [
            "◆ preset Pirate: role, style",
            "◆ preset changed to Reviewer: role changed",
        ]


async def test_filter_as_you_type_and_archived_threads(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("shift+tab", "shift+tab")  # the thread list
        await pilot.press("slash")
        assert app.focused is screen.threads.filter
        await type_text(pilot, "api")
        await settle(pilot)
        assert titles(app) == ["API design review"]
        await pilot.press("escape")  # clears the filter, back to the list
        await settle(pilot)
        assert len(titles(app)) == 2
        await pilot.press("down", "a")  # archive API design review
        await settle(pilot)
        assert titles(app) == ["How do I sort a list of tuples by age in Python?"]
        await pilot.press("v")  # show the archived ones
        await settle(pilot)
        assert titles(app) == ["API design review"]
        assert "all projects · archived" in str(screen.threads.query_one("#chat-scope").render())
        await pilot.press("a")  # restore it
        await settle(pilot)
        assert titles(app) == []
    assert not ui_services.chat.get_thread(seeded.review).is_archived


async def test_rename_and_delete_a_thread(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Sorting tuples")
        await pilot.press("enter")
        await settle(pilot)
        assert titles(app)[0] == "Sorting tuples"
        await pilot.press("shift+tab", "shift+tab", "d")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "'Sorting tuples' with its 2 messages" in confirm.message
        await pilot.press("y")
        await settle(pilot)
        assert titles(app) == ["API design review"]
        assert "Deleted the thread 'Sorting tuples'." in notes(app)
        assert screen.thread is None  # the new-thread state
    assert [t.title for t in ui_services.chat.list_threads()] == ["API design review"]


async def test_reveal_opens_a_thread_from_the_palette(
    make_app: AppFactory, seeded: ChatWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        target = JumpTarget(
            "thread", seeded.review, "chat: Open thread API design review", "", area="chat"
        )
        await app.jump(target)
        screen = chat(app)
        await wait_for(pilot, lambda: screen.thread is not None and len(views(app)) == 4)
        assert screen.thread is not None and screen.thread.id == seeded.review
        assert "Missing retries" in shown(app)[-1][2]


async def test_a_thread_outside_the_lists_project_is_listed_when_opened_from_elsewhere(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    """A card's link or the palette opens a thread of no project while the list shows the
    current project's (none): the list widens to every project and marks it."""
    ws = ui_services.workspaces.create("Home")
    project = ui_services.projects.create(ws.id, "Site")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.current_project = ui_services.projects.get(project.id)
        screen = await open_chat(pilot)
        await wait_for(pilot, lambda: "Site" in scope_line(app))
        assert titles(app) == []
        target = JumpTarget("thread", seeded.review, "API design review", "", area="chat")
        await app.jump(target)
        await wait_for(pilot, lambda: "API design review" in titles(app))
        assert "all projects · active" in scope_line(app)
        assert screen.threads.highlighted is not None
        assert screen.threads.highlighted.id == seeded.review


async def test_reads_from_before_a_switch_or_a_delete_are_not_shown_over_them(
    make_app: AppFactory, seeded: ChatWorld, ui_services: Services
) -> None:
    """The list and the open thread are read again after each change; a read that started
    before can answer last (a cancelled thread still runs) and must not be shown: not the
    thread switched away from, not a deleted thread, not the list from before the delete."""
    from promptterm.ui.chat.messages import ThreadOpened, ThreadsLoaded
    from promptterm.ui.chat.widgets.transcript import Window

    chat_service = ui_services.chat

    def opened(thread_id, read: int) -> ThreadOpened:  # type: ignore[no-untyped-def]
        thread, totals = chat_service.get_thread(thread_id), chat_service.totals(thread_id)
        return ThreadOpened(
            thread, totals, Window(chat_service.messages(thread_id), 0, 0), None, {}, read
        )

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        assert screen.thread is not None and screen.thread.id == seeded.sorting
        late = opened(seeded.sorting, screen.reads["open"].start())  # a read now...
        await pilot.press("shift+tab", "shift+tab", "down", "enter")
        await wait_for(
            pilot, lambda: screen.thread is not None and screen.thread.id == seeded.review
        )
        screen.post_message(late)  # ...answers after the switch's own read
        await settle(pilot)
        assert screen.thread is not None and screen.thread.id == seeded.review
        late = opened(seeded.review, screen.reads["open"].start())
        before = chat_service.list_threads()
        late_list = ThreadsLoaded(
            before, "", screen.threads.scope, False, screen.reads["list"].start()
        )
        await pilot.press("shift+tab", "shift+tab", "d")  # the list, on the open thread
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(
            pilot, lambda: titles(app) == ["How do I sort a list of tuples by age in Python?"]
        )
        await wait_for(pilot, lambda: screen.thread is None)
        screen.post_message(late)
        screen.post_message(late_list)
        await settle(pilot)
        assert screen.thread is None  # the new-thread state stays
        assert titles(app) == ["How do I sort a list of tuples by age in Python?"]
