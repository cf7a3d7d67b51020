"""The library area: components by type, presets built from them, modular prompts, and the
trash, one view at a time under a bar that also shows the plan's limits.

Every service call runs in a thread worker that posts a message (messages.py); only
handlers change widgets. The screen is built in layers, one file each: LibraryComponents <
LibraryPresets < LibraryPromptEditing < LibraryPrompts < LibraryScreen (layout, views, keys,
limits, reveal, export and import).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Input, Static

from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine
from promptterm.ui.library.keys import ACTION_VIEWS, BINDINGS
from promptterm.ui.library.messages import Changed, LimitsLoaded
from promptterm.ui.library.prompts import LibraryPrompts
from promptterm.ui.library.refresh import LibraryRefresher
from promptterm.ui.library.widgets.bar import VIEWS, LibraryBar
from promptterm.ui.library.widgets.components import ComponentDetails, ComponentList
from promptterm.ui.library.widgets.presets import PresetList, PresetPreview
from promptterm.ui.library.widgets.prompt_pane import PromptPane
from promptterm.ui.library.widgets.prompts import ModuleList, PromptTree
from promptterm.ui.library.widgets.trash import TrashList

# Where the focus goes when a view is shown.
VIEW_FOCUS = {
    "components": "#component-list",
    "presets": "#preset-list",
    "prompts": "#prompt-tree",
    "trash": "#trash-list",
}
MODULE_ACTIONS = {
    "toggle_module",
    "move_module",
    "module_options",
    "rename_module",
    "delete_module",
}
# The Prompts view's keys that leave a prompt as it is: the only ones a prompt someone else
# shares with the user offers (every other one changes it, which its owner alone may).
PROMPT_READS = {
    "new_prompt",
    "new_folder",
    "copy_render",
    "send_to_chat",
    "prompt_history",
    "copy_prompt",
}


class LibraryScreen(LibraryPrompts):
    AREA = "library"
    CSS_PATH = css_path("library.tcss")
    AUTO_FOCUS = "#component-list"
    SUB_TITLE = "Library"
    TYPING_TARGETS: ClassVar[dict[str, str]] = {"component-search": "component search"}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = BINDINGS
    # Help lists each view's keys under it: "d" deletes a component, a preset or a prompt.
    HELP_PANES: ClassVar[dict[str, str]] = {
        action: view.capitalize() for action, view in ACTION_VIEWS.items()
    }

    def __init__(self) -> None:
        super().__init__()
        self._loaded: set[str] = set()  # views loaded at least once (others load when shown)
        self.refresher = LibraryRefresher(self)

    def typing_target(self, widget: Widget) -> str | None:
        if (widget.id or "").startswith("var-"):  # the prompt's variables form
            return f"variable {widget.id[4:]}"  # type: ignore[index]
        return super().typing_target(widget)

    def compose(self) -> ComposeResult:
        yield Header()
        yield LibraryBar()
        with ContentSwitcher(initial="components", id="library-switcher"):
            with Horizontal(id="components"):
                with Vertical(id="components-left", classes="library-left"):
                    yield Input(
                        placeholder="/ search names, descriptions",  # fits the 80-column pane
                        id="component-search",
                        compact=True,
                    )
                    yield Static(id="component-hint", classes="library-hint")
                    yield ComponentList(id="component-list")
                yield ComponentDetails(id="component-details", classes="library-right")
            with Horizontal(id="presets"):
                with Vertical(id="presets-left", classes="library-left"):
                    yield Static(id="preset-hint", classes="library-hint")
                    yield PresetList(id="preset-list")
                yield PresetPreview(id="preset-preview", classes="library-right")
            with Horizontal(id="prompts"):
                with Vertical(id="prompts-left", classes="library-left"):
                    yield PromptTree(id="prompt-tree")
                yield PromptPane(id="prompt-pane", classes="library-right")
            with Vertical(id="trash"):
                yield Static(
                    "Deleted folders and prompts wait here for 30 days. r or enter restores.",
                    classes="library-hint",
                )
                yield TrashList(id="trash-list")
        yield StatusLine()
        yield AreaFooter()

    def on_mount(self) -> None:
        self.query_one(ComponentDetails).show_text("Loading…")
        self.query_one(PresetPreview).show_text("Loading…")
        self.show_view("components")
        self.refresher.start()

    # Staying current (library_refresh) ------------------------------------------------------

    def on_screen_suspend(self) -> None:
        self.refresher.suspended()

    def on_screen_resume(self) -> None:
        self.refresher.resumed()

    @property
    def loaded_views(self) -> set[str]:
        return set(self._loaded)

    def reload_view(self, view: str) -> None:
        self._load_view(view)

    def reload_limits(self) -> None:
        self._fetch_limits()

    # Views --------------------------------------------------------------------------------

    def show_view(self, view: str) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = view
        self.query_one(LibraryBar).show_view(view)
        if view not in self._loaded:
            self._loaded.add(view)
            # Keys typed meanwhile ("M down" at once) wait for the list: one handed to the
            # empty list was lost. Each view's list handler says when it is in (keys_ready).
            self.ready_for_keys = False
            self._load_view(view)
        if view in ("components", "presets") and self.limits is None:
            self._fetch_limits()
        self.query_one(VIEW_FOCUS[view]).focus()
        self.refresh_bindings()

    def _load_view(self, view: str, select: object = None) -> None:
        loaders = {
            "components": self.load_components,
            "presets": self.load_presets,
            "prompts": self.load_prompts,
            "trash": lambda _=None: self.load_trash(),
        }
        loaders[view](select)  # type: ignore[operator]

    def action_show_view(self, view: str) -> None:
        self.show_view(view)

    def action_next_view(self) -> None:
        self.show_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def action_previous_view(self) -> None:
        self.show_view(VIEWS[(VIEWS.index(self.view) - 1) % len(VIEWS)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key from the Footer (and stops it) when it does not apply here.
        view = ACTION_VIEWS.get(action)
        if view is not None and view != self.view:
            return False
        if view == "prompts" and action not in PROMPT_READS and self._read_only_prompt():
            return False  # someone else's, shared to read: the services would refuse it
        if action == "copy_prompt":
            return self.current_prompt is not None and self.prompt_tree.item is not None
        if action in MODULE_ACTIONS:
            return isinstance(self.focused, ModuleList) and self.module_list.selected_id is not None
        if action in ("edit_component", "delete_component", "versions"):
            return self.component_list.selected_id is not None
        if action in ("edit_preset", "delete_preset", "copy_preset"):
            return self.preset is not None
        if action == "fix_preset":
            return self.preset is not None and self.preset.is_incomplete
        if action in (
            "add_module",
            "add_variable",
            "prompt_variables",
            "prompt_history",
            "copy_render",
            "send_to_chat",
        ):
            return self.current_prompt is not None
        if action == "delete_prompt_item":
            return self.prompt_tree.item is not None
        if action == "edit_prompt_item":
            return self._edit_target()
        if action == "back":
            search = self.focused is self.query_one("#component-search")
            return search or (self.view == "prompts" and self._in_pane())
        if action == "restore":
            return self.query_one(TrashList).selected is not None
        return True

    def action_copy_prompt(self) -> None:
        """Y: a copy of the prompt of one's own (the way to change one shared with you)."""
        prompt = self.current_prompt
        if prompt is not None:
            self._copy_prompt(prompt.id, prompt.name)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _copy_prompt(self, prompt_id: uuid.UUID, name: str) -> None:
        copy = self.services.prompts.sharing.copy(prompt_id)
        note = f"Copied {name!r} into your library: this one is yours to change."
        self.post_message(Changed(note, ("prompts",), copy.id))

    def _read_only_prompt(self) -> bool:
        """The prompt under the cursor is someone else's, shared with a workspace of mine."""
        prompt = self.current_prompt
        item = self.prompt_tree.item
        if prompt is None or item is None or item.id != prompt.id:
            return False
        return prompt.user_id is not None and prompt.user_id != self.services.user.id

    def on_key(self, event: events.Key) -> None:
        # Down in the search box goes to the results, as in any search box.
        if event.key == "down" and self.focused is self.query_one("#component-search"):
            self.component_list.focus()
            event.stop()

    def _edit_target(self) -> bool:
        from promptterm.services.library.prompts import FolderInfo

        item = self.prompt_tree.item
        if isinstance(item, FolderInfo):
            return True
        prompt = self.current_prompt
        return item is not None and prompt is not None and item.id == prompt.id

    def _in_pane(self) -> bool:
        focused = self.focused
        return focused is not None and self.pane in focused.ancestors

    def action_back(self) -> None:
        """Esc: out of the search (clearing it) or out of a prompt's fields, to the list."""
        search = self.query_one("#component-search", Input)
        if self.focused is search:
            search.value = ""
            self.component_list.focus()
        elif self._in_pane():
            self.prompt_tree.focus()

    # Limits, changes, refresh -------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-limits")
    def _fetch_limits(self) -> None:
        read = self.reads["limits"].start()
        self.post_message(LimitsLoaded(self.services.billing.summary(), read))

    @on(LimitsLoaded)
    def _limits_loaded(self, message: LimitsLoaded) -> None:
        if not self.reads["limits"].is_newest(message.read):
            return  # read before a write whose own read is shown
        self.limits = message.summary
        self.query_one(LibraryBar).show_limits(message.summary)

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        if message.note:
            self.notify(message.note, markup=False)  # names are the user's text
        for view in message.views:
            if view == "prompt":
                continue  # the prompts layer reloads the open prompt
            if view == self.view or view in self._loaded:
                # Only the first view holds the item to select: a preset's id looked up among
                # the components was a false "That component does not exist".
                select = message.select if view == message.views[0] else None
                self._load_view(view, select)
        if {"components", "presets"} & set(message.views):
            self._fetch_limits()

    def action_refresh(self) -> None:
        self._load_view(self.view)
        self._fetch_limits()

    # Jumps from the palette ---------------------------------------------------------------

    def reveal(self, target: JumpTarget) -> None:
        if target.kind == "component":
            self.component_type = None
            self.component_query = ""
            self.query_one("#component-search", Input).value = ""
            self._loaded.add("components")
            self.show_view("components")
            self.load_components(target.id)
        elif target.kind == "preset":
            self._loaded.add("presets")
            self.show_view("presets")
            self.load_presets(target.id)
        elif target.kind == "prompt":  # a project's prompt, from the explorer or palette
            self._loaded.add("prompts")
            self.show_view("prompts")
            self.load_prompts(target.id)

    # Library files ------------------------------------------------------------------------

    def action_export(self) -> None:
        from promptterm.ui.library.dialogs.io import LibraryExportScreen

        self.app.push_screen(LibraryExportScreen(self.services))

    def action_import(self) -> None:
        from promptterm.ui.library.dialogs.io import LibraryImportScreen

        def done(changed: bool | None) -> None:
            if changed:
                self.post_message(Changed("", ("components", "presets", "prompts")))

        self.app.push_screen(LibraryImportScreen(self.services), done)
