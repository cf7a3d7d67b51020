"""The app shell: first run and the demo, themes saved to the config, keymap, styles."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from promptterm import locations
from promptterm.app import PromptTermApp
from promptterm.services.demo import load_demo
from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.common.preferences import PreferencesError, save_theme
from promptterm.ui.common.styles import STYLE_FILES, styles_dir
from promptterm.ui.library.widgets.components import ComponentList
from support.clock import FixedClock
from ui.editor.scenarios import bound_site, settle_editor
from ui.fixtures import AppFactory
from ui.helpers import (
    cursor_label,
    settle,
    tree_labels,
    type_text,
    wait_for_workers,
    wait_until,
)
from ui.scenarios import SMALL, World, settings_for


@pytest.mark.anyio
async def test_welcome_then_demo(make_app: AppFactory, ui_services: Services) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#explorer-switcher").current == "welcome"
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.query_one("#explorer-switcher").current == "browser"
        assert cursor_label(app) == "Demo  2"
        assert tree_labels(app)[1:3] == [
            "  Landing Page  TypeScript",
            "  LinkedIn Campaign  Markdown",
        ]
        # A component found in the palette opens in the library, selected.
        await pilot.press("ctrl+p")
        await type_text(pilot, "ship m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "library"
        selected = app.screen.query_one("#component-list", ComponentList).selected_id
        ship = ui_services.components.find("Ship Mode", "mode")
        assert selected == ship.id
    assert {c.name for c in ui_services.components.list()} == {
        "Marketing Expert",
        "Professional B2B",
        "Tech Startup",
        "Ship Mode",
    }


@pytest.mark.anyio
async def test_the_palette_loads_the_demo_from_any_area(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for _ in range(2):  # a second time adds nothing
            await pilot.press("5")
            await settle(pilot)
            await pilot.press("ctrl+p")
            await type_text(pilot, "load the demo")
            await settle(pilot)
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.current_mode == "explorer", between=settle)
            await wait_until(pilot, lambda: (cursor_label(app) or "").startswith("Demo"), "Demo")
    assert [w.name for w in ui_services.workspaces.list()].count("Demo") == 1
    assert len(ui_services.components.list()) == 4


def test_demo_loads_twice_without_duplicates(ui_services: Services) -> None:
    first = load_demo(ui_services)
    second = load_demo(ui_services)
    assert first.id == second.id
    assert [w.name for w in ui_services.workspaces.list()] == ["Demo"]
    assert len(ui_services.projects.list()) == 2
    assert len(ui_services.components.list()) == 4
    presets = {p.name: p for p in ui_services.presets.list()}
    assert set(presets) == {"LinkedIn Pro", "Quick Expert"}
    assert len(presets["LinkedIn Pro"].parts) == 4
    assert [c.type for c in presets["Quick Expert"].parts] == ["role", "mode"]
    (thread,) = ui_services.chat.list_threads()
    assert thread.title == "LinkedIn post ideas"
    assert thread.current_preset_id == presets["LinkedIn Pro"].id
    assert ui_services.chat.message_count(thread.id) == 2


@pytest.mark.anyio
async def test_theme_choice_is_saved_in_the_config(make_app: AppFactory) -> None:
    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('# mine\n[database]\nurl = "sqlite:///x.db"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "to nord")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await wait_for_workers(app)
        assert app.theme == "nord"
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# mine\n")
    assert tomllib.loads(text) == {"database": {"url": "sqlite:///x.db"}, "ui": {"theme": "nord"}}


@pytest.mark.anyio
async def test_saved_theme_and_keymap_apply_at_start(make_app: AppFactory) -> None:
    app = make_app(theme="gruvbox", keymap={"explorer-new-workspace": "a"})
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
        await pilot.press("a")
        assert isinstance(app.screen, FormScreen)


def test_save_theme_edits_only_the_theme_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\n# pick one\ntheme = "nord"  \n\n[keymap]\napp-quit = "x"\n')
    save_theme("dracula", config)
    assert config.read_text() == '[ui]\n# pick one\ntheme = "dracula"\n\n[keymap]\napp-quit = "x"\n'
    save_theme("nord", tmp_path / "new" / "config.toml")
    assert tomllib.loads((tmp_path / "new" / "config.toml").read_text()) == {
        "ui": {"theme": "nord"}
    }


def test_save_theme_refuses_a_broken_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[ui\n")
    with pytest.raises(PreferencesError, match="not valid TOML"):
        save_theme("nord", config)
    assert config.read_text() == "[ui\n"


def test_styles_are_found_and_use_theme_variables_only() -> None:
    folder = styles_dir()
    for name in STYLE_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        # A colour written out (in a rule's value) would ignore the user's theme.
        assert not re.search(r":[^;{}]*#[0-9a-fA-F]{3,8}\b", text), name


@pytest.mark.anyio
async def test_the_tree_shows_the_workspaces_before_the_services_open(
    ui_services: Services, world: object
) -> None:
    """The first screen has content while SQLAlchemy and the services still load (the
    explorer reads it with plain sqlite3); once they are open it is loaded through them."""
    import threading

    from promptterm.app import PromptTermApp
    from promptterm.ui.common.widgets.status import StatusLine
    from support.waiting import CEILING
    from ui.scenarios import settings_for

    gate = threading.Event()

    def opener() -> Services:
        gate.wait(CEILING)  # the database is slow today (until the test opens the gate)
        return ui_services

    app = PromptTermApp(services=opener, settings=settings_for(ui_services), cursor_blink=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: tree_labels(app)[:1] == ["Acme  2"], "the early tree")
        assert "opening the database…" in str(app.screen.query_one(StatusLine).render())
        assert not app.services_ready
        early = tree_labels(app)
        gate.set()
        await settle(pilot)
        assert app.services_ready
        assert tree_labels(app) == early
        assert "ada" in str(app.screen.query_one(StatusLine).render())


@pytest.mark.anyio
async def test_an_empty_database_shows_the_welcome_before_the_services_open(
    ui_services: Services,
) -> None:
    import threading

    from promptterm.app import PromptTermApp
    from promptterm.ui.explorer.widgets.welcome import WelcomeView
    from support.waiting import CEILING
    from ui.scenarios import settings_for

    gate = threading.Event()

    def opener() -> Services:
        gate.wait(CEILING)
        return ui_services

    app = PromptTermApp(services=opener, settings=settings_for(ui_services), cursor_blink=False)
    async with app.run_test(size=SMALL) as pilot:

        def welcome_shown() -> bool:
            return app.screen.query_one("#explorer-switcher").current == "welcome"

        await wait_until(pilot, welcome_shown, "the welcome screen")
        assert not app.services_ready
        assert "ada" in str(app.screen.query_one("#welcome-title").render())
        gate.set()
        await settle(pilot)
        assert app.services_ready and welcome_shown()
        assert len(app.screen.query(WelcomeView)) == 1


@pytest.mark.anyio
async def test_a_database_that_cannot_open_ends_the_app_with_the_reason(
    ui_services: Services,
) -> None:
    from promptterm.app import PromptTermApp
    from promptterm.db.errors import DatabaseUnavailable
    from ui.scenarios import settings_for

    def opener() -> Services:
        raise DatabaseUnavailable("Cannot open the database x: server down. Start it.")

    app = PromptTermApp(services=opener, settings=settings_for(ui_services))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert not app.is_running


def test_every_binding_has_an_id_for_the_keymap() -> None:
    from textual.binding import Binding

    from promptterm.app import PromptTermApp
    from promptterm.ui.common.dialogs.confirm import ConfirmScreen
    from promptterm.ui.common.dialogs.form import FormScreen
    from promptterm.ui.common.help import HelpScreen
    from promptterm.ui.explorer.dialogs.members import MembersScreen
    from promptterm.ui.explorer.screen import ExplorerScreen
    from promptterm.ui.explorer.widgets.tree import ExplorerTree
    from promptterm.ui.explorer.widgets.welcome import WelcomeView

    owners = (PromptTermApp, ExplorerScreen, ExplorerTree, WelcomeView)
    owners += (ConfirmScreen, FormScreen, MembersScreen, HelpScreen)
    bindings = [b for owner in owners for b in owner.BINDINGS if isinstance(b, Binding)]
    assert bindings and all(b.id for b in bindings)
    assert len({b.id for b in bindings}) == len(bindings)  # one id, one binding
    # Keys that tmux or a terminal swallow are never the only way to do something.
    for b in bindings:
        keys = set(b.key.split(","))
        assert keys - {"ctrl+s", "ctrl+b", "ctrl+a", "ctrl+h", "ctrl+m", "ctrl+i"}, b


@pytest.mark.anyio
@pytest.mark.parametrize("where", ["", "src"])
async def test_started_inside_a_bound_folder_it_opens_that_project(
    ui_services: Services, clock: FixedClock, tmp_path: Path, where: str
) -> None:
    """Plain `promptterm` in a folder bound with `promptterm open` (or below it) starts on
    that project in the editor, as `promptterm open` does; files changed meanwhile come in."""
    project_id, root = bound_site(ui_services, clock, tmp_path / "site")
    (root / "notes.md").write_text("# new while closed\n", encoding="utf-8")
    app = PromptTermApp(
        services=ui_services,
        settings=settings_for(ui_services),
        cursor_blink=False,
        start_folder=root / where,
    )
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "editor", between=settle_editor)
        assert app.current_project is not None and app.current_project.id == project_id
        assert type(app.screen).__name__ == "EditorScreen"
    assert ui_services.files.find(project_id, "notes.md") is not None  # rescanned


@pytest.mark.anyio
async def test_started_in_a_folder_nobody_bound_it_opens_as_usual(
    ui_services: Services, world: World, tmp_path: Path
) -> None:
    app = PromptTermApp(
        services=ui_services,
        settings=settings_for(ui_services),
        cursor_blink=False,
        start_folder=tmp_path,
    )
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.current_mode == "explorer"
