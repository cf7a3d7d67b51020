"""Pilot tests for the library's components and presets: build a preset with its preview,
delete a component and fix the preset it leaves incomplete, limits, the edit form, versions
and jumping from the palette."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.library.dialogs.component_form import ComponentForm
from promptterm.ui.library.dialogs.picker import ComponentPicker
from promptterm.ui.library.dialogs.preset_builder import PresetBuilder
from promptterm.ui.library.dialogs.versions import VersionsScreen
from promptterm.ui.library.screen import LibraryScreen
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text, wait_until
from ui.library.scenarios import Library, fill_components, fill_presets, seed_library
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def library(ui_services: Services, clock: FixedClock) -> Library:
    return seed_library(ui_services, clock)


async def open_library(pilot) -> LibraryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


def footer_keys(screen: LibraryScreen) -> set[str]:
    return {key for key, active in screen.active_bindings.items() if active.enabled}


async def test_build_a_preset_the_preview_follows_the_parts(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_library(pilot)
        await pilot.press("right_square_bracket", "n")
        await settle(pilot)
        builder = app.screen
        assert isinstance(builder, PresetBuilder)
        preview = builder.query_one("#builder-preview")
        assert preview.border_title == "System prompt · ≈ 0 tokens"
        await type_text(pilot, "Code review")
        await pilot.press("tab", "tab", "enter")  # description, the parts, pick the role
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ComponentPicker) and picker.kind == "role"
        await type_text(pilot, "review")  # typing in the list searches
        await settle(pilot)
        await pilot.press("enter", "enter")  # to the results, pick the one found
        await settle(pilot)
        assert app.screen is builder
        assert "You review code for correctness" in text_of(builder, "#builder-preview-body")
        with_role = builder.composed_text
        tokens_with_role = preview.border_title
        await pilot.press("down", "down", "down", "enter")  # the mode slot
        await settle(pilot)
        await pilot.press("enter")  # Ship Mode, the only mode
        await settle(pilot)
        assert builder.composed_text == with_role + "\n\n" + (
            "Focus on execution: give the next three steps."
        )
        assert preview.border_title != tokens_with_role
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "Created the preset 'Code review'." in notes(app)
    preset = ui_services.presets.find("Code review")
    assert [(c.type, c.name) for c in preset.parts] == [
        ("role", "Code Reviewer"),
        ("mode", "Ship Mode"),
    ]


async def test_a_preset_needs_a_part_and_says_so_in_the_builder(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_library(pilot)
        await pilot.press("right_square_bracket", "n")
        await type_text(pilot, "Empty")
        await pilot.press("ctrl+j")
        await settle(pilot)
        builder = app.screen
        assert isinstance(builder, PresetBuilder)
        assert "Pick at least one part" in text_of(builder, "#error-components")
        # A taken name comes back from the service and is shown at the name.
        await pilot.press("enter")  # the role slot has the focus now
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("shift+tab", "shift+tab", "ctrl+u")
        await type_text(pilot, "LinkedIn Pro")
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert "already have a preset named 'LinkedIn Pro'" in text_of(builder, "#error-name")
    assert len(ui_services.presets.list()) == 2


async def test_delete_a_component_then_fix_the_incomplete_preset_with_f(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    enterprise = ui_services.components.create("context", "Enterprise", "The reader is a bank.")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_library(pilot)
        await pilot.press("slash")
        await type_text(pilot, "tech")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.component_list.selected_id == library.startup
        await pilot.press("d")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "'LinkedIn Pro' will be incomplete" in confirm.message
        await pilot.press("y")
        await settle(pilot)
        assert any("Incomplete now: LinkedIn Pro" in n for n in notes(app))

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.preset_list.selected_id == library.linkedin  # most used first
        assert "Incomplete: context missing" in text_of(screen, "#preset-body")
        assert "context missing" in str(screen.preset_list.get_option_at_index(0).prompt)
        assert "f" in footer_keys(screen)
        await pilot.press("f")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ComponentPicker) and picker.kind == "context"
        await pilot.press("enter")  # Enterprise, the only context left
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "'LinkedIn Pro' now uses 'Enterprise' as its context." in notes(app)
        assert "Incomplete" not in text_of(screen, "#preset-body")
        assert "f" not in footer_keys(screen)
    fixed = ui_services.presets.get(library.linkedin)
    assert fixed.context is not None and fixed.context.id == enterprise.id
    assert not fixed.is_incomplete


async def test_creating_past_the_plan_limit_names_limit_plan_and_way_up(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    fill_components(ui_services, 20)
    fill_presets(ui_services, 5, library.ship)
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_library(pilot)
        assert "20 / 20 components · Free plan" in text_of(screen, "#library-limits")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen  # no form to fill in for nothing
        (message,) = notes(app)
        assert message.startswith("The Free plan allows 20 components and you have 20.")
        # The TUI names its keys, not the CLI's commands.
        upgrade = "Upgrade to Pro (press 5, then p), or delete some you no longer use."
        assert message.endswith(upgrade)
        assert "promptterm " not in message
        await pilot.press("right_square_bracket", "n")
        await settle(pilot)
        assert "5 / 5 presets · Free plan" in text_of(screen, "#library-limits")
        assert notes(app)[-1].startswith("The Free plan allows 5 presets and you have 5.")
        assert app.is_running


async def test_limit_reached_while_the_form_was_open_is_shown_in_the_form(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    fill_components(ui_services, 19)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_library(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ComponentForm)
        ui_services.components.create("mode", "Elsewhere", "Made in another window.")
        await pilot.press("tab")
        await type_text(pilot, "Late")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "Some text.")
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert app.screen is form
        assert "The Free plan allows 20 components and you have 20" in text_of(form, "#form-error")
    assert "Late" not in {c.name for c in ui_services.components.list()}


async def test_the_component_form_shows_limits_as_you_type_and_refuses_at_the_field(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_library(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ComponentForm)
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert text_of(form, "#error-name") == "Name is required."
        assert text_of(form, "#error-content") == "Content is required."
        assert form.focused is form.query_one("#field-name")
        await type_text(pilot, "x" * 101)
        assert text_of(form, "#count-name") == "101/100"
        assert text_of(form, "#error-name") == "Name is 101 characters; the most allowed is 100."
        await pilot.press("backspace")
        assert text_of(form, "#count-name") == "100/100"
        assert not form.query_one("#error-name").display
        await pilot.press("ctrl+u")
        await type_text(pilot, "Tester")
        await pilot.press("tab", "tab", "tab")  # description, tags, content
        await type_text(pilot, "Test the edges first.")
        assert text_of(form, "#count-content") == "21/5,000"
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "Created the role 'Tester'." in notes(app)
    assert ui_services.components.find("Tester", "role").content == "Test the edges first."


async def test_edit_keeps_a_version_that_can_be_diffed_and_restored(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    ui_services.components.update(library.ship, content="Ship it today.")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_library(pilot)
        await pilot.press("slash")
        await type_text(pilot, "ship")
        await pilot.press("enter", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ComponentForm)
        await pilot.press("tab", "tab", "tab")
        await pilot.press("ctrl+a")  # the whole text (ctrl+a in a text area)
        await type_text(pilot, "Ship it now.")
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert screen.component_list.selected_id == library.ship
        await pilot.press("v")
        await settle(pilot)
        versions = app.screen
        assert isinstance(versions, VersionsScreen)
        labels = [str(o.prompt) for o in versions.query_one("#versions-list").options]
        assert [label.split()[0] for label in labels] == ["current", "v2", "v1"]
        assert versions.query_one("#versions-diff").border_title == "The current text"
        await pilot.press("down")  # v2: compared with the current text
        await settle(pilot)
        diff_pane = versions.query_one("#versions-diff")
        assert diff_pane.border_title == "v2 → current"
        diff = text_of(versions, "#versions-diff-body")
        assert "-Ship it today." in diff and "+Ship it now." in diff
        await pilot.press("down", "space")  # mark v1, then compare v2 with it
        await pilot.press("up")
        await settle(pilot)
        assert diff_pane.border_title == "v1 → v2"
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "Restored version 2 of 'Ship Mode'." in notes(app)
    ship = ui_services.components.get(library.ship)
    assert ship.content == "Ship it today."
    assert [v.label for v in ui_services.components.versions(ship.id)] == [
        "current",
        "v3",
        "v2",
        "v1",
    ]


async def test_search_sort_and_type_filter(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_library(pilot)
        shown = screen.component_list

        def names() -> list[str]:
            return [
                str(o.prompt).strip().split("  ")[0]
                for o in shown.options
                if o.id and not o.disabled
            ]

        assert names() == [
            "Marketing Expert",
            "Code Reviewer",
            "Professional B2B",
            "Tech Startup",
            "Ship Mode",
        ]
        await pilot.press("s", "s")  # most used -> recently updated -> by name
        await settle(pilot)
        assert "by name" in text_of(screen, "#component-hint")
        assert names()[:2] == ["Code Reviewer", "Marketing Expert"]
        await pilot.press("t", "t")  # all -> roles -> styles
        await settle(pilot)
        assert names() == ["Professional B2B"]
        await pilot.press("t", "t", "t")  # contexts, modes, all
        await pilot.press("slash")
        await type_text(pilot, "linkedin")  # matches the description too
        await settle(pilot)
        assert names() == ["Marketing Expert"]
        await pilot.press("escape")  # clears the search, back to the list
        await settle(pilot)
        assert len(names()) == 5 and app.screen.focused is shown


async def test_jumping_to_a_component_or_preset_selects_it(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await app.jump(JumpTarget("component", library.ship, "", "", area="library"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.view == "components"
        assert screen.component_list.selected_id == library.ship
        assert "Focus on execution" in text_of(screen, "#component-body")
        await app.jump(JumpTarget("preset", library.quick, "", "", area="library"))
        await settle(pilot)
        assert screen.view == "presets" and screen.preset_list.selected_id == library.quick
        assert "Quick Expert" in text_of(screen, "#preset-body")


async def test_fix_by_writing_a_new_component_from_the_picker(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    ui_services.components.delete(library.startup)  # the only context
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_library(pilot)
        await pilot.press("right_square_bracket", "f")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ComponentPicker)
        await pilot.press("end", "enter")  # "+ write a new context…"
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ComponentForm) and form.kind == "context"
        assert "for the preset's context" in text_of(form, "#field-type")  # no other type
        await type_text(pilot, "Bank")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "The reader works at a bank.")
        await pilot.press("ctrl+j")
        # Saved in a worker, then the form, then the picker close, and only then is the
        # preset filled in another worker: one settle can come back between two of these.
        note = "'LinkedIn Pro' now uses 'Bank' as its context."
        await wait_until(pilot, lambda: note in notes(app), "the preset fixed", between=settle)
        assert isinstance(app.screen, LibraryScreen)
        assert notes(app).count(note) == 1
    fixed = ui_services.presets.get(library.linkedin)
    assert fixed.context is not None and fixed.context.name == "Bank"
