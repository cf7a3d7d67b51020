"""Making and unmaking modular prompts: new folders and prompts, modules and variables, the
trash and restoring from it. Forms call the services and show a refusal at its field.

LibraryComponents < LibraryPresets < LibraryPromptEditing < LibraryPrompts < LibraryScreen.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import OptionList

from promptterm.services.errors import ValidationError
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.library.messages import Changed, TrashLoaded
from promptterm.ui.library.presets import LibraryPresets
from promptterm.ui.library.widgets.trash import TrashList

if TYPE_CHECKING:
    from textual.screen import Screen

    from promptterm.services.library.prompts import FolderInfo, PromptInfo, PromptSummary
    from promptterm.ui.library.widgets.prompts import PromptTree

NO_FOLDER = "(no folder)"
VARIABLE_TYPES = ("text", "multiline", "number", "boolean", "choice")


def _form(*args: Any, **kwargs: Any) -> Screen[Any]:
    from promptterm.ui.common.dialogs.form import FormScreen

    return FormScreen(*args, **kwargs)


def _number(text: str, field: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"{field} must be a number, like 1 or 2.5.", field) from None


def variable_config(values: dict[str, str]) -> dict[str, Any]:
    """The form's text as define_variable's keyword arguments."""
    kind = values["type"]
    config: dict[str, Any] = {
        "required": values["required"] == "yes",
        "label": values["label"].strip() or None,
        "min": _number(values["min"], "min"),
        "max": _number(values["max"], "max"),
        "choices": [c.strip() for c in values["choices"].split(",") if c.strip()] or None,
    }
    default: Any = values["default"].strip() or None
    if default is not None and kind == "number":
        number = _number(default, "default")
        default = int(number) if number is not None and number.is_integer() else number
    config["default"] = default
    return config


class LibraryPromptEditing(LibraryPresets):
    if TYPE_CHECKING:

        @property
        def prompt_tree(self) -> PromptTree: ...

        @property
        def current_prompt(self) -> PromptInfo | None: ...

        def _module(self) -> Any: ...

    def __init__(self) -> None:
        super().__init__()
        self.folders: list[FolderInfo] = []

    # New folder, prompt, module, variable -------------------------------------------------

    def action_new_folder(self) -> None:
        def submit(values: dict[str, str]) -> FolderInfo:
            return self.services.prompts.create_folder(values["name"])

        def done(folder: FolderInfo | None) -> None:
            if folder is not None:
                self.post_message(
                    Changed(f"Created the folder {folder.name!r}.", ("prompts",), folder.id)
                )

        fields = [Field("name", "Name", placeholder="e.g. Writing")]
        self.app.push_screen(_form("New folder", fields, submit), done)

    def action_new_prompt(self) -> None:
        from promptterm.services.library.prompts import FolderInfo, PromptSummary

        item = self.prompt_tree.item
        here: uuid.UUID | None = None
        if isinstance(item, FolderInfo):
            here = item.id
        elif isinstance(item, PromptSummary):
            here = item.folder_id
        names = {f.id: f.name for f in self.folders}
        by_name = {f.name: f.id for f in self.folders}
        fields = [
            Field("name", "Name", placeholder="e.g. Blog post"),
            Field("description", "Description", placeholder="optional"),
            Field(
                "folder",
                "Folder",
                value=names.get(here, NO_FOLDER) if here else NO_FOLDER,
                choices=(NO_FOLDER, *names.values()),
            ),
        ]

        def submit(values: dict[str, str]) -> PromptInfo:
            return self.services.prompts.create(
                values["name"],
                description=values["description"].strip() or None,
                folder_id=by_name.get(values["folder"]),
            )

        def done(prompt: PromptInfo | None) -> None:
            if prompt is not None:
                note = f"Created the prompt {prompt.name!r}: a adds a module, v a variable."
                self.post_message(Changed(note, ("prompts",), prompt.id))

        self.app.push_screen(_form("New prompt", fields, submit), done)

    def action_add_module(self) -> None:
        prompt = self.current_prompt
        if prompt is None:
            return
        fields = [
            Field("name", "Name", placeholder="e.g. Intro"),
            Field("options", "Option 1", placeholder="the text; {{name}} inserts a variable"),
            Field("option2", "Option 2", placeholder="optional alternative"),
            Field("option3", "Option 3", placeholder="optional alternative"),
        ]

        def submit(values: dict[str, str]) -> object:
            texts = [values[k] for k in ("options", "option2", "option3") if values[k].strip()]
            return self.services.prompts.add_module(prompt.id, values["name"], texts)

        def done(module: object) -> None:
            if module is not None:
                note = f"Added a module to {prompt.name!r}; the first option is its default."
                self.post_message(Changed(note, ("prompt",), prompt.id))

        # The prompt's name goes in the intro (plain text), not the title (read as markup).
        intro = (
            f"A module of {prompt.name!r}. Options are alternatives for this part of the "
            "prompt; the first is the default."
        )
        form = _form("Add a module", fields, submit, submit_label="Add", intro=intro)
        self.app.push_screen(form, done)

    def action_add_variable(self) -> None:
        prompt = self.current_prompt
        if prompt is None:
            return
        fields = [
            Field("name", "Name", placeholder="letters, digits and _ (used as {{name}})"),
            Field("type", "Type", value="text", choices=VARIABLE_TYPES),
            Field("label", "Label", placeholder="optional, shown as a hint"),
            Field("default", "Default", placeholder="optional"),
            Field("required", "Required", value="no", choices=("no", "yes")),
            Field("choices", "Choices", placeholder="for choice: a, b, c"),
            Field("min", "Min", placeholder="number: lowest; text: fewest characters"),
            Field("max", "Max", placeholder="number: highest; text: most characters"),
        ]

        def submit(values: dict[str, str]) -> object:
            name = values["name"].strip()
            try:
                return self.services.prompts.define_variable(
                    prompt.id, name, values["type"], **variable_config(values)
                )
            except ValidationError as exc:
                if exc.field == name and name:
                    raise ValidationError(exc.message, "default") from exc  # its default
                raise

        def done(spec: object) -> None:
            if spec is not None:
                name = getattr(spec, "name", "")
                note = f"Added a variable to {prompt.name!r}: use it as {{{{{name}}}}}."
                self.post_message(Changed(note, ("prompt",), prompt.id))

        intro = f"A variable of {prompt.name!r}: the text uses it as {{{{name}}}}."
        form = _form("Add a variable", fields, submit, submit_label="Add", intro=intro)
        self.app.push_screen(form, done)

    # Edit in place (each edit names the version it was loaded at) ---------------------------

    def action_edit_prompt_item(self) -> None:
        """e on a prompt: its name, description, category and tags; on a folder: its name."""
        from promptterm.services.library.prompts import FolderInfo

        item = self.prompt_tree.item
        if isinstance(item, FolderInfo):
            self._rename_folder(item)
            return
        prompt = self.current_prompt
        if prompt is None or item is None or item.id != prompt.id:
            return
        fields = [
            Field("name", "Name", value=prompt.name),
            Field("description", "Description", value=prompt.description or ""),
            Field("category", "Category", value=prompt.category or "", placeholder="optional"),
            Field("tags", "Tags", value=", ".join(prompt.tags), placeholder="a, b, c"),
        ]
        edits = self.services.prompt_edits

        def submit(values: dict[str, str]) -> PromptInfo:
            # One edit: a refusal at any field writes nothing and keeps what was typed.
            return edits.update(
                prompt.id,
                name=values["name"],
                description=values["description"],
                category=values["category"],
                tags=values["tags"].split(","),
                expected_version=prompt.version,
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                note = f"Saved {after.name!r} (v{after.version}; the last state is kept)."
                self.post_message(Changed(note, ("prompts", "prompt"), after.id))

        intro = "Every save keeps the state it replaces; `promptterm prompt history` lists them."
        self.app.push_screen(
            _form("Edit prompt", fields, submit, submit_label="Save", intro=intro), done
        )

    def _rename_folder(self, folder: FolderInfo) -> None:
        def submit(values: dict[str, str]) -> FolderInfo:
            return self.services.prompts.rename_folder(folder.id, values["name"])

        def done(after: FolderInfo | None) -> None:
            if after is not None:
                note = f"Renamed the folder to {after.name!r}."
                self.post_message(Changed(note, ("prompts",), after.id))

        fields = [Field("name", "Name", value=folder.name)]
        self.app.push_screen(_form("Rename folder", fields, submit, submit_label="Save"), done)

    def action_rename_module(self) -> None:
        prompt, module = self.current_prompt, self._module()
        if prompt is None or module is None:
            return

        def submit(values: dict[str, str]) -> PromptInfo:
            return self.services.prompt_edits.rename_module(
                prompt.id, module.id, values["name"], expected_version=prompt.version
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                self.post_message(Changed("Renamed the module.", ("prompt",), after.id))

        fields = [Field("name", "Name", value=module.name)]
        self.app.push_screen(_form("Rename module", fields, submit, submit_label="Save"), done)

    def action_delete_module(self) -> None:
        prompt, module = self.current_prompt, self._module()
        if prompt is None or module is None:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete_module(prompt.id, module.id, module.name, prompt.version)

        question = (
            f"Delete the module {module.name!r} and its {len(module.options)} option(s)? "
            "The prompt's history keeps it: restoring an earlier version brings it back."
        )
        self.app.push_screen(ConfirmScreen("Delete module", question), done)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _delete_module(
        self, prompt_id: uuid.UUID, module_id: uuid.UUID, name: str, version: int
    ) -> None:
        self.services.prompt_edits.delete_module(prompt_id, module_id, expected_version=version)
        self.post_message(Changed(f"Deleted the module {name!r}.", ("prompt",), prompt_id))

    # Delete to the trash, restore ---------------------------------------------------------

    def action_delete_prompt_item(self) -> None:
        from promptterm.services.library.prompts import FolderInfo, PromptSummary

        item = self.prompt_tree.item
        if isinstance(item, FolderInfo | PromptSummary):
            self._trash(item)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _trash(self, item: FolderInfo | PromptSummary) -> None:
        from promptterm.services.library.prompts import FolderInfo

        if isinstance(item, FolderInfo):
            self.services.prompts.delete_folder(item.id)
            note = f"Moved the folder {item.name!r} and its prompts to the trash."
        else:
            self.services.prompts.delete(item.id)
            note = f"Moved {item.name!r} to the trash."
        self.post_message(Changed(note + " Restore it from Trash (T).", ("prompts", "trash")))

    def load_trash(self) -> None:
        self._fetch_trash()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-trash")
    def _fetch_trash(self) -> None:
        prompts = self.services.prompts
        folders = prompts.folders(trash=True)
        names = {f.id: f.name for f in (*prompts.folders(), *folders)}
        self.post_message(TrashLoaded(folders, prompts.summaries(trash=True), names))

    @on(TrashLoaded)
    def _trash_loaded(self, message: TrashLoaded) -> None:
        from promptterm.services.library.prompts import TRASH_DAYS

        self.query_one(TrashList).show(
            message.folders, message.prompts, message.folder_names, now=self.now(), days=TRASH_DAYS
        )
        self.refresh_bindings()

    def action_restore(self) -> None:
        selected = self.query_one(TrashList).selected
        if selected is not None:
            self._restore(*selected)

    @on(OptionList.OptionSelected, "#trash-list")
    def _trash_chosen(self) -> None:
        self.action_restore()

    @work(thread=True, exit_on_error=False, group="library-write")
    def _restore(self, kind: str, item_id: uuid.UUID) -> None:
        prompts = self.services.prompts
        if kind == "folder":
            prompts.restore_folder(item_id)
            name = next((f.name for f in prompts.folders() if f.id == item_id), "the folder")
            note = f"Restored the folder {name!r} with the prompts deleted along with it."
        else:
            before = prompts.get(item_id).folder_id
            prompt = prompts.restore(item_id)
            lost = before is not None and prompt.folder_id is None
            where = " (its folder is still in the trash, so it has none now)" if lost else ""
            note = f"Restored {prompt.name!r}{where}."
        self.post_message(Changed(note, ("prompts", "trash"), item_id))
