"""Notes in the chat's search (ctrl+f in chat): the notes the user may read are found beside
the messages, labelled with their project; enter on one opens it in the plan area's Notes,
on its project. Someone else's personal note is never offered."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.search import SearchScreen
from promptterm.ui.chat.screen import ChatScreen
from promptterm.ui.plan.notes import NotesPane
from promptterm.ui.plan.screen import PlanScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _found(app: PromptTermApp) -> list[str]:
    screen = app.screen
    return [n.title for n in screen.notes] if isinstance(screen, SearchScreen) else []


async def test_a_note_found_in_the_chat_search_opens_in_the_plan(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    launch = ui_services.notes.add("Launch checklist", "Ship the pricing page.", world.website)
    ui_services.notes.add("Mobile ideas", "Nothing about money.", world.mobile)
    bea = ui_services.as_user(world.bea)
    bea.notes.add("Bea's pricing", "Her own personal note.")
    specs = bea.projects.list(world.partner)[0].id  # the local user is a viewer there
    bea.notes.add("Partner pricing", "Shared with the viewers.", specs)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.mobile)
        await settle(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen), "chat", between=settle)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        await type_text(pilot, "pricing")
        await wait_until(pilot, lambda: len(_found(app)) == 2, "two notes", between=settle)
        assert sorted(_found(app)) == ["Launch checklist", "Partner pricing"]
        summary = app.screen.query_one("#search-summary").render()
        assert str(summary) == "2 notes"  # no message holds the word
        options = app.screen.query_one("#search-hits", OptionList)
        label = str(options.get_option("n0").prompt)
        assert "note in " in label
        target = next(f"n{i}" for i, n in enumerate(app.screen.notes) if n.note_id == launch.id)
        options.highlighted = options.get_option_index(target)
        options.focus()
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, PlanScreen)
                and app.screen.section == "Notes"
                and app.screen.query_one(NotesPane).open_note is not None
            ),
            "the note open in the plan",
            between=settle,
        )
        pane = app.screen.query_one(NotesPane)
        assert pane.open_note is not None and pane.open_note.id == launch.id
        assert app.current_project is not None and app.current_project.id == world.website
        assert pane.query_one("#note-body").text == "Ship the pricing page."  # type: ignore[attr-defined]


async def test_a_personal_note_opens_beside_the_project_in_focus(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    diary = ui_services.notes.add("Pricing diary", "Only mine.")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(world.website)
        await settle(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen), "chat", between=settle)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        await type_text(pilot, "diary")
        await wait_until(
            pilot, lambda: _found(app) == ["Pricing diary"], "the note", between=settle
        )
        label = str(app.screen.query_one("#search-hits", OptionList).get_option("n0").prompt)
        assert "personal note" in label
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, PlanScreen)
                and app.screen.query_one(NotesPane).open_note is not None
            ),
            "the note open in the plan",
            between=settle,
        )
        assert app.screen.query_one(NotesPane).open_note.id == diary.id  # type: ignore[union-attr]
        assert app.current_project is not None and app.current_project.id == world.website
