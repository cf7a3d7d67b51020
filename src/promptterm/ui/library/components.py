"""The components view of the library: load, search, sort, filter by type, create, edit,
delete and open a component's versions.

The base of LibraryScreen (LibraryComponents < LibraryPresets < LibraryPrompts <
LibraryScreen, one file each); a Screen subclass, so Textual collects its ``@on`` handlers.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import Input, OptionList
from textual.worker import get_current_worker

from promptterm.services.errors import NotFound
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.library.messages import Changed, ComponentLoaded, ComponentsLoaded
from promptterm.ui.library.widgets.components import (
    SORTS,
    TYPES,
    ComponentDetails,
    ComponentList,
    sort_hint,
)

if TYPE_CHECKING:
    from promptterm.services.billing.service import UsageSummary
    from promptterm.services.hints import Hints
    from promptterm.services.library.components import ComponentInfo

# Rows per type on screen; more than that is what the search is for.
PAGE = 200
# What the library reads in threads and shows, each numbered on its own (ReadOrder).
READS = ("components", "component", "presets", "prompts", "prompt", "trash", "limits")


def limit_message(summary: UsageSummary | None, key: str, hints: Hints) -> str | None:
    """The LimitReached words when the plan has no room left for one more, else None."""
    if summary is None:
        return None
    line = summary.line(key)
    if line.limit is None or line.used < line.limit:
        return None
    from promptterm.services.billing.limits import way_up

    return (
        f"The {summary.plan.name} plan allows {line.limit} {line.label} and you have "
        f"{line.used}. {way_up(summary.plan.slug, 'delete some you no longer use', hints)}"
    )


class LibraryComponents(AreaScreen):
    def __init__(self) -> None:
        super().__init__()
        self.view = "components"
        self.limits: UsageSummary | None = None
        self.component_sort = SORTS[0]
        self.component_type: str | None = None
        self.component_query = ""
        self._component_select: uuid.UUID | None = None
        self._shown_component: ComponentInfo | None = None
        self._components_shown: object = None  # the last answer shown, to skip equal ones
        # Each list is read in a thread, again after each write and every few seconds
        # (refresh.py): an answer older than the one shown is not shown over it.
        self.reads = {name: ReadOrder() for name in READS}

    @property
    def component_list(self) -> ComponentList:
        return self.query_one("#component-list", ComponentList)

    # Loading ------------------------------------------------------------------------------

    def load_components(self, select: uuid.UUID | None = None) -> None:
        if select is not None:
            self._component_select = select
        self.query_one("#component-hint").update(
            sort_hint(self.component_sort, self.component_type)
        )
        self._fetch_components(self.component_sort, self.component_type, self.component_query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-components")
    def _fetch_components(self, sort: str, kind: str | None, query: str) -> None:
        read = self.reads["components"].start()
        components = self.services.components
        kinds = (kind,) if kind else TYPES
        groups = {
            k: components.summaries(k, sort=sort, query=query or None, limit=PAGE)  # type: ignore[arg-type]
            for k in kinds
        }
        # Searching, the page is what matches; otherwise the totals say how many are left out.
        counts = {k: len(rows) for k, rows in groups.items()} if query else components.counts()
        # A newer search replaced this one while it ran: its answer would overwrite the newer.
        if not get_current_worker().is_cancelled:
            self.post_message(ComponentsLoaded(groups, counts, read))

    @on(ComponentsLoaded)
    def _components_loaded(self, message: ComponentsLoaded) -> None:
        self.keys_ready()  # a list is in (this or a newer one): keys typed meanwhile come in
        if not self.reads["components"].is_newest(message.read):
            return  # read before a write (or a search) whose own read is shown
        shown = (message.groups, message.counts, self.component_sort, self.component_query)
        if self._component_select is None and shown == self._components_shown:
            return  # a refresh that found nothing new: the list stays as it is
        self._components_shown = shown
        select, self._component_select = self._component_select, None
        self.component_list.show(
            message.groups,
            message.counts,
            sort=self.component_sort,
            query=self.component_query,
            now=self.now(),
            keep=select,
        )
        if select is not None and self.component_list.selected_id != select:
            self._find_elsewhere(select)
        self._component_moved()

    def _find_elsewhere(self, component_id: uuid.UUID) -> None:
        """A component to show that this page leaves out: search for it by name."""
        self._reveal_component(component_id)

    @work(thread=True, exit_on_error=False, group="library-components")
    def _reveal_component(self, component_id: uuid.UUID) -> None:
        read = self.reads["component"].start()
        component = self.services.components.get(component_id)
        self.post_message(ComponentLoaded(component, read))
        self.app.call_from_thread(self._search_for, component)

    def _search_for(self, component: ComponentInfo) -> None:
        if self.component_query == component.name:
            return  # already searched: it is not there (deleted meanwhile)
        self.component_type = None
        self.query_one("#component-search", Input).value = component.name
        self.component_query = component.name
        self.load_components(component.id)

    @on(OptionList.OptionHighlighted, "#component-list")
    def _component_highlighted(self) -> None:
        self._component_moved()

    def _component_moved(self) -> None:
        component_id = self.component_list.selected_id
        details = self.query_one(ComponentDetails)
        if component_id is None:
            self._shown_component = None
            details.show_text("Nothing selected.")
        else:
            self._load_component(component_id)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-detail")
    def _load_component(self, component_id: uuid.UUID) -> None:
        read = self.reads["component"].start()
        try:
            component = self.services.components.get(component_id)
        except NotFound:
            # Deleted since the list was read (here, from the CLI, or by a reload that raced
            # the delete): the list is what is stale, not something to report as an error.
            self.app.call_from_thread(self.load_components)
            return
        if not get_current_worker().is_cancelled:  # else the cursor moved on meanwhile
            self.post_message(ComponentLoaded(component, read))

    @on(ComponentLoaded)
    def _component_loaded(self, message: ComponentLoaded) -> None:
        if message.component.id != self.component_list.selected_id:
            return  # the cursor moved on meanwhile
        # A read started before a write (an edit, a restore) can answer after the write's
        # own re-read: a cancelled thread still runs. Its details are older than those shown.
        if self.reads["component"].is_newest(message.read):
            self._shown_component = message.component
            self.query_one(ComponentDetails).show(message.component, self.now())

    # Search, sort, type -------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#component-search", Input).focus()

    @on(Input.Changed, "#component-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.component_query = event.value.strip()
        self.load_components()

    @on(Input.Submitted, "#component-search")
    def _search_done(self) -> None:
        self.component_list.focus()

    def action_sort_components(self) -> None:
        self.component_sort = SORTS[(SORTS.index(self.component_sort) + 1) % len(SORTS)]
        self.load_components()

    def action_type_filter(self) -> None:
        order = (None, *TYPES)
        self.component_type = order[(order.index(self.component_type) + 1) % len(order)]
        self.load_components()

    # Create, edit, delete -----------------------------------------------------------------

    def action_new_component(self) -> None:
        refused = limit_message(self.limits, "max_components", self.services.ctx.hints)
        if refused is not None:
            self.notify(refused, title="Limit reached", severity="error", timeout=12, markup=False)
            return
        from promptterm.ui.library.dialogs.component_form import ComponentForm

        kind = self.component_type or self._highlighted_type() or "role"

        def done(component: ComponentInfo | None) -> None:
            if component is not None:
                note = f"Created the {component.type} {component.name!r}."
                self.post_message(Changed(note, ("components",), component.id))

        self.app.push_screen(ComponentForm(self.services, kind=kind), done)

    def _highlighted_type(self) -> str | None:
        """The type of the group the cursor is in: a new component most likely joins it."""
        option_list = self.component_list
        index = option_list.highlighted
        while index is not None and index >= 0:
            option_id = option_list.get_option_at_index(index).id or ""
            if option_id.startswith("type-"):
                return option_id.removeprefix("type-")
            index -= 1
        return None

    def action_edit_component(self) -> None:
        component = self._shown_component
        if component is None or component.id != self.component_list.selected_id:
            return
        from promptterm.ui.library.dialogs.component_form import ComponentForm

        def done(saved: ComponentInfo | None) -> None:
            if saved is not None:
                note = f"Saved the {saved.type} {saved.name!r} (v shows its versions)."
                self.post_message(Changed(note, ("components", "presets"), saved.id))

        self.app.push_screen(ComponentForm(self.services, editing=component), done)

    @on(OptionList.OptionSelected, "#component-list")
    def _component_chosen(self) -> None:
        self.action_edit_component()

    def action_delete_component(self) -> None:
        component = self._shown_component
        if component is None or component.id != self.component_list.selected_id:
            return
        self._ask_delete_component(component)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _ask_delete_component(self, component: ComponentInfo) -> None:
        # Name the presets it is part of, so the question says what will be left incomplete.
        slot = component.type
        users = [
            p.name
            for p in self.services.presets.list(sort="name")
            if getattr(p, slot) and getattr(p, slot).id == component.id
        ]
        question = f"Delete the {slot} {component.name!r}?"
        if users:
            names = ", ".join(repr(n) for n in users)
            noun = "presets" if len(users) > 1 else "preset"
            question += f" The {noun} {names} will be incomplete until you pick another {slot}."
        self.app.call_from_thread(self._confirm_delete_component, component, question)

    def _confirm_delete_component(self, component: ComponentInfo, question: str) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete_component(component.id)

        self.app.push_screen(ConfirmScreen("Delete component", question), done)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _delete_component(self, component_id: uuid.UUID) -> None:
        name = self.services.components.get(component_id).name
        incomplete = self.services.components.delete(component_id)
        note = f"Deleted {name!r}."
        if incomplete:
            note += f" Incomplete now: {', '.join(incomplete)} (f fixes it in Presets)."
        self.post_message(Changed(note, ("components", "presets")))

    # Versions -----------------------------------------------------------------------------

    def action_versions(self) -> None:
        component = self._shown_component
        if component is None or component.id != self.component_list.selected_id:
            return
        from promptterm.ui.library.dialogs.versions import VersionsScreen

        def done(restored: int | None) -> None:
            if restored is not None:
                note = f"Restored version {restored} of {component.name!r}."
                self.post_message(Changed(note, ("components", "presets"), component.id))

        self.app.push_screen(VersionsScreen(self.services, component), done)
