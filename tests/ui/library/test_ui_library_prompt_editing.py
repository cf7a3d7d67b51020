"""Pilot tests: a prompt edited end to end by keyboard in the prompts view — a module added
where the cursor is, options added and made default, a variable added and renamed with its
{{uses}}, the preview following each step, then the history: a diff and a restore. Also the
seed's limits at the field as the user types, a used variable deleted only when the user
says so, and an edit made elsewhere refused in the form without losing what was typed."""

from __future__ import annotations

import uuid

import pytest
from textual.widgets import OptionList, Static, TextArea

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.library.dialogs.options import ModuleOptionsScreen
from promptterm.ui.library.dialogs.prompt_history import PromptHistoryScreen
from promptterm.ui.library.dialogs.variables import VariablesScreen
from promptterm.ui.library.screen import LibraryScreen
from support.clock import FixedClock
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text, wait_until
from ui.library.scenarios import Library, seed_library
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def library(ui_services: Services, clock: FixedClock) -> Library:
    return seed_library(ui_services, clock)


@pytest.fixture
def email(ui_services: Services, library: Library) -> uuid.UUID:
    made = ui_services.prompts.create("Email")
    ui_services.prompts.add_module(made.id, "Greeting", ["Hi.", "Hello there."])
    ui_services.prompts.add_module(made.id, "Body", ["Thanks for your order."])
    return made.id


async def open_email(pilot) -> LibraryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("4", "M")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    await pilot.press("down", "down", "down")  # Writing > 2 prompts, then Email
    await wait_until(
        pilot,
        lambda: screen.current_prompt is not None and screen.current_prompt.name == "Email",
        "the Email prompt shown",
    )
    await wait_until(pilot, lambda: screen.rendered is not None, "the preview")
    return screen


def shown(widget_owner, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(widget_owner.query_one(selector, Static).render())


def preview(screen: LibraryScreen) -> str:
    return shown(screen, "#prompt-preview")


async def test_build_a_prompt_by_keyboard_then_diff_and_restore_a_version(
    make_app: AppFactory, ui_services: Services, email: uuid.UUID
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_email(pilot)
        assert preview(screen) == "Hi.\n\nThanks for your order."

        # A module after the highlighted one (Greeting).
        await pilot.press("tab", "a")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Sign-off")
        await pilot.press("tab")
        await type_text(pilot, "Regards.")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: preview(screen) == "Hi.\n\nRegards.\n\nThanks for your order.",
            "3 modules",
        )
        assert screen.module_list.highlighted == 1  # the cursor on the new module

        # Its options: add one (a text area: enter is a new line, ctrl+j saves), the default.
        await pilot.press("o")
        await settle(pilot)
        options = app.screen
        assert isinstance(options, ModuleOptionsScreen)
        await pilot.press("a")
        await type_text(pilot, "Formal")
        await pilot.press("tab")
        assert isinstance(app.screen.focused, TextArea)
        await type_text(pilot, "Yours sincerely,")
        await pilot.press("enter")
        await type_text(pilot, "{{sender}}")
        assert shown(app.screen, "#count-content") == "27/20,000"
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: app.screen is options, "back at the options")
        await wait_until(
            pilot, lambda: options.query_one(OptionList).option_count == 2, "the option added"
        )
        assert options.highlighted is not None and options.highlighted.name == "Formal"
        await pilot.press("enter")  # make it the default (and close)
        await wait_until(
            pilot,
            lambda: "has no variable 'sender'" in preview(screen),
            "the preview naming the new option's variable",
        )

        # The variable it uses, with a default: the preview renders with it.
        await pilot.press("v")
        await type_text(pilot, "sender")
        await pilot.press("tab", "tab", "tab")  # type, label, default
        await type_text(pilot, "Ana")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "Yours sincerely,\nAna" in preview(screen),
            "the preview with the variable's default",
        )
        tokens_before = shown(screen, "#preview-heading")

        # Rename it, and its {{uses}} with it: the prompt still renders.
        await pilot.press("V")
        await settle(pilot)
        variables = app.screen
        assert isinstance(variables, VariablesScreen)
        assert "used in Sign-off" in str(
            variables.query_one(OptionList).get_option_at_index(0).prompt
        )
        await pilot.press("r")
        rename = app.screen
        assert isinstance(rename, FormScreen)
        assert "is used in 'Sign-off'" in shown(rename, ".dialog-intro")
        await type_text(pilot, "author")  # the old name is selected: typing replaces it
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: app.screen is variables and variables.prompt.variables[0].name == "author",
            "the variable renamed",
        )
        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: (
                screen.current_prompt is not None
                and [v.name for v in screen.current_prompt.variables] == ["author"]
            ),
            "the prompt reloaded",
        )
        await wait_until(pilot, lambda: "Yours sincerely,\nAna" in preview(screen), "still renders")
        assert "tokens" in tokens_before

        # History: v3 (before the first edit here: Greeting and Body) against now, restored.
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, PromptHistoryScreen)
        await wait_until(pilot, lambda: len(history.versions) == 8, "v1 to v8")
        await pilot.press("end", "up", "up")
        assert history.highlighted is not None and history.highlighted.version == 3
        await wait_until(
            pilot,
            lambda: "+Yours sincerely," in shown(history, "#versions-diff-body"),
            "the diff of the rendered text from v3 to now",
        )
        assert "v3 → current" in str(history.query_one("#versions-diff").border_title)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: preview(screen) == "Hi.\n\nThanks for your order.",
            "v3's text again",
        )
        assert "Restored 'Email' as v9; the state it replaced is kept." in notes(app)
    prompt = ui_services.prompts.get(email)
    assert [m.name for m in prompt.modules] == ["Greeting", "Body"]
    kept = ui_services.prompt_edits.versions(email)
    assert kept[0].version == 9 and kept[1].version == 8
    assert [m.name for m in kept[1].state.modules] == ["Greeting", "Sign-off", "Body"]


async def test_seed_limits_show_at_the_field_while_typing(
    make_app: AppFactory, email: uuid.UUID
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_email(pilot)
        await pilot.press("v")
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_text(pilot, "1st")
        await wait_until(
            pilot,
            lambda: "is not a usable variable name" in shown(form, "#error-name"),
            "the name refused as it is typed",
        )
        await pilot.press("ctrl+u")
        await type_text(pilot, "count")
        await wait_until(pilot, lambda: not form.query_one("#error-name").display, "fine now")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")  # to min
        await type_text(pilot, "9")
        await pilot.press("tab")
        await type_text(pilot, "3")
        await wait_until(
            pilot,
            lambda: "min 9.0 is above max 3.0" in shown(form, "#error-min"),
            "the bounds refused before saving",
        )
        assert app.screen is form  # nothing was submitted

        # The prompt's own form: the category's limit counted and said as it is passed.
        await pilot.press("escape", "e")
        edit = app.screen
        assert isinstance(edit, FormScreen)
        await pilot.press("tab", "tab")
        await type_text(pilot, "x" * 51)
        await wait_until(
            pilot, lambda: "50" in shown(edit, "#error-category"), "the category refused"
        )
        assert shown(edit, "#count-category") == "51/50"


async def test_deleting_a_used_variable_asks_and_option_default_passes_on(
    make_app: AppFactory, ui_services: Services, email: uuid.UUID
) -> None:
    edits = ui_services.prompt_edits
    prompt = ui_services.prompts.get(email)
    body = prompt.modules[1]
    edits.add_option(email, body.id, "Thanks, {{name}}!", make_default=True)
    edits.add_variable(email, "name", default="Bo")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_email(pilot)
        assert preview(screen) == "Hi.\n\nThanks, Bo!"
        await pilot.press("V", "d")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "still used in 'Body'" in shown(confirm, "#confirm-message")
        await pilot.press("n")  # no: nothing deleted
        await settle(pilot)
        assert [v.name for v in ui_services.prompts.get(email).variables] == ["name"]
        await pilot.press("d", "y", "escape")
        await wait_until(pilot, lambda: "has no variable 'name'" in preview(screen), "deleted")

        # Delete the default option: the first one left becomes the default, and says so.
        await pilot.press("tab", "down", "o")
        await settle(pilot)
        options = app.screen
        assert isinstance(options, ModuleOptionsScreen)
        assert options.highlighted is not None and options.highlighted.is_default
        await pilot.press("d")
        await settle(pilot)
        assert "becomes the default" in shown(app.screen, "#confirm-message")
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: any("'Option 1' is the default" in n for n in notes(app)),
            "the heir named",
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: preview(screen) == "Hi.\n\nThanks for your order.", "")


async def test_an_option_edit_over_a_change_made_elsewhere_is_refused_and_kept(
    make_app: AppFactory, ui_services: Services, email: uuid.UUID
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_email(pilot)
        await pilot.press("tab", "o")
        await settle(pilot)
        assert isinstance(app.screen, ModuleOptionsScreen)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FormScreen)
        # Meanwhile, another window renames the prompt.
        ui_services.prompt_edits.rename(email, "Email to customers")
        await pilot.press("tab")
        await pilot.press("end", "backspace", "backspace", "backspace")  # "Hi." gone
        await type_text(pilot, "Hey.")
        await pilot.press("ctrl+j")
        await wait_until(
            pilot,
            lambda: "changed elsewhere since you opened it" in shown(form, "#form-error"),
            "the refusal in words",
        )
        assert app.screen is form
        assert form.query_one("#field-content", TextArea).text == "Hey."  # kept
        await pilot.press("ctrl+j")  # again, deliberately: it goes through
        await settle(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ModuleOptionsScreen), "saved")
        await pilot.press("escape")
        await wait_until(pilot, lambda: preview(screen) == "Hey.\n\nThanks for your order.", "")
    assert ui_services.prompts.get(email).name == "Email to customers"


async def test_module_keys_pressed_faster_than_the_redraw_build_on_each_other(
    make_app: AppFactory, ui_services: Services, email: uuid.UUID
) -> None:
    ui_services.prompts.add_module(email, "Sign-off", ["Bye."])
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_email(pilot)
        await pilot.press("tab")
        # J, J and space within one frame (the Pilot's keys wait for each redraw, so their
        # actions are called at once): each write starts from the last one's version, not
        # from the older one on screen, so none is refused as "changed elsewhere".
        screen.action_move_module(1)
        screen.action_move_module(1)
        screen.action_toggle_module()
        await wait_until(
            pilot,
            lambda: (
                [m.name for m in ui_services.prompts.get(email).modules]
                == ["Body", "Sign-off", "Greeting"]
            ),
            "Greeting moved to the end",
            between=settle,
        )
        await wait_until(pilot, lambda: preview(screen) == "Thanks for your order.\n\nBye.", "")
        assert not any("changed elsewhere" in n for n in notes(app))
    assert not ui_services.prompts.get(email).modules[2].visible


async def test_edit_a_variables_limits_and_the_preview_follows(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("4", "M")
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        # The list first: a down typed before the tree has put its cursor back is undone.
        await wait_until(pilot, lambda: screen.prompt_tree.item is not None, between=settle)
        await pilot.press("down")  # Writing > Blog post
        await wait_until(pilot, lambda: screen.current_prompt is not None, "Blog post")
        await pilot.press("V", "end", "e")  # words, the last by name
        form = app.screen
        assert isinstance(form, FormScreen)
        for _ in range(6):  # type, label, default, required, choices, max
            await pilot.press("tab")
        await type_text(pilot, "500")
        # The default (600) no longer fits: said at the default, before saving.
        await wait_until(
            pilot,
            lambda: "at most 500" in shown(form, "#error-default"),
            "the default refused at its field",
        )
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")  # to default
        await type_text(pilot, "400")
        await wait_until(pilot, lambda: not form.query_one("#error-default").display, "fine")
        await pilot.press("enter")
        # The form is off the stack before its dismiss callback (which redraws the list)
        # runs in a later turn: settle between looks, so the row read is the one drawn after.
        await wait_until(
            pilot, lambda: isinstance(app.screen, VariablesScreen), "saved", between=settle
        )
        row = str(app.screen.query_one(OptionList).get_option_at_index(4).prompt)
        assert "min 100 · max 500 · default 400" in row
        await pilot.press("escape")
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # to topic: the prompt renders
        await type_text(pilot, "SQLite")
        await wait_until(pilot, lambda: "Keep it under 400 words." in preview(screen), "")
    words = next(v for v in ui_services.prompts.get(library.blog).variables if v.name == "words")
    assert (words.min, words.max, words.default) == (100, 500, 400)


async def test_deleting_a_module_changed_elsewhere_is_refused_and_shows_the_change(
    make_app: AppFactory, ui_services: Services, email: uuid.UUID
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_email(pilot)
        await pilot.press("tab", "D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        # Meanwhile, another window adds a module.
        ui_services.prompt_edits.add_module(email, "P.S.", ["Free shipping this week."])
        await pilot.press("y")
        await wait_until(
            pilot, lambda: any("changed elsewhere" in n for n in notes(app)), "the refusal"
        )
        await wait_until(
            pilot,
            lambda: screen.current_prompt is not None and len(screen.current_prompt.modules) == 3,
            "the prompt as it is now",
        )
    assert [m.name for m in ui_services.prompts.get(email).modules] == ["Greeting", "Body", "P.S."]
