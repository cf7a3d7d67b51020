"""The library's lists stay current (issue 13, items 2 and 3): a preset built after a
component was deleted gets no false "Not found"; use counts follow the chat; what another
process (the CLI) adds shows up without F5."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.library.dialogs.preset_builder import PresetBuilder
from promptterm.ui.library.screen import LibraryScreen
from support.clock import FixedClock
from ui.chat.scenarios import wait_for
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text, wait_until
from ui.library.scenarios import Library, seed_library
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


def preset_rows(screen: LibraryScreen) -> list[str]:
    return [str(o.prompt) for o in screen.preset_list.options if o.id]


async def test_a_preset_made_after_deleting_a_component_gets_no_false_not_found(
    make_app: AppFactory, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_library(pilot)
        assert screen.component_list.selected_id is not None
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("right_square_bracket", "n")
        await settle(pilot)
        assert isinstance(app.screen, PresetBuilder)
        await type_text(pilot, "Shipping")
        await pilot.press("tab", "tab", "enter")  # the role slot
        await settle(pilot)
        await pilot.press("enter")  # the first role offered
        await settle(pilot)
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert "Created the preset 'Shipping'." in notes(app)
        assert not [n for n in notes(app) if "does not exist" in n]
        assert screen.preset is not None and screen.preset.name == "Shipping"


def uses_of(screen: LibraryScreen, name: str) -> str:
    (row,) = [r for r in preset_rows(screen) if r.startswith(name)]
    return row[len(name) :].split("\n")[0].strip()


async def test_use_counts_follow_the_chat_without_f5(
    make_app: AppFactory, ui_services: Services, library: Library, monkeypatch
) -> None:
    monkeypatch.setattr("promptterm.ui.library.refresh.POLL_SECONDS", 3600)
    used = ui_services.presets.get(library.quick).usage_count
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_library(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert uses_of(screen, "Quick Expert") == "1 use" and used == 1
        # Used in a chat, in another area: back in the library the count is new.
        await pilot.press("1")
        await settle(pilot)
        ui_services.presets.record_use(library.quick)
        await pilot.press("4")
        await settle(pilot)
        assert uses_of(screen, "Quick Expert") == "2 uses"
        # A send publishes the usage signal: the lists follow at once.
        ui_services.presets.record_use(library.quick)
        app.usage_signal.publish(None)
        await settle(pilot)
        assert uses_of(screen, "Quick Expert") == "3 uses"


async def test_a_preset_added_by_the_cli_shows_up_within_seconds(
    make_app: AppFactory, ui_services: Services, library: Library, monkeypatch
) -> None:
    monkeypatch.setattr("promptterm.ui.library.refresh.POLL_SECONDS", 0.05)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_library(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.limits is not None
        before = screen.limits
        ui_services.presets.create("From the CLI", role=library.marketing)
        await wait_for(
            pilot, lambda: any(r.startswith("From the CLI") for r in preset_rows(screen))
        )
        await wait_for(pilot, lambda: screen.limits != before)


def tree_names(screen: LibraryScreen) -> list[str]:
    lines = screen.prompt_tree._tree_lines  # every line laid out, folders open
    return [str(line.node.label) for line in lines]


def trash_rows(screen: LibraryScreen) -> list[str]:
    rows = screen.query_one("#trash-list", OptionList).options
    return [str(o.prompt).strip().split("  ")[0] for o in rows]


async def test_a_prompt_list_read_before_a_delete_does_not_bring_the_prompt_back(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    """The lists read again after each write; a read that started before it can answer last
    (a cancelled thread still runs) and must not show what was just moved to the trash."""
    from promptterm.ui.library.messages import PromptsLoaded, TrashLoaded

    prompts = ui_services.prompts
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_library(pilot)
        await pilot.press("M")
        await wait_until(pilot, lambda: screen.prompt_tree.item is not None, between=settle)
        # Reads starting now, before the delete...
        late = screen.reads["prompts"].start(), screen.reads["trash"].start()
        folders, summaries = prompts.folders(), prompts.summaries()
        trash = prompts.folders(trash=True), prompts.summaries(trash=True)
        names = {f.id: f.name for f in (*folders, *trash[0])}
        await pilot.press("down", "d")  # Blog post to the trash
        await wait_until(pilot, lambda: "Blog post" not in tree_names(screen), between=settle)
        await pilot.press("T")
        in_trash = lambda: "Blog post in Writing" in trash_rows(screen)  # noqa: E731
        await wait_until(pilot, in_trash, "the trash", between=settle)
        # ...answer after the delete's own reads.
        screen.post_message(PromptsLoaded(folders, summaries, [], late[0]))
        screen.post_message(TrashLoaded(*trash, names, late[1]))
        await settle(pilot)
        assert "Blog post in Writing" in trash_rows(screen)
        await pilot.press("M")
        await settle(pilot)
        assert "Blog post" not in tree_names(screen)


async def test_a_preset_list_read_before_a_use_does_not_take_the_count_back(
    make_app: AppFactory, ui_services: Services, library: Library, monkeypatch
) -> None:
    from promptterm.ui.library.messages import PresetsLoaded

    monkeypatch.setattr("promptterm.ui.library.refresh.POLL_SECONDS", 3600)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_library(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert uses_of(screen, "Quick Expert") == "1 use"
        late = screen.reads["presets"].start()  # a read starting now, before the use...
        before = ui_services.presets.list(sort=screen.preset_sort)  # type: ignore[arg-type]
        ui_services.presets.record_use(library.quick)
        app.usage_signal.publish(None)
        await wait_until(pilot, lambda: uses_of(screen, "Quick Expert") == "2 uses")
        screen.post_message(PresetsLoaded(before, late))  # ...answers after the use's own
        await settle(pilot)
        assert uses_of(screen, "Quick Expert") == "2 uses"


async def test_a_cursor_move_right_behind_a_refreshed_prompt_list_is_kept(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    """The tree puts its cursor back where it was when a new list comes in; a key handled
    right behind the list ("M down" typed at once, or a write's reload landing) must not
    be undone by that."""
    from promptterm.ui.library.messages import PromptsLoaded

    prompts = ui_services.prompts
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_library(pilot)
        await pilot.press("M")
        tree = screen.prompt_tree
        await wait_until(pilot, lambda: tree.item is not None, between=settle)
        assert tree.item is not None and tree.item.name == "Writing"
        fresh = PromptsLoaded(
            prompts.folders(), prompts.summaries(), [], screen.reads["prompts"].start()
        )
        screen._prompts_loaded(fresh)  # the list comes in...
        tree.action_cursor_down()  # ...and a down is handled before the next refresh
        await settle(pilot)
        assert tree.item is not None and tree.item.name == "Blog post"


async def test_a_prompt_read_before_a_module_change_does_not_undo_it_on_screen(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    """The prompt is read again after each change to it; a read that started before can
    answer last (a cancelled thread still runs) and must not show the module as it was."""
    from promptterm.ui.library.messages import PromptLoaded

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_library(pilot)
        await pilot.press("M")
        await wait_until(pilot, lambda: screen.prompt_tree.item is not None, between=settle)
        await pilot.press("down")  # Writing > Blog post
        await wait_until(pilot, lambda: screen.current_prompt is not None, between=settle)
        prompt = screen.current_prompt
        assert prompt is not None and prompt.name == "Blog post"
        late = screen.reads["prompt"].start(), ui_services.prompts.get(prompt.id)  # now...
        first = lambda: str(screen.module_list.get_option_at_index(0).prompt)  # noqa: E731
        assert "(hidden)" not in first()
        await pilot.press("tab", "space")  # the modules; hide the first
        await wait_until(pilot, lambda: "(hidden)" in first(), between=settle)
        screen.post_message(PromptLoaded(late[1], late[0]))  # ...answers after the change
        await settle(pilot)
        assert "(hidden)" in first()


async def test_a_component_read_before_an_edit_does_not_show_it_as_it_was(
    make_app: AppFactory, ui_services: Services, library: Library, monkeypatch
) -> None:
    """The details are read again after each write; a read that started before can answer
    last (a cancelled thread still runs) and must not show the old text, nor hand it to the
    next edit (which would then be refused as stale)."""
    from promptterm.ui.library.messages import Changed, ComponentLoaded
    from promptterm.ui.library.widgets.components import ComponentDetails

    monkeypatch.setattr("promptterm.ui.library.refresh.POLL_SECONDS", 3600)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_library(pilot)
        await wait_until(pilot, lambda: screen._shown_component is not None, between=settle)
        shown = screen._shown_component
        assert shown is not None
        components = ui_services.components
        late = screen.reads["component"].start(), components.get(shown.id)  # now...
        components.update(shown.id, name="Renamed Expert", expected=shown)
        screen.post_message(Changed("", ("components",), shown.id))  # the edit's reload
        renamed = lambda: getattr(screen._shown_component, "name", "") == "Renamed Expert"  # noqa: E731
        await wait_until(pilot, renamed, between=settle)
        screen.post_message(ComponentLoaded(late[1], late[0]))  # ...answers after the edit
        await settle(pilot)
        assert renamed()
        body = str(screen.query_one(ComponentDetails).query_one("#component-body").render())
        assert "Renamed Expert" in body
