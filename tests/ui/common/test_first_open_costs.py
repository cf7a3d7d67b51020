"""What an area's first open does not pay for: a restyle of every screen already built, a
full pass of the garbage collector over everything start-up made (frozen after the first
frame), and, for the plan area, importing its modules, parsing its stylesheets and compiling
its board's SQL statements (done while the first screen shows). A theme chosen later still
reaches every area, built or not."""

from __future__ import annotations

import gc
import sys
import threading

import pytest
from textual.cache import LRUCache
from textual.color import Color
from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet
from textual.worker import Worker, WorkerState

from promptterm.services.facade import Services
from promptterm.ui.common.long_lived import YOUNG_BATCH
from promptterm.ui.common.parsed_styles import KEPT, ParsedOnceStylesheet
from promptterm.ui.explorer.screen import ExplorerScreen
from promptterm.ui.plan.actions import PlanActions
from promptterm.ui.plan.screen import PlanScreen
from support.sql_compiles import watched_executions
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.plan.world import seed_board
from ui.scenarios import SMALL, World, settings_for

# own_sql_cache: it counts what the first open compiles.
pytestmark = [pytest.mark.anyio, pytest.mark.own_sql_cache]


async def test_a_first_visit_to_an_area_does_not_restyle_every_screen(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    refreshes: list[object] = []
    refresh_css = app.refresh_css

    def counted(animate: bool = True) -> None:
        refreshes.append(app.screen)
        refresh_css(animate)

    monkeypatch.setattr(app, "refresh_css", counted)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        refreshes.clear()
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan area")
        await settle(pilot)
        assert refreshes == []


async def test_a_theme_chosen_later_reaches_an_area_built_before(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan area")
        await settle(pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
        before = Color.parse(app.get_css_variables()["accent"])
        mine = app.available_themes[app.theme].accent
        app.theme = next(
            name
            for name, theme in app.available_themes.items()
            if theme.accent is not None and theme.accent.lower() != (mine or "").lower()
        )
        await settle(pilot)
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan area")
        await settle(pilot)
        # The column titles are in the theme's accent: the new one, as a fresh build shows.
        title = app.screen.query_one(".plan-column-title")
        assert title.styles.color == Color.parse(app.get_css_variables()["accent"]) != before


async def test_what_start_up_made_is_left_out_of_later_collections(
    make_app: AppFactory, ui_services: Services, world: World
) -> None:
    gc.unfreeze()  # what earlier tests in this process froze
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(700, middle, oldest)  # Python's default, as earlier tests' apps left it
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        # After the first frame (whenever the machine gets there): collected again, and
        # what start-up made left out of it.
        await wait_until(
            pilot,
            lambda: gc.isenabled() and gc.get_freeze_count() > 0,
            "start-up's objects kept out of collections",
            between=settle,
        )
        # And a frame's short-lived objects are collected in batches, not every 700.
        assert gc.get_threshold() == (YOUNG_BATCH, middle, oldest)


async def test_the_areas_imported_ahead_are_while_the_first_screen_shows(
    ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promptterm import app as app_module

    probe = "ui.common.import_ahead_probe"
    monkeypatch.delitem(sys.modules, probe, raising=False)
    monkeypatch.setattr(app_module, "IMPORTED_AHEAD", (probe,))
    monkeypatch.setattr(app_module, "IMPORT_AHEAD_AFTER", 0.01)
    app = app_module.PromptTermApp(
        services=lambda: ui_services, settings=settings_for(ui_services), cursor_blink=False
    )
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: probe in sys.modules, "the import ahead", between=settle)
        assert isinstance(app.screen, ExplorerScreen)


async def test_the_plan_areas_first_open_parses_imports_and_compiles_nothing(
    ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promptterm import app as app_module

    seed_board(ui_services, world.website)
    for n in range(20):  # a column taller than the screen: it shows a scrollbar
        ui_services.plan.add(world.website, "task", f"Task {n}")
    monkeypatch.setattr(app_module, "IMPORT_AHEAD_AFTER", 0.01)
    # Nothing parsed by earlier tests in this process: this session's own start only.
    monkeypatch.setattr(ParsedOnceStylesheet, "_parsed", LRUCache(KEPT))
    parsed_here: list[CSSLocation] = []
    parse = Stylesheet._parse_rules

    def watched(
        sheet: Stylesheet, css: str, read_from: CSSLocation, *args: object, **kwargs: object
    ) -> list[RuleSet]:
        if threading.current_thread() is threading.main_thread():  # (the UI thread)
            parsed_here.append(read_from)
        return parse(sheet, css, read_from, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Stylesheet, "_parse_rules", watched)
    # Nothing compiled by the seeding above or earlier tests: this session's own start only.
    ui_services.ctx.db.engine.clear_compiled_cache()
    reading = threading.local()
    read_board = PlanActions.read_board

    def watched_read(screen: PlanActions, *args: object, **kwargs: object) -> object:
        reading.board = True
        try:
            return read_board(screen, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            reading.board = False

    monkeypatch.setattr(PlanActions, "read_board", watched_read)
    app = app_module.PromptTermApp(
        services=lambda: ui_services, settings=settings_for(ui_services), cursor_blink=False
    )
    steps: list[Worker[None]] = []
    import_ahead = app._import_ahead

    def watched_step(*args: object) -> Worker[None]:
        steps.append(import_ahead(*args))
        return steps[-1]

    monkeypatch.setattr(app, "_import_ahead", watched_step)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: bool(steps), "the import ahead", between=settle)
        await steps[0].wait()
        assert steps[0].state == WorkerState.SUCCESS
        assert isinstance(app.screen, ExplorerScreen)
        parsed_here.clear()
        imported = set(sys.modules)
        app.current_project = ui_services.projects.get(world.website)
        engine = ui_services.ctx.db.engine
        with watched_executions(engine, lambda: getattr(reading, "board", False)) as seen:
            await pilot.press("6")
            await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan area")
            screen = app.screen
            assert isinstance(screen, PlanScreen)
            # Its other sections too (built right after the board's cards are drawn).
            await wait_until(
                pilot, lambda: bool(screen.query("#plan-notes")), "the notes", between=settle
            )
            # The first read (the top of each column) and the whole board after it.
            await wait_until(
                pilot, lambda: screen.board is not None and screen.board.complete, "the board"
            )
            await settle(pilot)
        assert parsed_here == []
        assert sorted(set(sys.modules) - imported) == []
        assert seen.run
        assert seen.compiled == []


async def test_a_failing_preparation_ahead_is_logged_and_the_area_still_opens(
    ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promptterm import app as app_module
    from promptterm.services.plan.board import PlanService

    seed_board(ui_services, world.website)
    monkeypatch.setattr(app_module, "IMPORT_AHEAD_AFTER", 0.01)

    def broken(service: PlanService, first: int) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PlanService, "warm", broken)
    app = app_module.PromptTermApp(
        services=lambda: ui_services, settings=settings_for(ui_services), cursor_blink=False
    )
    logged: list[str] = []
    monkeypatch.setattr(
        type(app.log), "warning", lambda log, *words, **kw: logged.append(" ".join(map(str, words)))
    )
    steps: list[Worker[None]] = []
    import_ahead = app._import_ahead

    def watched_step(*args: object) -> Worker[None]:
        steps.append(import_ahead(*args))
        return steps[-1]

    monkeypatch.setattr(app, "_import_ahead", watched_step)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: bool(steps), "the import ahead", between=settle)
        await steps[0].wait()
        assert steps[0].state == WorkerState.SUCCESS
        assert any("the database went away" in line for line in logged)
        app.current_project = ui_services.projects.get(world.website)
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan area")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        await wait_until(pilot, lambda: screen.board is not None, "the board", between=settle)
