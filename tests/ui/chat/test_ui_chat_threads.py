"""Pilot tests of the chat's threads and messages by keyboard: the list (recent first,
filter, archived, scope), rename, archive, delete; copy, delete a message; paging a long
thread; search that jumps to the message; export; reveal from the palette."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.export import ExportScreen
from promptterm.ui.chat.dialogs.search import SearchScreen
from promptterm.ui.chat.widgets.screenful import GROW
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.common.jump import JumpTarget
from support.clock import FixedClock
from ui.chat.scenarios import (
    ChatWorld,
    chat,
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
        assert transcript.older == 230 - n and len(transcript.held) == 50 - n
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
        async def to_top(pilot: Pilot[None]) -> None:
            # Again at each look: a scroll that came while a page was still on its way from
            # the database has nothing to add, as a reader's would; the next one does.
            transcript.scroll_to(y=0, animate=False, immediate=True)
            await pilot.pause()

        while len(views(app)) < 100:
            count = len(views(app))
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


async def test_export_markdown_and_json(
    make_app: AppFactory, seeded: ChatWorld, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        box = dialog.query_one("#export-path", Input)
        assert box.value.endswith("how-do-i-sort-a-list-of-tuples-by-age-in-python.md")
        box.value = str(tmp_path / "sorting.md")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert any("sorting.md" in n for n in notes(app))
        # JSON, into a file that exists: the second enter replaces it.
        (tmp_path / "sorting.json").write_text("old")
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-format").value = "json"  # type: ignore[attr-defined]
        dialog.query_one("#export-path", Input).value = str(tmp_path / "sorting.json")
        await pilot.press("enter")
        await settle(pilot)
        assert "exists already" in str(dialog.query_one("#export-error").render())
        await pilot.press("enter")
        await settle(pilot)
    markdown = (tmp_path / "sorting.md").read_text()
    assert "# How do I sort a list of tuples by age in Python?" in markdown
    assert "by_age = sorted(people" in markdown
    document = json.loads((tmp_path / "sorting.json").read_text())
    assert len(document["messages"]) == 2


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


async def test_export_proposes_documents_and_asks_before_a_bound_folder(
    make_app: AppFactory,
    seeded: ChatWorld,
    ui_services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Started inside a project's bound folder: the current directory is no place for it.
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    site = tmp_path / "site"
    site.mkdir()
    ws = ui_services.workspaces.create("Home")
    project = ui_services.projects.create(ws.id, "Site")
    ui_services.disk_sync.bind(project.id, site)
    monkeypatch.chdir(site)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        box = dialog.query_one("#export-path", Input)
        assert Path(box.value).parent == home / "Documents"
        box.value = f"{site}/./sorting.md"
        await pilot.press("enter")
        await settle(pilot)
        error = str(dialog.query_one("#export-error").render())
        assert "belongs to the project 'Site'" in error
        assert not (site / "sorting.md").exists()
        await pilot.press("enter")  # asked, and the user means it
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert (site / "sorting.md").is_file()


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
