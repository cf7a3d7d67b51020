"""The chat at narrow sizes: the thread bar never cuts what the thread has cost (the title
gives way, with an ellipsis), and the composer keeps its cursor in view."""

from __future__ import annotations

import pytest
from textual import events

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.chat.scenarios import open_chat, seed_chat
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until

pytestmark = pytest.mark.anyio


def drawn(screen, widget_id: str) -> str:  # type: ignore[no-untyped-def]
    """What the widget shows on its first line, as drawn."""
    region = screen.find_widget(screen.get_widget_by_id(widget_id)).region
    return screen._compositor.render_strips()[region.y].text[region.x : region.right]


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_thread_bar_keeps_the_cost_whole(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, width: int
) -> None:
    world = seed_chat(ui_services, clock)
    ui_services.chat.rename(world.sorting, "Sorting a list of tuples by age in Python")
    async with make_app().run_test(size=(width, 24)) as pilot:
        screen = await open_chat(pilot)
        await wait_until(pilot, lambda: "$0.0021" in drawn(screen, "chat-bar"), "the cost")
        bar = drawn(screen, "chat-bar").strip()
        assert bar.endswith("1,336 tok · $0.0021"), bar
        title = drawn(screen, "chat-bar-title").strip()
        assert title.startswith("Sorting") and (
            title == "Sorting a list of tuples by age in Python" or title.endswith("…")
        ), title


async def test_a_long_paste_shows_the_line_with_the_cursor(
    make_app: AppFactory, ui_services: Services
) -> None:
    async with make_app().run_test(size=(60, 20)) as pilot:
        screen = await open_chat(pilot)
        composer = screen.composer
        text = "\n".join(f"line {n}" for n in range(1, 3001))
        pilot.app.post_message(events.Paste(text))  # as a terminal delivers a paste
        await settle(pilot)
        assert composer.cursor_location == (2999, 9)
        await wait_until(pilot, lambda: "line 3000" in str(composer_lines(screen)), "the end")


async def test_a_long_draft_coming_back_shows_the_line_with_the_cursor(
    make_app: AppFactory, ui_services: Services
) -> None:
    """A thread's draft replacing a shorter one (switching threads, an edit, a restart): the
    box scrolled to where the cursor was in the old text's height, lines 1997-1999."""
    async with make_app().run_test(size=(60, 20)) as pilot:
        screen = await open_chat(pilot)
        composer = screen.composer
        composer.set_draft("\n".join(f"line {n}" for n in range(1, 2001)))
        await settle(pilot)
        composer.set_draft("\n".join(f"line {n}" for n in range(1, 3001)))
        await settle(pilot)
        assert composer.cursor_location == (2999, 9)
        assert "line 3000" in composer_lines(screen), composer_lines(screen)


def composer_lines(screen) -> list[str]:  # type: ignore[no-untyped-def]
    region = screen.composer.content_region
    strips = screen._compositor.render_strips()
    return [strips[y].text[region.x : region.right].strip() for y in range(region.y, region.bottom)]
