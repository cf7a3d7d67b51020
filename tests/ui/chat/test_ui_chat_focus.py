"""Where the focus is in the chat, and so where typing goes, is always on screen: the
focused box has a bar on its left, and the footer names it ("typing → thread filter")."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.chat.scenarios import open_chat, seed_chat
from ui.fixtures import AppFactory
from ui.helpers import footer_row, settle, type_text, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def left_edge(pilot: Pilot[None], widget_id: str, line: int = 0) -> str:
    """The character in the first column of the widget's ``line``, as drawn."""
    screen = pilot.app.screen
    region = screen.find_widget(screen.get_widget_by_id(widget_id)).region
    return screen._compositor.render_strips()[region.y + line].text[region.x]


async def test_esc_then_tab_into_the_thread_filter_is_named_in_the_footer(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    seed_chat(ui_services, clock)
    async with make_app().run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await wait_until(pilot, lambda: "typing → message" in footer_row(pilot), "the footer")
        await pilot.press("escape")  # to the messages
        await settle(pilot)
        # Keys there are commands, not text. The footer's keys are rebuilt (recomposed) a
        # refresh or two after the focus moves, which a settled app may not have drawn yet.
        await wait_until(pilot, lambda: "typing" not in footer_row(pilot), "the footer")
        await pilot.press("escape", "tab")  # back to the box, and on: the filter
        await settle(pilot)
        assert screen.focused is screen.threads.filter
        await wait_until(pilot, lambda: "typing → thread filter" in footer_row(pilot), "the footer")
        assert left_edge(pilot, "chat-filter") == "▌"  # the focus bar
        assert left_edge(pilot, "chat-composer", line=1) == " "  # under its top border
        await type_text(pilot, "sort")
        assert screen.threads.filter.value == "sort"
        # The filtered list can change which keys apply: the footer is then rebuilt.
        await wait_until(pilot, lambda: "typing → thread filter" in footer_row(pilot), "the footer")


async def test_while_editing_a_message_the_footer_says_so(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    seed_chat(ui_services, clock)
    async with make_app().run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("escape", "up", "e")  # to the messages, the question, edit it
        await settle(pilot)
        assert screen.editing is not None
        await wait_until(pilot, lambda: "typing → your edit" in footer_row(pilot), "the footer")
        await pilot.press("escape")  # cancel the edit
        await wait_until(pilot, lambda: "typing → message" in footer_row(pilot), "the footer")
