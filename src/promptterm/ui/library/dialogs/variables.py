"""A prompt's variables, their types and limits, and where each is used: a adds one, e edits
its type and limits, r renames it (offering to rename its {{uses}} too), d deletes it (a
variable still used is only deleted when the user says so). Every write names the version
the dialog holds, so an edit made elsewhere meanwhile is refused in words."""

from __future__ import annotations

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
from promptterm.services.library.prompt_render import VariableSpec, check_spec
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.styles import css_path
from promptterm.ui.library.prompt_forms import (
    form,
    prompt_seen,
    uses_of,
    variable_checker,
    variable_fields,
)

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.prompts import PromptInfo


def limits_of(spec: VariableSpec) -> str:
    """What the variable takes, in a few words."""
    parts = []
    if spec.required:
        parts.append("required")
    if spec.choices:
        parts.append(" | ".join(spec.choices))
    if spec.min is not None:
        parts.append(f"min {spec.min:g}")
    if spec.max is not None:
        parts.append(f"max {spec.max:g}")
    if isinstance(spec.default, bool):
        parts.append(f"default {'yes' if spec.default else 'no'}")
    elif spec.default not in (None, ""):
        parts.append(f"default {spec.default}")
    return " · ".join(parts)


def variable_row(spec: VariableSpec, used: list[str]) -> Content:
    where = f"used in {', '.join(used)}" if used else "not used yet"
    return Content.assemble(
        ("{{", "dim"),
        (spec.name, "bold"),
        ("}}", "dim"),
        (f"  {spec.type}", "$accent"),
        (f"  {limits_of(spec)}", "dim"),
        "\n",
        (f"  {where}", "dim italic" if used else "dim"),
    )


def add_variable_form(
    services: Services, prompt: PromptInfo, done_note: list[str]
) -> ModalScreen[PromptInfo | None]:
    """The add form (also the prompts view's v)."""
    seen = prompt_seen(services, prompt)
    check = variable_checker(None)

    def submit(values: dict[str, str]) -> PromptInfo:
        name = values["name"].strip()
        check_spec(VariableSpec(name, "text"))  # the name first: it is the first field
        config = check(values)
        after = seen.write(
            lambda version: services.prompt_edits.add_variable(
                prompt.id, name, values["type"], expected_version=version, **config
            )
        )
        done_note.append(f"Added {{{{{name}}}}}: use it in an option's text.")
        return after

    intro = f"A variable of {prompt.name!r}: the text uses it as {{{{name}}}}."
    return form(  # type: ignore[return-value]
        "Add a variable", variable_fields(), submit, submit_label="Add", intro=intro, check=check
    )


class VariablesScreen(ModalScreen["PromptInfo | None"]):
    """Dismisses with the prompt as the last write left it (None: nothing changed)."""

    CSS_PATH = css_path("modals.tcss", "library.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="library-variables-close"),
        Binding("a", "add", "Add", id="library-variable-add"),
        Binding("e,f2", "edit", "Edit", id="library-variable-edit"),
        Binding("r", "rename", "Rename", id="library-variable-rename"),
        Binding("d,delete", "delete", "Delete", id="library-variable-delete"),
    ]

    class Written(Message):
        def __init__(self, prompt: PromptInfo, note: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.note = note

    def __init__(self, services: Services, prompt: PromptInfo) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.prompt = prompt
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                "Each variable is a field of the prompt's form, used in the text as {{name}}.",
                classes="dialog-intro",
            )
            yield OptionList(id="variables-list")
            yield Static("a add · e edit · r rename · d delete · esc close", classes="dialog-keys")

    def on_mount(self) -> None:
        self._draw(None)
        self.query_one("#variables-list").focus()

    def _draw(self, keep: str | None) -> None:
        self.query_one("#dialog").border_title = Content(f"Variables of {self.prompt.name}")
        option_list = self.query_one("#variables-list", OptionList)
        specs = self.prompt.variables
        if specs:
            option_list.set_options(
                Option(variable_row(s, uses_of(self.prompt, s.name)), s.name) for s in specs
            )
        else:
            text = Content.styled("No variables yet: a adds one.", "dim italic")
            option_list.set_options([Option(text, disabled=True)])
        names = [s.name for s in specs]
        option_list.highlighted = names.index(keep) if keep in names else (0 if specs else None)

    @property
    def highlighted(self) -> VariableSpec | None:
        index = self.query_one("#variables-list", OptionList).highlighted
        specs = self.prompt.variables
        return specs[index] if index is not None and index < len(specs) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "rename", "delete"):
            return self.is_mounted and self.highlighted is not None
        return True

    # Add, edit, rename --------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#variables-list")
    def _chosen(self) -> None:
        self.action_edit()

    def action_add(self) -> None:
        notes: list[str] = []

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                added = next(
                    (s.name for s in after.variables if s not in self.prompt.variables), None
                )
                self._written(after, added)
                self.notify(notes[-1], markup=False)

        self.app.push_screen(add_variable_form(self.services, self.prompt, notes), done)

    def action_edit(self) -> None:
        spec = self.highlighted
        if spec is None:
            return
        prompt, seen = self.prompt, prompt_seen(self.services, self.prompt)
        check = variable_checker(spec.name)

        def submit(values: dict[str, str]) -> PromptInfo:
            config = check(values)
            return seen.write(
                lambda version: self.services.prompt_edits.edit_variable(
                    prompt.id, spec.name, values["type"], expected_version=version, **config
                ),
                self._reload,
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                self._written(after, spec.name)

        # No intro: at 80x24 the seven fields, a refusal and the buttons just fit.
        self.app.push_screen(
            form(
                f"Edit {spec.name}", variable_fields(spec), submit, submit_label="Save", check=check
            ),
            done,
        )

    def action_rename(self) -> None:
        spec = self.highlighted
        if spec is None:
            return
        prompt, seen = self.prompt, prompt_seen(self.services, self.prompt)
        used = uses_of(prompt, spec.name)
        fields = [Field("name", "New name", value=spec.name)]
        if used:
            fields.append(Field("uses", "Rename uses", value="yes", choices=("yes", "no")))

        def check(values: dict[str, str]) -> None:
            check_spec(VariableSpec(values["name"].strip(), spec.type))

        renamed: list[str] = []

        def submit(values: dict[str, str]) -> PromptInfo:
            new = values["name"].strip()
            check(values)
            renamed.append(new)
            return seen.write(
                lambda version: self.services.prompt_edits.rename_variable(
                    prompt.id,
                    spec.name,
                    new,
                    rename_uses=values.get("uses") == "yes",
                    expected_version=version,
                ),
                self._reload,
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                new = renamed[-1]
                self._written(after, new)
                self.notify(f"Renamed {{{{{spec.name}}}}} to {{{{{new}}}}}.", markup=False)

        intro = (
            f"{{{{{spec.name}}}}} is used in {', '.join(repr(m) for m in used)}: renaming its "
            "uses too keeps the prompt rendering."
            if used
            else f"{{{{{spec.name}}}}} is not used in any option yet."
        )
        self.app.push_screen(
            form(
                f"Rename {spec.name}",
                fields,
                submit,
                submit_label="Rename",
                intro=intro,
                check=check,
            ),
            done,
        )

    # Delete -------------------------------------------------------------------------------

    def action_delete(self) -> None:
        spec = self.highlighted
        if spec is None:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        used = uses_of(self.prompt, spec.name)
        version = self.prompt.version
        if used:
            question = (
                f"{{{{{spec.name}}}}} is still used in {', '.join(repr(m) for m in used)}. "
                "Delete it anyway? Those texts keep {{" + spec.name + "}} and the prompt "
                "will not render until you edit them."
            )
            confirm = ConfirmScreen(
                "Delete a used variable", question, confirm_label="Delete anyway"
            )
        else:
            question = f"Delete the variable {{{{{spec.name}}}}}? The prompt's history keeps it."
            confirm = ConfirmScreen("Delete variable", question)

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(spec.name, bool(used), version)

        self.app.push_screen(confirm, done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-variables")
    def _delete(self, name: str, force: bool, version: int) -> None:
        try:
            after = self.services.prompt_edits.delete_variable(
                self.prompt.id, name, force=force, expected_version=version
            )
        except StaleEdit:
            self._reload()
            raise
        self.post_message(self.Written(after, f"Deleted {{{{{name}}}}}."))

    def _reload(self) -> None:
        """After a refusal: show what is stored now (called from a worker)."""
        self.post_message(self.Written(self.services.prompts.get(self.prompt.id), ""))

    def on_variables_screen_written(self, message: Written) -> None:
        if message.note:
            self.notify(message.note, markup=False)
        spec = self.highlighted
        self._written(message.prompt, spec.name if spec else None)

    def _written(self, prompt: PromptInfo, keep: str | None) -> None:
        self.changed = self.changed or prompt.version != self.prompt.version
        self.prompt = prompt
        self._draw(keep)
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(self.prompt if self.changed else None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)
