"""A 2,000-message thread opens with a screenful of its last messages mounted, the count
worked out from the terminal's height and the messages' text (never from timing): the same
screen on every run. Scrolling up mounts the held ones above, the place kept; search still
jumps to an old message; export and copy still have everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import textual.screen
from textual.content import Content
from textual.widgets import Input

from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.export import ExportScreen
from promptterm.ui.chat.dialogs.search import SearchScreen
from promptterm.ui.chat.load import PAGE
from promptterm.ui.chat.widgets.message import MessageView
from promptterm.ui.chat.widgets.screenful import GROW
from promptterm.ui.chat.widgets.transcript import Transcript, Window
from support.clock import FixedClock
from ui.chat.scenarios import add_local_provider, open_chat, seed_huge_thread, views, wait_for
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.scenarios import LARGE, SMALL

pytestmark = pytest.mark.anyio

COUNT = 2000


@pytest.fixture
def huge(ui_services: Services, clock: FixedClock) -> None:
    add_local_provider(ui_services)
    seed_huge_thread(ui_services, clock, COUNT)


def at_end(transcript: Transcript) -> bool:
    return transcript.max_scroll_y > 0 and transcript.scroll_y == transcript.max_scroll_y


def selected_seq(transcript: Transcript) -> int | None:
    view = transcript.selected
    return view.message.seq if view is not None else None


def offset(transcript: Transcript, view: MessageView) -> int:
    """Where ``view`` starts on the screen, in lines from the transcript's top."""
    return view.virtual_region.y - round(transcript.scroll_y)


# Each "Message number N." takes three lines (the blank line, its head, its text): the
# terminal's height and six spare lines, in messages, rounded up.
@pytest.mark.parametrize(
    ("size", "mounted"),
    [pytest.param(SMALL, 10, id="80x24"), pytest.param(LARGE, 16, id="120x40")],
)
async def test_a_long_thread_opens_on_a_screenful_of_its_last_messages(
    make_app: AppFactory, huge: None, size: tuple[int, int], mounted: int
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        assert len(views(app)) == mounted
        assert [v.message.seq for v in views(app)] == list(range(COUNT - mounted + 1, COUNT + 1))
        assert len(transcript.held) == PAGE - mounted
        # Counted after the window is drawn (the count goes through the whole thread).
        await wait_for(pilot, lambda: transcript.older == COUNT - mounted)
        marker = str(transcript.query_one(".-older").render())
        assert f"{COUNT - mounted:,} earlier messages" in marker
        # The last message is drawn at the bottom of the transcript, and is the one selected.
        last = views(app)[-1]
        assert last.content == f"Message number {COUNT}." and transcript.selected is last
        bottom = last.virtual_region.bottom - round(transcript.scroll_y)
        assert bottom == transcript.scrollable_content_region.height


async def test_page_up_mounts_earlier_messages_and_keeps_the_place(
    make_app: AppFactory, huge: None
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        await pilot.press("escape")  # to the messages
        selected = transcript.selected
        assert selected is not None and selected.message.seq == COUNT
        # Page up until the held page is mounted and the page before it is read: each time
        # messages go on above, what the reader looks at stays where it was.
        while transcript.older > COUNT - 2 * PAGE:
            count = len(views(app))
            await pilot.press("pageup")
            await settle(pilot)
            # The message under the top line after this page up, and where it starts.
            top = round(transcript.scroll_y)
            anchor = next(v for v in views(app) if v.virtual_region.bottom > top)
            where = offset(transcript, anchor)
            if len(views(app)) == count:
                continue  # not near the top yet: nothing mounted
            await wait_for(pilot, lambda a=anchor, w=where: offset(transcript, a) == w)
        assert len(views(app)) == 2 * PAGE and not transcript.held
        assert views(app)[0].message.seq == COUNT - 2 * PAGE + 1
        assert transcript.selected is selected  # the cursor did not move


async def test_home_then_up_mounts_the_held_messages_above_the_cursor(
    make_app: AppFactory, huge: None
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        n = len(views(app))
        await pilot.press("escape", "home")  # the first mounted message, the marker above it
        await wait_for(pilot, lambda: transcript.scroll_y == 0)
        first = views(app)[0]
        assert len(views(app)) == n and transcript.selected is first
        where = offset(transcript, first)  # under the marker
        await pilot.press("up")
        await wait_for(pilot, lambda: len(views(app)) == n + GROW)
        await wait_for(pilot, lambda: offset(transcript, first) == where)
        assert transcript.selected is first and transcript.older == COUNT - n - GROW
        assert views(app)[0].message.seq == COUNT - n - GROW + 1


async def test_search_jumps_to_an_old_message_of_a_long_thread(
    make_app: AppFactory, huge: None
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "number 1234")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen) and search.hits[0].seq == 1234
        await pilot.press("enter")
        await wait_for(pilot, lambda: selected_seq(transcript) == 1234)
        # Opened around the hit: nothing held, the neighbours on either side mounted.
        assert not transcript.held
        assert [v.message.seq for v in views(app)] == list(range(1210, 1260))
        assert transcript.older == 1209 and transcript.newer == COUNT - 1259


async def test_export_and_copy_of_a_long_thread_have_everything(
    make_app: AppFactory, huge: None, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await wait_for(pilot, lambda: at_end(screen.transcript))
        await pilot.press("escape", "c")  # the last message is selected
        assert app.clipboard == f"Message number {COUNT}."
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-format").value = "json"  # type: ignore[attr-defined]
        dialog.query_one("#export-path", Input).value = str(tmp_path / "long.json")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    document = json.loads((tmp_path / "long.json").read_text())
    assert len(document["messages"]) == COUNT
    assert document["messages"][0]["content"] == "Message number 1."


async def test_a_taller_terminal_mounts_as_many_as_its_height_wants(
    make_app: AppFactory, huge: None
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        assert len(views(app)) == 10
        await pilot.resize_terminal(*LARGE)
        # Counted as an open at 120x40 would, and the end still in view.
        await wait_for(pilot, lambda: len(views(app)) == 16)
        await wait_for(pilot, lambda: at_end(transcript))
        assert views(app)[-1].message.seq == COUNT
        await wait_for(pilot, lambda: transcript.older == COUNT - 16)


async def test_a_long_thread_opens_on_a_screenful_however_slow_the_frames(
    make_app: AppFactory, huge: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A loaded machine draws far fewer frames than Textual's 60 a second: the thread's window
    # is then often mounted before the draft shown first was ever drawn. Still a screenful.
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 1 / 10)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        assert len(views(app)) == 10 and len(transcript.held) == PAGE - 10
        await wait_for(pilot, lambda: transcript.older == COUNT - 10)


async def test_a_window_shown_before_the_draft_is_drawn_keeps_to_its_screenful(
    make_app: AppFactory, huge: None
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        window = Window([*transcript.held, *(v.message for v in transcript.views)], COUNT - PAGE, 0)
        shown: list[bool] = []

        async def draft_then_thread() -> None:
            # As the chat screen does when a thread opens, here with no frame in between
            # (run on the screen's own queue, which draws the frames): the draft's scroll to
            # its top must not move the thread's window, which would mount held messages.
            await transcript.show_window(Window([], 0, 0), ())
            await transcript.show_empty(Content("New thread"))
            await transcript.show_window(window, ())
            shown.append(True)

        screen.call_next(draft_then_thread)
        await wait_for(pilot, lambda: bool(shown) and at_end(transcript))
        await settle(pilot)
        assert len(views(app)) == 10 and transcript.older == COUNT - 10
        assert views(app)[-1].message.seq == COUNT and transcript.selected is views(app)[-1]


async def test_a_thread_opened_while_updates_are_held_still_opens_at_its_end(
    make_app: AppFactory, huge: None
) -> None:
    # Switching to the chat area holds the app's updates for 50 ms, far longer on a loaded
    # machine, and the thread can be read and mounted meanwhile: its scroll to the end must
    # wait for the layout that gives its messages a height, not run on a screen not laid out.
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        with app.batch_update():
            screen = await open_chat(pilot)
            await wait_for(pilot, lambda: len(views(app)) == 16)
            await settle(pilot)
        transcript = screen.transcript
        await wait_for(pilot, lambda: at_end(transcript))
        assert views(app)[-1].content == f"Message number {COUNT}."
        assert transcript.selected is views(app)[-1] and len(transcript.held) == PAGE - 16
