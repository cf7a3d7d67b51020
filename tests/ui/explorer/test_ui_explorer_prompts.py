"""Pilot tests: a project's prompts (issue 15, seed 004 product prompts) show under the
project in the explorer and in the palette, and either opens them in the library."""

from __future__ import annotations

import uuid

import pytest
from textual.command import CommandPalette

from promptterm.services.facade import Services
from promptterm.ui.library.screen import LibraryScreen
from ui.fixtures import AppFactory
from ui.helpers import cursor_label, settle, tree_labels, type_text, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


@pytest.fixture
def release_notes(ui_services: Services, world: World) -> uuid.UUID:
    """A prompt filed under Website, and one in no project (which stays out of the tree)."""
    made = ui_services.prompts.create("Release notes")
    ui_services.prompt_edits.add_module(made.id, "Ask", ["Summarise the changes."])
    ui_services.prompt_edits.set_project(made.id, world.website)
    ui_services.prompts.create("Loose")
    return made.id


def _shows_prompt(app, prompt_id: uuid.UUID) -> bool:  # type: ignore[no-untyped-def]
    screen = app.screen
    return (
        isinstance(screen, LibraryScreen)
        and screen.view == "prompts"
        and screen.current_prompt is not None
        and screen.current_prompt.id == prompt_id
    )


async def test_a_projects_prompts_show_under_it_and_enter_opens_one(
    make_app: AppFactory, world: World, release_notes: uuid.UUID
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("down", "right")  # Website: files, threads and prompts
        await wait_until(pilot, lambda: "    Prompts (1)" in tree_labels(app))
        labels = tree_labels(app)
        at = labels.index("    Prompts (1)")
        assert labels[at - 2 : at + 2] == [
            "    Threads (1)",
            "      API design review  120 tok",
            "    Prompts (1)",
            "      Release notes",
        ]
        assert not any("Loose" in label for label in labels)
        await pilot.press(*["down"] * 7)  # Files, 2 files, Threads, 1 thread, Prompts, it
        assert cursor_label(app) == "Release notes"
        await pilot.press("enter")
        await wait_until(pilot, lambda: _shows_prompt(app, release_notes))
        assert app.current_project is not None and app.current_project.id == world.website


async def test_the_palette_finds_a_prompt_by_its_project_and_opens_it(
    make_app: AppFactory, world: World, release_notes: uuid.UUID
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "prompt release notes in acme/website")
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: _shows_prompt(app, release_notes))
