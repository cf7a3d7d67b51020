"""Pilot tests for the library's modular prompts: render with variables (a bad value named at
its field), modules reordered, hidden and given another default, new prompts, the trash,
sending to chat, and library files."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Static

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.library.dialogs.io import LibraryFilesScreen
from promptterm.ui.library.dialogs.options import ModuleOptionsScreen
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


async def open_prompts(pilot) -> LibraryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("4", "M")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen) and screen.view == "prompts"
    return screen


def title_of(screen) -> str:  # type: ignore[no-untyped-def]
    """A dialog's title as shown (the getter gives it back as markup)."""
    return Content.from_markup(screen.query_one("#dialog").border_title or "").plain


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


async def test_render_a_prompt_with_variables_and_name_a_bad_number(
    make_app: AppFactory, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_prompts(pilot)
        await pilot.press("down")  # Writing > Blog post
        await wait_until(pilot, lambda: screen.current_prompt is not None, between=settle)
        assert screen.current_prompt is not None and screen.current_prompt.name == "Blog post"
        # topic is required and has no default: named before anything renders.
        assert text_of(screen, "#var-error-topic") == "topic is required."
        assert "Fix topic above" in text_of(screen, "#prompt-preview")
        # tree -> modules -> audience -> code -> notes -> topic
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        assert screen.focused is screen.query_one("#var-topic")
        await type_text(pilot, "SQLite")
        await pilot.press("tab")  # words: its default is selected, typing replaces it
        await type_text(pilot, "5000")
        await settle(pilot)
        assert text_of(screen, "#var-error-words") == "words must be at most 2000; got 5000."
        assert "Fix words above" in text_of(screen, "#prompt-preview")
        assert screen.rendered is None
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "abc")
        assert text_of(screen, "#var-error-words") == "words must be a number; got 'abc'."
        await pilot.press("ctrl+u")
        await type_text(pilot, "800")
        await settle(pilot)
        assert not screen.query_one("#var-error-words").display
        preview = text_of(screen, "#prompt-preview")
        assert preview.startswith("Write a blog post about SQLite for developers.")
        assert "Keep it under 800 words." in preview
        assert "tokens" in text_of(screen, "#preview-heading")
        await pilot.press("escape", "y")  # back to the tree, copy
        assert app.clipboard == screen.rendered
        assert "Keep it under 800 words." in app.clipboard
        assert notes(app)[-1].startswith("Copied the rendered prompt")


async def test_reorder_hide_and_pick_another_default_option(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    email = ui_services.prompts.create("Email")
    ui_services.prompts.add_module(email.id, "Greeting", ["Hi.", "Hello there."])
    ui_services.prompts.add_module(email.id, "Body", ["Thanks for your order."])
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_prompts(pilot)
        await pilot.press("down", "down", "down")  # Writing > 2 prompts, then Email
        await wait_until(pilot, lambda: screen.current_prompt is not None, between=settle)
        assert screen.current_prompt is not None and screen.current_prompt.name == "Email"
        assert text_of(screen, "#prompt-preview") == "Hi.\n\nThanks for your order."
        await pilot.press("tab", "J")  # the modules; move Greeting down
        await settle(pilot)
        assert text_of(screen, "#prompt-preview") == "Thanks for your order.\n\nHi."
        assert screen.module_list.highlighted == 1  # the moved module keeps the cursor
        await pilot.press("space")  # hide Greeting
        await settle(pilot)
        assert text_of(screen, "#prompt-preview") == "Thanks for your order."
        assert "(hidden)" in str(screen.module_list.get_option_at_index(1).prompt)
        await pilot.press("space", "o")
        await settle(pilot)
        assert isinstance(app.screen, ModuleOptionsScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert text_of(screen, "#prompt-preview") == "Thanks for your order.\n\nHello there."
        await pilot.press("K")
        await settle(pilot)
        assert text_of(screen, "#prompt-preview") == "Hello there.\n\nThanks for your order."
    prompt = ui_services.prompts.get(email.id)
    assert [m.name for m in prompt.modules] == ["Greeting", "Body"]
    assert [o.is_default for o in prompt.modules[0].options] == [False, True]


async def test_new_prompt_module_and_variable_by_keys(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_prompts(pilot)
        await pilot.press("n")  # in the Writing folder, where the cursor is
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Tweet")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: screen.current_prompt is not None and screen.current_prompt.name == "Tweet",
            "the new prompt shown",
        )
        await pilot.press("a")
        await type_text(pilot, "Body")
        await pilot.press("tab")
        await type_text(pilot, "Announce {{thing}} in one line.")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "has no variable 'thing'" in text_of(screen, "#prompt-preview"),
            "the preview naming the missing variable",
        )
        await pilot.press("v")
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_text(pilot, "thing")
        await pilot.press("tab", "tab", "tab")  # type, label, default
        await type_text(pilot, "the release")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: text_of(screen, "#prompt-preview") == "Announce the release in one line.",
            "the preview with the variable's default",
        )
        await pilot.press("escape", "F")  # a folder, from anywhere in the view
        await type_text(pilot, "Ideas")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: screen.prompt_tree.item is not None and screen.prompt_tree.item.name == "Ideas",
            "the cursor on the new folder",
        )
        assert "Created the folder 'Ideas'." in notes(app)
    tweet = ui_services.prompts.find("Tweet")
    assert tweet.folder_id == library.folder
    assert [v.name for v in tweet.variables] == ["thing"]


async def test_a_number_variable_with_a_bad_minimum_is_refused_in_the_form(
    make_app: AppFactory, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_prompts(pilot)
        await pilot.press("down", "v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_text(pilot, "count")
        for _ in range(6):  # type, label, default, required, choices, min
            await pilot.press("tab")
        await type_text(pilot, "lots")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert "min must be a number" in str(form.query_one("#error-min").render())


async def test_trash_and_restore(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_prompts(pilot)
        await pilot.press("down", "d")  # Blog post to the trash
        await settle(pilot)
        assert "Moved 'Blog post' to the trash." in notes(app)[-1]
        await pilot.press("T")
        await settle(pilot)
        labels = [str(o.prompt) for o in screen.query_one("#trash-list").options]
        assert labels[0] == "FOLDERS" and labels[1].strip().startswith("Old drafts")
        assert "with 1 prompt" in labels[1]
        assert [label.strip().split("  ")[0] for label in labels[3:]] == [
            "Blog post in Writing",
            "Scratch",
            "Launch email in Old drafts",
        ]
        await pilot.press("down", "r")  # Blog post (the cursor skips the PROMPTS heading)
        await settle(pilot)
        assert "Restored 'Blog post'." in notes(app)[-1]
        await pilot.press("home", "enter")  # Old drafts, with Launch email
        await settle(pilot)
        assert "Restored the folder 'Old drafts'" in notes(app)[-1]
    assert {p.name for p in ui_services.prompts.summaries(trash=True)} == {"Scratch"}
    assert {f.name for f in ui_services.prompts.folders()} == {"Writing", "Old drafts"}


async def test_send_a_rendered_prompt_to_a_new_chat_thread(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_prompts(pilot)
        await pilot.press("down", "down")  # Release notes: nothing to fill in
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.current_mode == "chat"
        assert app.clipboard == ""  # an empty prompt renders as empty text
    (thread,) = [t for t in ui_services.chat.list_threads() if t.title == "Release notes"]
    assert thread.project_id is None
    # The send is kept as a use of the prompt (issue 15: sort by use, recent uses).
    release = ui_services.prompts.find("Release notes")
    assert [u.action for u in ui_services.prompt_usage.recent(release.id)] == ["send"]
    assert release.usage_count == 1


async def test_export_then_import_reports_everything_unchanged(
    make_app: AppFactory, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "lib"
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_prompts(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, LibraryFilesScreen) and not dialog.importing
        await pilot.press("ctrl+u")
        await type_text(pilot, str(folder))
        await pilot.press("enter")
        await settle(pilot)
        report = str(dialog.query_one("#files-report-body").render())
        assert report.startswith("5 components, 2 presets, 3 prompts")
        assert (folder / "components" / "role" / "marketing-expert.md").is_file()
        await pilot.press("escape", "i")
        dialog = app.screen
        assert isinstance(dialog, LibraryFilesScreen) and dialog.importing
        await pilot.press("ctrl+u")
        await type_text(pilot, str(folder))
        await pilot.press("enter")
        await settle(pilot)
        report = str(dialog.query_one("#files-report-body").render())
        assert report == "\n".join(
            [
                f"{folder}: 0 created, 0 updated, 10 unchanged",
                "",
                "Unchanged (already in your library) (10)",
                "  context 'Tech Startup'",
                "  mode 'Ship Mode'",
                "  role 'Code Reviewer'",
                "  role 'Marketing Expert'",
                "  style 'Professional B2B'",
                "  preset 'LinkedIn Pro'",
                "  preset 'Quick Expert'",
                "  prompt 'Standup summary'",
                "  prompt 'Blog post'",
                "  prompt 'Release notes'",
            ]
        )
        await pilot.press("escape")
        await pilot.press("i", "ctrl+u")
        await type_text(pilot, str(tmp_path / "missing"))
        await pilot.press("enter")
        await settle(pilot)
        assert "There is no folder" in str(app.screen.query_one("#error-path").render())


async def test_the_first_prompt_of_an_empty_library_opens_at_once(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_prompts(pilot)
        assert "No prompts yet." in str(screen.prompt_tree.root.children[0].label)
        await pilot.press("n")
        await type_text(pilot, "First")
        await pilot.press("enter")
        # The new prompt takes the line the note had: it must still be loaded and shown.
        await wait_until(
            pilot,
            lambda: screen.current_prompt is not None and screen.current_prompt.name == "First",
            "the first prompt shown",
        )
        assert "a" in {k for k, b in screen.active_bindings.items() if b.enabled}


async def test_names_that_look_like_markup_are_shown_as_typed(
    make_app: AppFactory, ui_services: Services
) -> None:
    odd = "[/] odd [@click=app.quit]q"
    component = ui_services.components.create("role", odd, "Text with [b]brackets[/b].")
    ui_services.presets.create(odd, role=component.id)
    prompt = ui_services.prompts.create(odd)
    ui_services.prompts.add_module(prompt.id, odd, ["Say {{x}}."])
    ui_services.prompts.define_variable(prompt.id, "x", "choice", choices=["[/]", "b"])
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("4", "e")  # the component's form: its name in the title
        await settle(pilot)
        assert odd in title_of(app.screen)
        await pilot.press("escape", "v")  # versions: the name in the title again
        await settle(pilot)
        await pilot.press("escape", "P", "e")  # the preset builder
        await settle(pilot)
        assert odd in title_of(app.screen)
        await pilot.press("escape", "M")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.current_prompt is not None, between=settle)
        assert screen.current_prompt is not None and screen.current_prompt.name == odd
        await pilot.press("tab", "o")  # the module's options: the module name in the title
        await settle(pilot)
        assert isinstance(app.screen, ModuleOptionsScreen)
        await pilot.press("escape", "d")  # the prompt to the trash: a note with the name
        await settle(pilot)
        assert app.is_running
        assert any(odd in n for n in notes(app))


async def test_edit_a_prompt_and_its_modules_in_place_by_keys(
    make_app: AppFactory, ui_services: Services, library: Library
) -> None:
    email = ui_services.prompts.create("Email")
    ui_services.prompts.add_module(email.id, "Greeting", ["Hi."])
    ui_services.prompts.add_module(email.id, "Body", ["Thanks for your order."])
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_prompts(pilot)
        await pilot.press("down", "down", "down")  # Writing > 2 prompts, then Email
        await wait_until(pilot, lambda: screen.current_prompt is not None, between=settle)
        assert screen.current_prompt is not None and screen.current_prompt.name == "Email"
        await pilot.press("e")
        assert isinstance(app.screen, FormScreen) and title_of(app.screen) == "Edit prompt"
        await pilot.press("ctrl+u")
        await type_text(pilot, "Order mail")
        await pilot.press("tab")
        await type_text(pilot, "Thanks a customer.")
        await pilot.press("tab")
        await type_text(pilot, "c" * 51)  # over the category's limit: refused at its field
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # still open, with what was typed
        assert ui_services.prompts.get(email.id).name == "Email"  # nothing written
        await pilot.press("ctrl+u")
        await type_text(pilot, "Sales")
        await pilot.press("tab")
        await type_text(pilot, "mail, Orders")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any(n.startswith("Saved 'Order mail' (v4") for n in notes(app))
        title = text_of(screen, "#prompt-title")
        assert title == "Order mail\nThanks a customer.\nSales · #mail · #orders"
        await pilot.press("tab", "r")  # the modules; rename Greeting
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Hello")
        await pilot.press("enter")
        await settle(pilot)
        assert [m.name for m in screen.current_prompt.modules] == ["Hello", "Body"]
        await pilot.press("D", "y")  # delete it (asks first)
        await settle(pilot)
        assert text_of(screen, "#prompt-preview") == "Thanks for your order."
        await pilot.press("y")  # copy the render: kept as a use
        await settle(pilot)
    after = ui_services.prompts.get(email.id)
    assert (after.name, after.description, after.category, after.tags) == (
        "Order mail",
        "Thanks a customer.",
        "Sales",
        ("mail", "orders"),
    )
    assert [m.name for m in after.modules] == ["Body"] and after.version == 6
    # Every step kept the state before it.
    assert len(ui_services.prompt_edits.versions(email.id)) == 6
    assert [u.action for u in ui_services.prompt_usage.recent(email.id)] == ["copy"]
