"""A module's alternative options, one of them the default (what the prompt renders with):
enter makes the highlighted one the default; a adds an option, e edits its name and text, d
deletes it (the default passes to the first one left). Every write names the version the
dialog holds, so an edit made elsewhere meanwhile is refused in words, not overwritten."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from promptterm.services.errors import StaleEdit
from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.styles import css_path
from promptterm.ui.library.prompt_forms import (
    check_option_form,
    form,
    new_option_id,
    option_fields,
    prompt_seen,
)

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.prompts import ModuleInfo, OptionInfo, PromptInfo


def option_row(index: int, text: str, name: str, is_default: bool) -> Content:
    mark = ("● ", "bold $success") if is_default else ("○ ", "dim")
    tag = ("  default", "bold $success") if is_default else ("", "")
    first = text.splitlines()[0] if text else ""
    more = " …" if "\n" in text.strip() else ""
    return Content.assemble(
        mark, (f"{name or f'Option {index}'}", "bold"), tag, "\n", (f"  {first}{more}", "dim")
    )


class ModuleOptionsScreen(ModalScreen["PromptInfo | None"]):
    """Dismisses with the prompt as the last write left it (None: nothing changed)."""

    CSS_PATH = css_path("modals.tcss", "library.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="library-options-cancel"),
        Binding("a", "add", "Add", id="library-option-add"),
        Binding("e,f2", "edit", "Edit", id="library-option-edit"),
        Binding("d,delete", "delete", "Delete", id="library-option-delete"),
    ]

    class Written(Message):
        def __init__(self, prompt: PromptInfo, note: str, close: bool = False) -> None:
            super().__init__()
            self.prompt = prompt
            self.note = note
            self.close = close

    def __init__(self, services: Services, prompt: PromptInfo, module_id: uuid.UUID) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.prompt = prompt
        self.module_id = module_id
        self.changed = False

    @property
    def module(self) -> ModuleInfo | None:
        return next((m for m in self.prompt.modules if m.id == self.module_id), None)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                "Each option is an alternative text for this module; the default is rendered.",
                classes="dialog-intro",
            )
            yield OptionList(id="options-list")
            yield Static(
                "enter make default · a add · e edit · d delete · esc close",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self._draw(None)
        self.query_one("#options-list").focus()

    def _draw(self, keep: uuid.UUID | None) -> None:
        module = self.module
        if module is None:  # deleted elsewhere meanwhile
            self.dismiss(self.prompt)
            return
        self.query_one("#dialog").border_title = Content(f"Options of {module.name}")
        option_list = self.query_one("#options-list", OptionList)
        option_list.set_options(
            Option(option_row(i + 1, o.content, o.name, o.is_default), str(o.id))
            for i, o in enumerate(module.options)
        )
        ids = [o.id for o in module.options]
        if keep in ids:
            option_list.highlighted = ids.index(keep)  # type: ignore[arg-type]
        else:
            option_list.highlighted = next(
                (i for i, o in enumerate(module.options) if o.is_default), 0
            )

    @property
    def highlighted(self) -> OptionInfo | None:
        module = self.module
        index = self.query_one("#options-list", OptionList).highlighted
        if module is None or index is None or index >= len(module.options):
            return None
        return module.options[index]

    # Make default -------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#options-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        option = self.highlighted
        if option is None:
            return
        if option.is_default:
            self.dismiss(self.prompt if self.changed else None)
            return
        self._make_default(option.id, option.name, self.prompt.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-options")
    def _make_default(self, option_id: uuid.UUID, name: str, version: int) -> None:
        try:
            after = self.services.prompt_edits.set_default_option(
                self.prompt.id, option_id, expected_version=version
            )
        except StaleEdit:
            self.post_message(self.Written(self.services.prompts.get(self.prompt.id), ""))
            raise
        self.post_message(self.Written(after, f"{name!r} is now the default.", close=True))

    # Add, edit, delete --------------------------------------------------------------------

    def action_add(self) -> None:
        module = self.module
        if module is None:
            return
        before, seen = self.prompt, prompt_seen(self.services, self.prompt)
        edits = self.services.prompt_edits

        def submit(values: dict[str, str]) -> PromptInfo:
            return seen.write(
                lambda version: edits.add_option(
                    before.id,
                    module.id,
                    values["content"],
                    name=values["name"].strip() or None,
                    expected_version=version,
                ),
                self._reload,
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                self._written(after, new_option_id(before, after, module.id))
                self.notify("Added an option; enter makes it the default.")

        intro = f"An alternative text for {module.name!r}; {{{{name}}}} inserts a variable."
        self.app.push_screen(
            form(
                "Add an option",
                option_fields(),
                submit,
                submit_label="Add",
                intro=intro,
                check=check_option_form,
                wide=True,
            ),
            done,
        )

    def action_edit(self) -> None:
        option = self.highlighted
        if option is None:
            return
        prompt, seen = self.prompt, prompt_seen(self.services, self.prompt)
        edits = self.services.prompt_edits

        def submit(values: dict[str, str]) -> PromptInfo:
            return seen.write(
                lambda version: edits.edit_option(
                    prompt.id,
                    option.id,
                    content=values["content"],
                    name=values["name"].strip() or option.name,
                    expected_version=version,
                ),
                self._reload,
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                self._written(after, option.id)

        self.app.push_screen(
            form(
                "Edit option",
                option_fields(option.name, option.content),
                submit,
                submit_label="Save",
                check=check_option_form,
                wide=True,
            ),
            done,
        )

    def action_delete(self) -> None:
        option, module = self.highlighted, self.module
        if option is None or module is None:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        version = self.prompt.version
        heir = next((o for o in module.options if o.id != option.id), None)
        question = f"Delete the option {option.name!r} of {module.name!r}?"
        if option.is_default and heir is not None:
            question += f" It is the default: {heir.name!r} becomes the default."
        question += " The prompt's history keeps it."

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(option.id, option.name, version)

        self.app.push_screen(ConfirmScreen("Delete option", question), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-options")
    def _delete(self, option_id: uuid.UUID, name: str, version: int) -> None:
        try:
            after = self.services.prompt_edits.delete_option(
                self.prompt.id, option_id, expected_version=version
            )
        except StaleEdit:
            self._reload()
            raise
        module = next((m for m in after.modules if m.id == self.module_id), None)
        default = next((o for o in module.options if o.is_default), None) if module else None
        note = f"Deleted the option {name!r}."
        if default is not None:
            note += f" {default.name!r} is the default."
        self.post_message(self.Written(after, note))

    def _reload(self) -> None:
        """After a refusal: show what is stored now (called from a worker)."""
        self.post_message(self.Written(self.services.prompts.get(self.prompt.id), ""))

    def on_module_options_screen_written(self, message: Written) -> None:
        if message.note:
            self.notify(message.note, markup=False)
        if message.close:
            self.prompt, self.changed = message.prompt, True
            self.dismiss(self.prompt)
            return
        option = self.highlighted
        self._written(message.prompt, option.id if option else None)

    def _written(self, prompt: PromptInfo, keep: uuid.UUID | None) -> None:
        self.changed = self.changed or prompt.version != self.prompt.version
        self.prompt = prompt
        self._draw(keep)

    def action_cancel(self) -> None:
        self.dismiss(self.prompt if self.changed else None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)
