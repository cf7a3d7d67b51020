"""Snapshots of the library area at 80x24 (tmux over SSH) and 120x40: the component list, the
edit form refusing a name, the preset builder with its preview, an incomplete preset, a
prompt's variables form with a bad value named, and the trash.

Deterministic: a fixed clock, sequential ids, a seeded SQLite database in tmp_path, no
cursor blink, no animation, workers awaited before capture.
Baselines: snapshots/test_snap_library/*.svg (see conftest.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.library.widgets.prompt_pane import PromptPane
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.library.scenarios import Library, seed_library
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


@pytest.fixture
def library(ui_services: Services, clock: FixedClock) -> Library:
    return seed_library(ui_services, clock)


def keys(*steps: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A run_before that opens the library (4), then presses each step ("type:" types)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for step in ("4", *steps):
            if step.startswith("type:"):
                await type_text(pilot, step.removeprefix("type:"))
            else:
                await pilot.press(step)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_component_list(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """By type, most used first, with the plan's count; the highlighted one's details."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_edit_form_refuses_a_long_name(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """Editing Marketing Expert: the name is over 100 characters, said at the field as typed."""
    run = keys("e", "end", f"type:{' and growth hacker' * 5}")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_preset_builder_with_preview(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """A role and a context picked: the composed prompt and its token estimate."""
    run = keys(
        "right_square_bracket", "n", "type:Launch", "tab", "tab", "enter", "enter",
        "down", "down", "enter", "enter",
    )  # fmt: skip
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_incomplete_preset(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    library: Library,
    size: tuple[int, int],
) -> None:
    """Its context was deleted: "context missing" and the f key that fixes it."""
    ui_services.components.delete(library.startup)
    run = keys("right_square_bracket")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_prompt_variables_form(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """Blog post: topic filled in, words out of range and named at its field, and the preview
    saying why it is not rendered."""
    typed = keys("M", "down", "tab", "tab", "tab", "tab", "tab", "type:SQLite", "tab", "type:5000")

    async def run(pilot: Pilot[None]) -> None:
        await typed(pilot)
        # How far the pane had scrolled for the focused field depended on timing: show its
        # end (the field, its error and the refused preview) the same way every time.
        pilot.app.screen.query_one(PromptPane).scroll_end(animate=False, immediate=True)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_prompt_rendered(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """Blog post rendered with its token count (tab brings the preview into view)."""
    to_the_topic = keys("M", "down", "tab", "tab", "tab", "tab", "tab")

    async def run(pilot: Pilot[None]) -> None:
        await to_the_topic(pilot)
        # One key at a time, each rendered before the next: a render replaced mid-run (an
        # exclusive thread worker) can still post its older text last, and on a busy
        # machine the preview then showed "SQLit".
        screen = pilot.app.screen
        typed = ""
        for key in "SQLite":
            typed += key
            await pilot.press(key)
            await wait_until(
                pilot,
                lambda typed=typed: f"about {typed} for" in (screen.rendered or ""),  # type: ignore[attr-defined]
                f"the preview of {typed!r}",
                between=settle,
            )
        await pilot.press("tab", "tab")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_trash(
    snap_compare: SnapCompare, make_app: AppFactory, library: Library, size: tuple[int, int]
) -> None:
    """A deleted folder (with its prompt) and a prompt, newest first, days left to restore."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("T"))
