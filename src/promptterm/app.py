"""The App: a switchboard that registers the areas, global keys, palette, theme and keymap.

Everything an area does lives in its folder (ui/<area>/); this module only wires them up.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.signal import Signal
from textual.widgets import Input

from promptterm.area_screens import IMPORTED_AHEAD, SCREENS
from promptterm.ui.activity.opening import ActivityProvider, show_last_error
from promptterm.ui.common.alt_digits import read_alt_digits_as_alt
from promptterm.ui.common.areas import AREAS, DEFAULT_AREA, area_bindings
from promptterm.ui.common.attention import DoneNotifier
from promptterm.ui.common.commands import (
    DemoProvider,
    JumpProvider,
    ScreenActionsProvider,
    ThemeProvider,
)
from promptterm.ui.common.key_queue import KeyHandled, KeyQueue, ReadyForKeys
from promptterm.ui.common.long_lived import collect_young_in_batches, keep_out_of_collections
from promptterm.ui.common.palette import Palette
from promptterm.ui.common.parsed_styles import ParsedOnceStylesheet
from promptterm.ui.common.quitting import quit_asking_first
from promptterm.ui.common.session import (
    ServicesFailed,
    ServicesHandle,
    ServicesOpened,
    StartProjectFound,
)
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.terminal_text import install as show_control_characters

# The app empties the prompt trash once a day while it runs (and every start does it).
TRASH_PURGE_SECONDS = 24 * 60 * 60
# The services open once the first screen shows its content, or after this many seconds.
OPEN_AT_THE_LATEST = 0.5
# Seconds after the services open until IMPORTED_AHEAD's areas are imported: the start-up's
# own reads and the first screen come first.
IMPORT_AHEAD_AFTER = 1.0

if TYPE_CHECKING:
    from pathlib import Path

    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.theme import Theme

    from promptterm.config import Settings
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import WorkspaceInfo
    from promptterm.ui.common.jump import JumpTarget


class PromptTermApp(App[None]):
    TITLE = "promptterm"
    # The first screen's file is read with the App's: a screen's own CSS_PATH makes Textual
    # re-parse and re-apply every stylesheet when it is first shown, which before the first
    # frame cost more than the rest of the explorer. Later areas and dialogs bring their own.
    CSS_PATH = css_path("base.tcss", "explorer.tcss")
    COMMANDS = {JumpProvider, ScreenActionsProvider, ThemeProvider, DemoProvider, ActivityProvider}
    MODES = {area.name: SCREENS[area.name] for area in AREAS}
    # Start straight in the first area: no blank default screen is built and drawn first.
    DEFAULT_MODE = DEFAULT_AREA
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", id="app-help", tooltip="List every key"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app-palette"),
        Binding("q,ctrl+q", "quit", "Quit", show=False, id="app-quit", priority=False),
        Binding("ctrl+t", "change_theme", "Switch theme", show=False, id="app-theme"),
        Binding("ctrl+e", "show_last_error", "Show last error", show=False, id="app-last-error"),
        *area_bindings(),
    ]

    # What the user is working on; the status line shows it and later areas start from it.
    current_workspace: reactive[WorkspaceInfo | None] = reactive(None)
    current_project: reactive[ProjectInfo | None] = reactive(None)

    # True once the services are open (at once, unless the App was given an opener).
    services_ready: reactive[bool] = reactive(False)

    def __init__(
        self,
        services: Services | Callable[[], Services],
        settings: Settings,
        *,
        animate: bool = False,
        cursor_blink: bool = True,
        project: ProjectInfo | None = None,
        notices: Sequence[str] = (),
        start_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.stylesheet = ParsedOnceStylesheet(variables=self.get_css_variables())
        # Names and texts from outside draw their control characters, never send them.
        show_control_characters()
        # Building the first frame allocates thousands of long-lived objects (widgets,
        # styles, strips); the cyclic collector scanning them meanwhile only delays that
        # frame (by about a fifth, measured). It is switched on right after the frame, also
        # when a launcher switched it off even earlier (before the imports).
        gc.disable()
        self.session = ServicesHandle(services)
        # Set once the start screen shows its content (or knows it must wait for the
        # services): the database opens then, not while that screen draws.
        self._content_shown = threading.Event()
        # News that token usage or limits changed (a send, a plan or budget change): publish
        # None and every status line's meter reloads.
        self.usage_signal: Signal[None] = Signal(self, "usage")
        self.set_reactive(PromptTermApp.services_ready, self.session.ready)
        self.settings = settings
        self.cursor_blink = cursor_blink
        # Animation redraws the whole screen many times a second: slow over SSH, so opt-in.
        self.animation_level = "full" if animate else "none"
        if settings.theme in self.available_themes and settings.theme != self.theme:
            self.theme = settings.theme
        self._unknown_theme = settings.theme not in self.available_themes
        self.set_keymap(settings.keymap)
        read_alt_digits_as_alt()  # alt+1 … alt+5 switch areas, also in tmux and over SSH
        self._start_on = project  # `promptterm open PATH`: start on it, in the editor
        # Keys typed while a screen switches wait for the screen that ends up in front.
        self.keys = KeyQueue(self, super().on_event)
        self._notices = tuple(notices)  # what that command's scan must tell the user
        notice = settings.done_notice
        self._done = DoneNotifier(notice.kind, notice.after_seconds, self._write_to_terminal)
        # Plain `promptterm` in a bound folder (or below one): start on that project too.
        self._start_folder = start_folder if project is None else None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.keys.receive(event)
        else:
            await super().on_event(event)

    @property
    def keys_pending(self) -> bool:
        return self.keys.pending

    def on_key_handled(self, marker: KeyHandled) -> None:
        self.keys.handled(marker)

    def on_ready_for_keys(self, message: ReadyForKeys) -> None:
        self.keys.screen_ready(message)

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_frame_shown)
        if self._start_on is not None:
            self.current_project = self._start_on
            self.call_later(self.switch_mode, "editor")
        self._report_unknown_keymap_ids()
        for notice in self._notices:
            self.notify(notice, title="Written to disk", severity="warning", timeout=15)
        if self._unknown_theme:
            self.notify(
                f"There is no theme {self.settings.theme!r}; using {self.theme}. "
                "Press ctrl+t to pick one.",
                severity="warning",
            )
        if self.settings.done_notice.problem:
            problem = self.settings.done_notice.problem
            self.notify(f"{problem} Notifications stay off.", severity="warning")
        # Subscribed after the start-up theme is set, so only a user's choice is saved.
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.session.needs_opening:
            # After the first frame: the user sees the app while the database opens.
            self.call_after_refresh(self._open_services)
        elif self._start_folder is not None:
            self._find_start_project(self._start_folder)
        # The start emptied the prompt trash (cli.main.open_services); a session left open
        # for days empties it once a day too (the worker waits for the database to open).
        self.set_interval(TRASH_PURGE_SECONDS, self._purge_trash, name="prompt-trash-purge")
        # The activity log's retention: at start, then daily (the worker waits for the database).
        self._keep_log_retention()
        self.set_interval(TRASH_PURGE_SECONDS, self._keep_log_retention, name="log-retention")

    def _report_unknown_keymap_ids(self) -> None:
        from promptterm import locations
        from promptterm.keymap_ids import unknown_ids_message, unknown_keymap_ids

        unknown = unknown_keymap_ids(self.settings.keymap)
        if unknown:
            where = self.settings.config_file or locations.config_file()
            self.notify(unknown_ids_message(unknown, where), severity="warning", timeout=15)

    def _first_frame_shown(self) -> None:
        gc.enable()
        collect_young_in_batches()
        keep_out_of_collections()

    def _load_screen_css(self, screen: Screen) -> None:
        # Textual restyles every widget of every screen when a screen's own file is first
        # read. An area's file nests each rule under its screen's type: it can match only
        # that screen, which is not built yet, so only the screen itself is restyled.
        sheet = self.stylesheet
        paths = [str(path) for path in screen.css_path]
        new = [path for path in paths if not sheet.has_source(path, "")]
        if (
            not new
            or screen.CSS
            or self.css_monitor is not None
            or not isinstance(sheet, ParsedOnceStylesheet)
        ):
            super()._load_screen_css(screen)  # (Textual's: nothing new, or more than files)
            return
        for path in new:
            sheet.read(path)
        sheet.reparse()
        kind = screen._css_type_name
        scoped = all(sheet.only_inside((path, ""), kind) for path in new)
        sheet.update(screen if scoped else self)

    @property
    def services(self) -> Services:
        """The service layer; in a worker thread this waits until it is open."""
        return self.session.get()

    def first_content_shown(self) -> None:
        """The start screen shows its content (the explorer, from its early read), or will
        only with the services: open them now. Safe from any thread."""
        self._content_shown.set()

    @work(thread=True, exit_on_error=False, group="app-open")
    def _open_services(self) -> None:
        # Importing SQLAlchemy and the services is most of a second of pure Python: in this
        # thread meanwhile it would halve the interpreter time the first screen draws with.
        self._content_shown.wait(OPEN_AT_THE_LATEST)
        try:
            self.session.open()
        except Exception as exc:
            self.post_message(ServicesFailed(exc))
        else:
            self.post_message(ServicesOpened())

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._first_frame_shown()  # in case it ends before its first frame
        self._content_shown.set()
        self.session.close()
        super().exit(*args, **kwargs)

    def on_services_opened(self) -> None:
        self.services_ready = True
        keep_out_of_collections()  # SQLAlchemy, the models and the services: here for good
        self.set_timer(IMPORT_AHEAD_AFTER, self._prepare_ahead)
        if self.services.read_only is not None:
            # Shown, not fatal: everything can be looked at; each write says why it failed.
            self.notify(self.services.read_only, title="Read-only", severity="warning", timeout=15)
        if self._start_folder is not None:
            self._find_start_project(self._start_folder)
        from promptterm.ui.mcp.background import start_background_checks

        start_background_checks(self, self.services, self.settings.mcp_check_minutes)

    def _prepare_ahead(self) -> None:
        # The theme as it is now: the rules parsed ahead are kept under it.
        sheet = self.stylesheet
        if isinstance(sheet, ParsedOnceStylesheet):
            self._import_ahead(sheet.theme_variables())

    @work(thread=True, exit_on_error=False, group="app-import-ahead")
    def _import_ahead(self, theme: dict[str, str]) -> None:
        """Import the areas of IMPORTED_AHEAD, parse their stylesheets and run their
        ``prepare_ahead`` while the user looks at the first screen: the first key to one of
        them then only builds its screen."""
        from promptterm.ui.common.styles_ahead import area_sources

        for name in IMPORTED_AHEAD:
            module = import_module(name)
            ParsedOnceStylesheet.parse_ahead(theme, area_sources(name.rpartition(".")[0]))
            try:
                getattr(module, "prepare_ahead", lambda services: None)(self.services)
            except Exception as exc:  # best effort: the first open then does it itself
                self.log.warning(f"{name} not prepared ahead: {exc!r}")
        keep_out_of_collections()  # modules, classes and rules: here for good

    @work(thread=True, exclusive=True, exit_on_error=False, group="app-trash")
    def _purge_trash(self) -> None:
        try:
            removed = self.services.prompts.purge_trash()
        except Exception as exc:  # best effort (a read-only database): tomorrow tries again
            self.log.warning(f"prompt trash not emptied: {exc!r}")
        else:
            self.log.info(f"emptied the prompt trash: {removed} item(s) older than 30 days")

    @work(thread=True, exclusive=True, exit_on_error=False, group="app-log-retention")
    def _keep_log_retention(self) -> None:
        try:
            from textual.worker import get_current_worker

            worker = get_current_worker()
            # In short steps; quitting cancels the worker, the next start goes on from there.
            removed = self.services.activity.purge(lambda: worker.is_cancelled)
        except Exception as exc:  # best effort (a read-only database): tomorrow tries again
            self.log.warning(f"activity log retention not applied: {exc!r}")
        else:
            self.log.info(f"activity log retention: {removed} entries removed")

    def action_show_last_error(self) -> None:
        show_last_error(self)

    def action_command_palette(self) -> None:
        # Ours: the first hits show without waiting for the recent projects' read.
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    @work(thread=True, exit_on_error=False, group="app-start-project")
    def _find_start_project(self, folder: Path) -> None:
        from promptterm.services.errors import ServiceError

        services = self.services
        project_id = services.disk_sync.find_bound_above(folder)
        if project_id is None:
            return
        try:  # as `promptterm open` does: what changed on disk meanwhile comes in first
            services.disk_sync.scan(project_id)
        except ServiceError as exc:
            self.notify(exc.message, severity="warning")  # notify is thread-safe
        self.post_message(StartProjectFound(services.projects.open(project_id)))

    def on_start_project_found(self, message: StartProjectFound) -> None:
        self.current_project = message.project
        # Only if the user has not gone elsewhere while the database opened.
        if self.current_mode == DEFAULT_AREA and not isinstance(self.screen, ModalScreen):
            self.call_later(self.switch_mode, "editor")

    def on_services_failed(self, message: ServicesFailed) -> None:
        # The words the CLI prints when it opens the database itself, after the UI closes.
        self.exit(return_code=2, message=f"promptterm: {message.error}")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A blinking cursor makes snapshots depend on timing; tests switch it off app-wide.
        if not self.cursor_blink and isinstance(event.widget, Input):
            event.widget.cursor_blink = False

    def _theme_changed(self, theme: Theme) -> None:
        self._save_theme(theme.name)

    @work(thread=True, exit_on_error=False, group="app-preferences")
    def _save_theme(self, name: str) -> None:
        from promptterm.ui.common.preferences import PreferencesError, save_theme

        try:
            save_theme(name)
        except PreferencesError as exc:
            self.notify(exc.args[0], severity="warning", timeout=10)  # notify is thread-safe

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Notifications carry names people typed ("Deleted '[/]x'"): read as markup they
        # could raise or turn into click actions, so promptterm's are always plain text.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def answer_finished(self, area: str, seconds: float, what: str) -> None:
        """An answer that took ``seconds`` finished in ``area``: if the user is in another
        one and it took long enough, the bell or a desktop notification (opt-in)."""
        self._done.answer_finished(seconds, away=self.current_mode != area, what=what)

    def _write_to_terminal(self, sequence: str) -> None:
        # Textual 8 has no public call for a raw sequence; bell() and the OSC 52 clipboard
        # write through the driver the same way (and bell() skips it when headless).
        if self._driver is not None:
            self._driver.write(sequence)

    async def action_quit(self) -> None:
        quit_asking_first(self)  # (asks first while an answer streams or a run goes on)

    def action_help(self) -> None:
        from promptterm.ui.common.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def jump(self, target: JumpTarget) -> None:
        """Show ``target`` (from the palette) in the area that owns it."""
        await self.switch_mode(target.area)
        reveal = getattr(self.screen, "reveal", None)
        if reveal is not None:
            reveal(target)

    async def load_demo(self) -> None:
        """The palette's "Load the demo": the explorer loads it and selects it."""
        from promptterm.ui.explorer.screen import ExplorerScreen

        await self.switch_mode("explorer")
        if isinstance(self.screen, ExplorerScreen):
            self.screen.load_demo()
