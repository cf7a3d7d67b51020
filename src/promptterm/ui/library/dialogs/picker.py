"""Pick a component of one type for a preset's slot, searching as you type; "none" leaves
the slot empty. Used by the preset builder and by the one-key fix of an incomplete preset."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.components import ComponentInfo, ComponentSummary

NONE_ID = "none"
NEW_ID = "new"
PAGE = 100


@dataclass(frozen=True)
class Picked:
    """The answer: a component, or None for "leave the slot empty"."""

    component_id: uuid.UUID | None
    name: str | None


class ComponentPicker(ModalScreen[Picked | None]):
    CSS_PATH = css_path("modals.tcss", "library.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="library-picker-cancel"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[ComponentSummary], query: str) -> None:
            super().__init__()
            self.rows = rows
            self.query = query

    def __init__(
        self,
        services: Services,
        kind: str,
        *,
        current: uuid.UUID | None = None,
        reason: str = "",
        allow_none: bool = True,
    ) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.kind = kind
        self.current = current
        self.reason = reason
        self.allow_none = allow_none
        self.rows: dict[str, ComponentSummary] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            if self.reason:
                yield Static(self.reason, classes="dialog-intro", markup=False)
            yield Input(placeholder=f"search {self.kind}s", id="picker-search", compact=True)
            yield OptionList(id="picker-list")
            yield Static("", id="picker-about")
            yield Static("enter pick · type to search · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = f"Pick a {self.kind}"
        self.query_one("#picker-list").focus()
        self._load("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-picker")
    def _load(self, query: str) -> None:
        rows = self.services.components.summaries(
            self.kind, sort="most_used", query=query or None, limit=PAGE
        )
        self.post_message(self.Loaded(rows, query))

    def on_component_picker_loaded(self, message: Loaded) -> None:
        self.rows = {str(r.id): r for r in message.rows}
        options: list[Option] = []
        if self.allow_none:
            options.append(Option(Content.styled(f"— no {self.kind} —", "dim"), NONE_ID))
        for r in message.rows:
            mark = "● " if r.id == self.current else "  "
            options.append(
                Option(
                    Content.assemble(mark, r.name, (f"  used {r.usage_count}", "dim")), str(r.id)
                )
            )
        if not message.rows and message.query:
            text = f"No {self.kind} matches {message.query!r}."
            options.append(Option(Content.styled(text, "dim italic"), disabled=True))
        options.append(Option(Content.styled(f"+ write a new {self.kind}…", "$accent"), NEW_ID))
        option_list = self.query_one("#picker-list", OptionList)
        option_list.set_options(options)
        start = (
            str(self.current)
            if self.current is not None and str(self.current) in self.rows
            else None
        )
        if start is not None:
            option_list.highlighted = option_list.get_option_index(start)
        elif message.rows:
            option_list.highlighted = 1 if self.allow_none else 0
        else:
            option_list.highlighted = 0 if self.allow_none else None

    @on(OptionList.OptionHighlighted, "#picker-list")
    def _about(self, event: OptionList.OptionHighlighted) -> None:
        row = self.rows.get(event.option.id or "")
        about = self.query_one("#picker-about", Static)
        if event.option.id == NEW_ID:
            about.update(Content.styled(f"Write a {self.kind} now and use it here.", "dim"))
        elif row is None:
            about.update(Content.styled(f"Leave the {self.kind} out of the preset.", "dim"))
        else:
            about.update(Content.styled(row.description or "(no description)", "dim italic"))

    @on(OptionList.OptionSelected, "#picker-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == NONE_ID:
            self.dismiss(Picked(None, None))
        elif option_id == NEW_ID:
            self._write_new()
        elif option_id in self.rows:
            row = self.rows[option_id]
            self.dismiss(Picked(row.id, row.name))

    @on(Input.Changed, "#picker-search")
    def _search(self, event: Input.Changed) -> None:
        self._load(event.value.strip())

    def on_key(self, event: events.Key) -> None:
        # Typing in the list searches: the first letter moves to the search box.
        search = self.query_one("#picker-search", Input)
        if self.focused is not search and event.is_printable and event.character:
            search.focus()
            search.insert_text_at_cursor(event.character)
            event.stop()
        elif self.focused is search and event.key in ("down", "enter"):
            self.query_one("#picker-list").focus()
            event.stop()

    def _write_new(self) -> None:
        from promptterm.ui.library.dialogs.component_form import ComponentForm

        def done(component: ComponentInfo | None) -> None:
            if component is not None:
                self.dismiss(Picked(component.id, component.name))

        self.app.push_screen(ComponentForm(self.services, kind=self.kind, lock_type=True), done)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False: a failure is shown, never a traceback.
        report_failed_worker(self.app, event.worker)
