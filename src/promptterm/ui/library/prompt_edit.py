"""Making and unmaking modular prompts: new folders and prompts, modules and variables, the
trash and restoring from it. Forms call the services and show a refusal at its field.

LibraryComponents < LibraryPresets < LibraryPromptEditing < LibraryPrompts < LibraryScreen.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import OptionList

from promptterm.services.errors import StaleEdit
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.library.messages import Changed, TrashLoaded
from promptterm.ui.library.presets import LibraryPresets
from promptterm.ui.library.prompt_forms import form as _form
from promptterm.ui.library.prompt_forms import prompt_seen
from promptterm.ui.library.widgets.trash import TrashList

if TYPE_CHECKING:
    from promptterm.services.library.prompts import FolderInfo, PromptInfo, PromptSummary
    from promptterm.ui.library.widgets.prompts import PromptTree

NO_FOLDER = "(no folder)"


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
        """a: a module after the highlighted one (the last, from elsewhere in the view)."""
        from promptterm.ui.library.prompt_forms import add_module_form
        from promptterm.ui.library.widgets.prompts import ModuleList

        prompt = self.current_prompt
        if prompt is None:
            return
        here = self._module() if isinstance(self.focused, ModuleList) else None
        before = {m.id for m in prompt.modules}

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                note = f"Added a module to {prompt.name!r}; the first option is its default."
                self.post_message(Changed(note, ("prompt",), prompt.id))
                self.module_focus = next((m.id for m in after.modules if m.id not in before), None)

        self.app.push_screen(add_module_form(self.services, prompt, here), done)

    def action_add_variable(self) -> None:
        from promptterm.ui.library.dialogs.variables import add_variable_form

        prompt = self.current_prompt
        if prompt is None:
            return
        notes: list[str] = []

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                self.post_message(Changed(notes[-1], ("prompt",), prompt.id))

        self.app.push_screen(add_variable_form(self.services, prompt, notes), done)

    def action_prompt_variables(self) -> None:
        """V: every variable, to edit, rename or delete."""
        from promptterm.ui.library.dialogs.variables import VariablesScreen

        prompt = self.current_prompt
        if prompt is not None:
            self.app.push_screen(VariablesScreen(self.services, prompt), self._parts_done)

    def action_prompt_history(self) -> None:
        """h: the prompt's versions, a diff of any two, restore."""
        from promptterm.ui.library.dialogs.prompt_history import PromptHistoryScreen

        prompt = self.current_prompt
        if prompt is None:
            return

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                note = (
                    f"Restored {after.name!r} as v{after.version}; the state it replaced is kept."
                )
                self.post_message(Changed(note, ("prompts", "prompt"), after.id))

        self.app.push_screen(PromptHistoryScreen(self.services, prompt), done)

    def _parts_done(self, after: PromptInfo | None) -> None:
        """A dialog that edited the prompt closed: show the prompt as it left it."""
        if after is not None:
            self.post_message(Changed("", ("prompt",), after.id))

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
        from promptterm.services.library.prompt_edit import (
            CATEGORY_MAX,
            DESCRIPTION_MAX,
            NAME_MAX,
            check_category,
            check_description,
            check_prompt_name,
        )

        fields = [
            Field("name", "Name", value=prompt.name, limit=NAME_MAX),
            Field(
                "description",
                "Description",
                value=prompt.description or "",
                limit=DESCRIPTION_MAX,
            ),
            Field(
                "category",
                "Category",
                value=prompt.category or "",
                placeholder="optional",
                limit=CATEGORY_MAX,
            ),
            Field("tags", "Tags", value=", ".join(prompt.tags), placeholder="a, b, c"),
        ]

        def check(values: dict[str, str]) -> None:
            # What the service checks first, each field on its own (a blank name waits for
            # the submit: an emptied field is not yet a mistake).
            if values["name"].strip():
                check_prompt_name(values["name"])
            check_description(values["description"])
            check_category(values["category"])

        edits, seen = self.services.prompt_edits, prompt_seen(self.services, prompt)

        def submit(values: dict[str, str]) -> PromptInfo:
            # One edit: a refusal at any field writes nothing and keeps what was typed.
            return seen.write(
                lambda version: edits.update(
                    prompt.id,
                    name=values["name"],
                    description=values["description"],
                    category=values["category"],
                    tags=values["tags"].split(","),
                    expected_version=version,
                )
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                note = f"Saved {after.name!r} (v{after.version}; the last state is kept)."
                self.post_message(Changed(note, ("prompts", "prompt"), after.id))

        intro = "Every save keeps the state it replaces: h shows the history."
        self.app.push_screen(
            _form("Edit prompt", fields, submit, submit_label="Save", intro=intro, check=check),
            done,
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

        seen = prompt_seen(self.services, prompt)

        def submit(values: dict[str, str]) -> PromptInfo:
            return seen.write(
                lambda version: self.services.prompt_edits.rename_module(
                    prompt.id, module.id, values["name"], expected_version=version
                )
            )

        def done(after: PromptInfo | None) -> None:
            if after is not None:
                self.post_message(Changed("Renamed the module.", ("prompt",), after.id))

        from promptterm.services.library.prompt_module_edits import (
            MODULE_NAME_MAX,
            check_module_name,
        )

        fields = [Field("name", "Name", value=module.name, limit=MODULE_NAME_MAX)]

        def check(values: dict[str, str]) -> None:
            if values["name"].strip():
                check_module_name(values["name"])

        rename = _form("Rename module", fields, submit, submit_label="Save", check=check)
        self.app.push_screen(rename, done)

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
        try:
            self.services.prompt_edits.delete_module(prompt_id, module_id, expected_version=version)
        except StaleEdit:
            # Changed elsewhere since it was asked: show it as it is now (the worker's
            # failure says why nothing was deleted).
            self.post_message(Changed("", ("prompt",), prompt_id))
            raise
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
        read = self.reads["trash"].start()
        prompts = self.services.prompts
        folders = prompts.folders(trash=True)
        names = {f.id: f.name for f in (*prompts.folders(), *folders)}
        self.post_message(TrashLoaded(folders, prompts.summaries(trash=True), names, read))

    @on(TrashLoaded)
    def _trash_loaded(self, message: TrashLoaded) -> None:
        self.keys_ready()  # a list is in (this or a newer one): keys typed meanwhile come in
        if not self.reads["trash"].is_newest(message.read):
            return  # read before a restore whose own read is shown
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
