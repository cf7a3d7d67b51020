"""Snapshots of a prompt's edit views at 80x24 (tmux over SSH) and 120x40: a module's options
with the default marked, the add-option form counting its text, the variables with their
limits and uses, a variable's edit form refusing bounds as they are typed, and the history
with a diff of the rendered text.

Deterministic as the other library snapshots: a fixed clock, sequential ids, a seeded
SQLite database in tmp_path, workers awaited before capture.
Baselines: snapshots/test_snap_library_prompt_edit/*.svg (see conftest.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.library.scenarios import Library, seed_library
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


@pytest.fixture
def library(ui_services: Services, clock: FixedClock) -> Library:
    return seed_library(ui_services, clock)


def keys(*steps: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Open the library's prompts on Blog post (4, M, down), then press each step ("type:"
    types)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for step in ("4", "M", "down", *steps):
            if step.startswith("type:"):
                await type_text(pilot, step.removeprefix("type:"))
            else:
                await pilot.press(step)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_module_options(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """Intro's two options, the default marked, and the keys that edit them."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("tab", "o"))


@pytest.mark.parametrize("size", SIZES)
def test_add_option_form(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """A new option of Intro: the name and the text counted against their limits."""
    run = keys("tab", "o", "a", "type:Short", "tab", "type:One line on {{topic}}.")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_variables(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """Blog post's five variables: type, limits, default and where each is used."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("V"))


@pytest.mark.parametrize("size", SIZES)
def test_variable_form_refuses_bounds(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """words (the last, by name): min typed above max, refused at the field before saving."""
    run = keys("V", "end", "e", "tab", "tab", "tab", "tab", "tab", "type:3000")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_history_diff(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    library: Library,
    size: tuple[int, int],
) -> None:
    """The versions, newest first; the one before the last edit against the current text."""
    prompt = ui_services.prompts.get(library.blog)
    tone = prompt.modules[2]
    ui_services.prompt_edits.set_default_option(library.blog, tone.options[1].id)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("h", "down"))
