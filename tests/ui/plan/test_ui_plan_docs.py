"""The plan area's notes, PRD and customer sections by keyboard: ] moves along the section
line; a PRD is written in its form and shown rendered; a customer profile is selected and a
second selection refused in words; a note is written, saved as a version and found again by
search."""

from __future__ import annotations

import threading
import uuid

import pytest
from textual.widgets import Input, OptionList, Static, TextArea

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.services.plan import CustomerProfile
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.plan.screen import PlanScreen
from support.waiting import CEILING
from ui.fixtures import AppFactory
from ui.helpers import footer_row, settle, told, type_text, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def _open_plan(app: PromptTermApp, pilot: object, services: Services, world: World) -> None:
    app.current_project = services.projects.get(world.website)
    await pilot.press("6")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, PlanScreen) and app.screen.board is not None,
        "the board",
        between=settle,
    )


def _sections(app: PromptTermApp) -> str:
    return str(app.screen.query_one("#plan-sections", Static).render())


async def test_write_a_prd_in_its_form_and_read_it_rendered(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_plan(app, pilot, ui_services, world)
        assert "Board" in _sections(app) and "Customers" in _sections(app)
        await pilot.press("right_square_bracket", "right_square_bracket")  # Notes, then PRD
        await wait_until(
            pilot, lambda: app.screen.section == "PRD", "the PRD section", between=settle
        )
        info = app.screen.query_one("#prd-info", Static)
        await wait_until(pilot, lambda: "Not written yet" in str(info.render()), "empty PRD")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the PRD form")
        await type_text(pilot, "Specs get lost")  # the first field, Problem, has focus
        solution = app.screen.query_one("#field-solution", TextArea)
        solution.load_text("x" * 20_001)  # pasted, say: typing it would take minutes
        await pilot.press("ctrl+j")
        await wait_until(
            pilot,
            lambda: (
                "the most allowed is 20,000"
                in str(app.screen.query_one("#error-solution", Static).render())
            ),
            "the refusal at its field",
            between=settle,
        )
        assert app.screen.query_one("#field-problem", TextArea).text == "Specs get lost"  # kept
        solution.load_text("A plan area")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "saved", between=settle)
        await wait_until(pilot, lambda: "version 1" in str(info.render()), "the new version")
        prd = ui_services.prd.get(world.website)
        assert (prd.problem, prd.solution, prd.version) == ("Specs get lost", "A plan area", 1)


async def test_a_viewer_is_not_offered_edit_on_the_prd(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """A viewer reads the PRD: e would be refused, so the footer does not offer it (it did,
    and e then did nothing)."""
    specs = ui_services.as_user(world.bea).projects.list(world.partner)[0]
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.current_project = ui_services.projects.get(specs.id)
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), between=settle)
        await pilot.press("right_square_bracket", "right_square_bracket")  # Notes, then PRD
        info = app.screen.query_one("#prd-info", Static)
        await wait_until(pilot, lambda: "you are a viewer" in str(info.render()), between=settle)
        await wait_until(pilot, lambda: " Help" in footer_row(pilot), "the PRD's keys")
        assert " Edit" not in footer_row(pilot)


async def test_select_a_customer_and_a_second_is_refused(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    first = ui_services.customers.add(world.website, "Agency", scoring={"budget": 9})
    ui_services.customers.add(world.website, "Indie", scoring={"budget": 2})
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_plan(app, pilot, ui_services, world)
        # Customers is the fourth section: three steps on from the board.
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        listing = app.screen.query_one("#customers-list", OptionList)
        await wait_until(
            pilot, lambda: listing.option_count == 2, "ranked profiles", between=settle
        )
        assert "Agency" in str(listing.get_option_at_index(0).prompt)  # best score first
        await pilot.press("s")
        await wait_until(
            pilot,
            lambda: ui_services.customers.selected(world.website) is not None,
            "Agency selected",
            between=settle,
        )
        await pilot.press("down", "s")
        await wait_until(
            pilot,
            lambda: any("already the selected" in str(n.message) for n in told(app)),
            "the refusal",
            between=settle,
        )
        assert ui_services.customers.selected(world.website).id == first.id  # nothing lost


async def test_the_customers_keys_show_once_a_slow_list_arrives(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit and Select need a highlighted profile: when the list comes after the section got
    the focus (a busy database), the footer shows them as the list arrives."""
    ui_services.customers.add(world.website, "Agency", scoring={"budget": 9})
    ranked, go_on = ui_services.customers.ranked, threading.Event()

    def slow_ranked(project_id: uuid.UUID) -> list[CustomerProfile]:
        go_on.wait(CEILING)
        return ranked(project_id)

    monkeypatch.setattr(ui_services.customers, "ranked", slow_ranked)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_plan(app, pilot, ui_services, world)
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        listing = app.screen.query_one("#customers-list", OptionList)
        await wait_until(pilot, lambda: listing.has_focus, "the list focused")
        await wait_until(pilot, lambda: " Add" in footer_row(pilot), "the section's keys")
        assert " Select" not in footer_row(pilot)  # nothing to select yet
        go_on.set()
        await wait_until(pilot, lambda: listing.option_count == 1, "the profile", between=settle)
        await wait_until(
            pilot, lambda: " Select" in footer_row(pilot), "Select in the footer", between=settle
        )
        assert " Edit" in footer_row(pilot)


async def test_save_is_offered_once_a_note_is_open(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """ctrl+s saves the open note: with none open it did nothing, yet the footer offered it."""
    ui_services.notes.add("Old idea", "nothing to see", world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_plan(app, pilot, ui_services, world)
        await pilot.press("right_square_bracket")
        listing = app.screen.query_one("#notes-list", OptionList)
        await wait_until(pilot, lambda: listing.option_count == 1, "the notes", between=settle)
        await wait_until(pilot, lambda: " New note" in footer_row(pilot), "the notes' keys")
        assert " Save" not in footer_row(pilot)  # no note open
        await pilot.press("enter")
        await wait_until(pilot, lambda: " Save" in footer_row(pilot), "Save", between=settle)


async def test_write_a_note_and_find_it_by_search(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    ui_services.notes.add("Old idea", "nothing to see", world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_plan(app, pilot, ui_services, world)
        await pilot.press("right_square_bracket")
        listing = app.screen.query_one("#notes-list", OptionList)
        await wait_until(pilot, lambda: listing.option_count == 1, "the notes", between=settle)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the new-note form")
        await type_text(pilot, "Pricing thoughts")
        await pilot.press("enter")
        plan = next(s for s in app.screen_stack if isinstance(s, PlanScreen))
        body = plan.query_one("#note-body", TextArea)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PlanScreen) and app.screen.focused is body,
            "the editor",
            between=settle,
        )
        await type_text(pilot, "Charge per seat, not per token.")
        await pilot.press("ctrl+s")
        note = ui_services.notes.find("Pricing thoughts", world.website)
        await wait_until(
            pilot,
            lambda: ui_services.notes.get(note.id).version == 2,
            "a saved version",
            between=settle,
        )
        await pilot.press("escape", "slash")
        await type_text(pilot, "PER SEAT")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                listing.option_count == 1
                and "Pricing thoughts" in str(listing.get_option_at_index(0).prompt)
            ),
            "the note found",
            between=settle,
        )
        assert app.screen.query_one("#notes-search", Input).display


async def test_a_note_list_read_before_a_new_note_does_not_take_it_away(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    """Sections read again after each write, each read in a thread of its own: one that
    started before it can answer last and must not take the new note off the list."""
    from promptterm.ui.plan.notes import NotesPane

    ui_services.notes.add("Old idea", "nothing to see", world.website)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await _open_plan(app, pilot, ui_services, world)
        await pilot.press("right_square_bracket")
        pane = app.screen.query_one(NotesPane)
        listing = pane.query_one("#notes-list", OptionList)
        await wait_until(pilot, lambda: listing.option_count == 1, "the notes", between=settle)
        late = pane.reads.start(), ui_services.notes.list(world.website)  # a read now...
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the new-note form")
        await type_text(pilot, "Pricing thoughts")
        await pilot.press("enter")
        await wait_until(pilot, lambda: listing.option_count == 2, "the new note", between=settle)
        pane._answered(pane._listed, late[1], late[0])  # ...answers after the note's own
        await settle(pilot)
        assert listing.option_count == 2
