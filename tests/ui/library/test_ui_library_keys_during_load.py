"""Keys typed while a library view's first list is on its way act once the list is there:
handed to the empty list, a `down` typed right behind `M` (or behind `4`) was lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from promptterm.services.facade import Services
from promptterm.ui.library.screen import LibraryScreen
from support.clock import FixedClock
from support.pilot_keys import _press as press_without_waiting
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.library.scenarios import Library, seed_library
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def library(ui_services: Services, clock: FixedClock) -> Library:
    return seed_library(ui_services, clock)


class HeldRead:
    """A service read that waits, in its thread, until the test lets it answer."""

    def __init__(self, read: Callable[..., Any]) -> None:
        self.read = read
        self.started = threading.Event()
        self.released = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.started.set()
        self.released.wait(timeout=60)
        return self.read(*args, **kwargs)


async def test_a_down_typed_before_the_first_prompt_list_moves_in_it(
    make_app: AppFactory, ui_services: Services, library: Library, monkeypatch
) -> None:
    monkeypatch.setattr("promptterm.ui.library.refresh.POLL_SECONDS", 3600)
    held = HeldRead(ui_services.prompts.summaries)
    monkeypatch.setattr(ui_services.prompts, "summaries", held)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("4")
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await press_without_waiting(pilot, "M", "down")  # typed at once, the list not in yet
        await wait_until(pilot, held.started.is_set, "the prompt list's read")
        held.released.set()
        tree = screen.prompt_tree
        await wait_until(pilot, lambda: app.keys.idle, "the keys taken", between=settle)
        assert tree.item is not None and tree.item.name == "Blog post"  # Writing > Blog post


async def test_a_down_typed_before_the_first_component_list_moves_in_it(
    make_app: AppFactory, ui_services: Services, library: Library, monkeypatch
) -> None:
    monkeypatch.setattr("promptterm.ui.library.refresh.POLL_SECONDS", 3600)
    held = HeldRead(ui_services.components.counts)
    monkeypatch.setattr(ui_services.components, "counts", held)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press_without_waiting(pilot, "4", "down")
        await wait_until(pilot, held.started.is_set, "the component list's read")
        held.released.set()
        await wait_until(pilot, lambda: app.keys.idle, "the keys taken", between=settle)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        rows = [o.id for o in screen.component_list.options if o.id and not o.disabled]
        assert str(screen.component_list.selected_id) == rows[1]  # the second component
