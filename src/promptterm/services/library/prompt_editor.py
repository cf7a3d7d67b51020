"""Every in-place edit of a prompt, for screens, the CLI and scripts.

Each verb takes ``expected_version`` (the ``version`` of the PromptInfo the caller loaded; a
stale one is refused as a Conflict; None edits whatever is current, for callers that hold no
loaded copy) and returns the prompt as the edit left it, with its new ``version``.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import col, delete

from promptterm.db.models import Project, PromptFolder, PromptTag
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.library import prompt_module_edits as modules
from promptterm.services.library import prompt_variable_edits as variables
from promptterm.services.library import prompt_versions as history
from promptterm.services.library.prompt_edit import (
    Edit,
    EditRunner,
    check_category,
    check_description,
    check_prompt_name,
    set_column,
)
from promptterm.services.library.prompt_info import PromptInfo
from promptterm.services.validation import clean_tags

Version = int | None


def check_tags(tags: list[str]) -> tuple[str, ...]:
    return tuple(sorted(clean_tags(tags, owner="A prompt")))


def _replace_tags(edit: Edit, wanted: tuple[str, ...]) -> None:
    if wanted != edit.before.tags:
        stale = delete(PromptTag).where(col(PromptTag.prompt_id) == edit.prompt.id)
        edit.session.exec(stale)  # type: ignore[call-overload]
        for tag in wanted:
            edit.session.add(
                PromptTag(prompt_id=edit.prompt.id, tag=tag, user_id=edit.prompt.user_id)
            )
        edit.changed = True


class PromptEditor(EditRunner):
    # The prompt itself -------------------------------------------------------------------

    def rename(
        self, prompt_id: uuid.UUID, name: str, *, expected_version: int | None = None
    ) -> PromptInfo:
        new = check_prompt_name(name)
        return self.run(prompt_id, expected_version, lambda e: set_column(e, "name", new))

    def describe(
        self, prompt_id: uuid.UUID, description: str | None, *, expected_version: int | None = None
    ) -> PromptInfo:
        """Set the description; None or blank clears it."""
        new = check_description(description)
        return self.run(prompt_id, expected_version, lambda e: set_column(e, "description", new))

    def set_category(
        self, prompt_id: uuid.UUID, category: str | None, *, expected_version: int | None = None
    ) -> PromptInfo:
        new = check_category(category)
        return self.run(prompt_id, expected_version, lambda e: set_column(e, "category", new))

    def move(
        self,
        prompt_id: uuid.UUID,
        folder_id: uuid.UUID | None,
        *,
        expected_version: int | None = None,
    ) -> PromptInfo:
        """File the prompt in a folder (None: in no folder)."""

        def change(edit: Edit) -> None:
            if folder_id is not None:
                folder = edit.session.get(PromptFolder, folder_id)
                if folder is None or folder.user_id != self.ctx.user_id:
                    raise NotFound("That folder does not exist.")
                if folder.deleted_at is not None:
                    raise NotFound(f"The folder {folder.name!r} is in the trash; restore it first.")
            set_column(edit, "folder_id", folder_id)

        return self.run(prompt_id, expected_version, change)

    def set_project(
        self,
        prompt_id: uuid.UUID,
        project_id: uuid.UUID | None,
        *,
        expected_version: int | None = None,
    ) -> PromptInfo:
        """Make it a project prompt (None: a library prompt again). Filing under a project
        needs an editing role in its workspace: a viewer reads a project but adds nothing."""
        from promptterm.services.workspaces import require_role

        def change(edit: Edit) -> None:
            if project_id is not None:
                project = edit.session.get(Project, project_id)
                if project is None:
                    raise NotFound("That project does not exist.")
                require_role(
                    edit.session,
                    project.workspace_id,
                    self.ctx.user_id,
                    "member",
                    f"file prompts under the project {project.name!r}",
                )
            set_column(edit, "project_id", project_id)

        return self.run(prompt_id, expected_version, change)

    def set_tags(
        self, prompt_id: uuid.UUID, tags: list[str], *, expected_version: int | None = None
    ) -> PromptInfo:
        wanted = check_tags(tags)
        return self.run(prompt_id, expected_version, lambda e: _replace_tags(e, wanted))

    def update(
        self,
        prompt_id: uuid.UUID,
        *,
        name: str,
        description: str | None,
        category: str | None,
        tags: list[str],
        expected_version: int | None = None,
    ) -> PromptInfo:
        """Name, description, category and tags at once, as one edit (one version): every
        field is checked before anything is written, so a refusal changes nothing."""
        new = (
            check_prompt_name(name),
            check_description(description),
            check_category(category),
            check_tags(tags),
        )

        def change(edit: Edit) -> None:
            set_column(edit, "name", new[0])
            set_column(edit, "description", new[1])
            set_column(edit, "category", new[2])
            _replace_tags(edit, new[3])

        return self.run(prompt_id, expected_version, change)

    def restore(
        self, prompt_id: uuid.UUID, version: int | str, *, expected_version: int | None = None
    ) -> PromptInfo:
        """Make an earlier version's content current again, as a new version (the state it
        replaces is kept). Folder and project stay as they are now."""

        def change(edit: Edit) -> None:
            if edit.prompt.version == 1:
                raise NotFound(
                    f"{edit.prompt.name!r} has no earlier versions yet; every edit will keep one."
                )
            wanted = history.version_of(edit.session, edit.prompt, edit.before, version)
            if wanted.is_current:
                raise ValidationError(
                    f"v{wanted.version} is the current version; pick an earlier one.", "version"
                )
            target = wanted.state
            current = edit.before
            if (
                target.name,
                target.description,
                target.category,
                target.tags,
                target.modules,
                target.variables,
            ) == (
                current.name,
                current.description,
                current.category,
                current.tags,
                current.modules,
                current.variables,
            ):
                return  # the same content: restoring it keeps no version
            history.write_content(edit.session, edit.prompt, target, edit.new_id, edit.now)
            edit.changed = True

        return self.run(prompt_id, expected_version, change)

    # Modules and options -----------------------------------------------------------------

    def add_module(
        self,
        prompt_id: uuid.UUID,
        name: str,
        options: list[str],
        *,
        position: int | None = None,
        expected_version: Version = None,
    ) -> PromptInfo:
        """A module (its first option the default) at ``position`` (0-based; None: last)."""
        return self.run(
            prompt_id, expected_version, lambda e: modules.add_module(e, name, options, position)
        )

    def rename_module(
        self,
        prompt_id: uuid.UUID,
        module_id: uuid.UUID,
        name: str,
        *,
        expected_version: Version = None,
    ) -> PromptInfo:
        return self.run(
            prompt_id, expected_version, lambda e: modules.rename_module(e, module_id, name)
        )

    def set_module_visible(
        self,
        prompt_id: uuid.UUID,
        module_id: uuid.UUID,
        visible: bool,
        *,
        expected_version: Version = None,
    ) -> PromptInfo:
        return self.run(
            prompt_id, expected_version, lambda e: modules.set_visible(e, module_id, visible)
        )

    def move_module(
        self,
        prompt_id: uuid.UUID,
        module_id: uuid.UUID,
        position: int,
        *,
        expected_version: Version = None,
    ) -> PromptInfo:
        """Put a module at ``position`` (0-based); the others close up around it."""
        return self.run(
            prompt_id, expected_version, lambda e: modules.move_module(e, module_id, position)
        )

    def reorder_modules(
        self, prompt_id: uuid.UUID, module_ids: list[uuid.UUID], *, expected_version: Version = None
    ) -> PromptInfo:
        return self.run(
            prompt_id, expected_version, lambda e: modules.reorder_modules(e, module_ids)
        )

    def delete_module(
        self, prompt_id: uuid.UUID, module_id: uuid.UUID, *, expected_version: Version = None
    ) -> PromptInfo:
        return self.run(prompt_id, expected_version, lambda e: modules.delete_module(e, module_id))

    def add_option(
        self,
        prompt_id: uuid.UUID,
        module_id: uuid.UUID,
        content: str,
        *,
        name: str | None = None,
        make_default: bool = False,
        expected_version: Version = None,
    ) -> PromptInfo:
        return self.run(
            prompt_id,
            expected_version,
            lambda e: modules.add_option(
                e, module_id, content, name=name, make_default=make_default
            ),
        )

    def edit_option(
        self,
        prompt_id: uuid.UUID,
        option_id: uuid.UUID,
        *,
        content: str | None = None,
        name: str | None = None,
        expected_version: Version = None,
    ) -> PromptInfo:
        return self.run(
            prompt_id,
            expected_version,
            lambda e: modules.edit_option(e, option_id, content=content, name=name),
        )

    def delete_option(
        self, prompt_id: uuid.UUID, option_id: uuid.UUID, *, expected_version: Version = None
    ) -> PromptInfo:
        """Delete an option; when it was the default, the first one left becomes it."""
        return self.run(prompt_id, expected_version, lambda e: modules.delete_option(e, option_id))

    def set_default_option(
        self, prompt_id: uuid.UUID, option_id: uuid.UUID, *, expected_version: Version = None
    ) -> PromptInfo:
        return self.run(prompt_id, expected_version, lambda e: modules.set_default(e, option_id))

    # Variables ---------------------------------------------------------------------------

    def add_variable(
        self,
        prompt_id: uuid.UUID,
        name: str,
        type: str = "text",
        *,
        expected_version: Version = None,
        **config: Any,
    ) -> PromptInfo:
        return self.run(
            prompt_id, expected_version, lambda e: variables.add_variable(e, name, type, **config)
        )

    def edit_variable(
        self,
        prompt_id: uuid.UUID,
        name: str,
        type: str | None = None,
        *,
        expected_version: Version = None,
        **changes: Any,
    ) -> PromptInfo:
        """Change a variable's type and settings (default, required, choices, min, max,
        label); a setting given as None is cleared, one not given stays."""
        return self.run(
            prompt_id,
            expected_version,
            lambda e: variables.edit_variable(e, name, type, **changes),
        )

    def rename_variable(
        self,
        prompt_id: uuid.UUID,
        old: str,
        new: str,
        *,
        rename_uses: bool,
        expected_version: Version = None,
    ) -> PromptInfo:
        """Rename a variable; ``rename_uses`` renames its {{uses}} in the option texts too
        (without it, a variable still in use is refused: the prompt would not render)."""
        return self.run(
            prompt_id,
            expected_version,
            lambda e: variables.rename_variable(e, old, new, rename_uses=rename_uses),
        )

    def delete_variable(
        self,
        prompt_id: uuid.UUID,
        name: str,
        *,
        force: bool = False,
        expected_version: Version = None,
    ) -> PromptInfo:
        return self.run(
            prompt_id, expected_version, lambda e: variables.delete_variable(e, name, force=force)
        )

    def variable_uses(self, prompt_id: uuid.UUID, name: str) -> list[str]:
        """The modules whose options use {{name}}: what a rename offers to follow."""
        with self.edit(prompt_id, None) as edit:
            return variables.uses(edit.before, name)

    # History -----------------------------------------------------------------------------

    def versions(self, prompt_id: uuid.UUID) -> list[history.PromptVersionInfo]:
        """The current state first, then every earlier one, newest first."""
        from promptterm.services.library.prompt_state import state_of

        with self.ctx.db.session() as session:
            prompt = self._readable(session, prompt_id)
            return history.history(session, prompt, state_of(session, prompt))

    def diff(self, prompt_id: uuid.UUID, old: int | str, new: int | str = "current") -> str:
        """A unified diff of two versions' rendered text (default options, variables as
        their defaults or {{name}}); empty when it is the same."""
        from promptterm.services.library.prompt_state import state_of

        with self.ctx.db.session() as session:
            prompt = self._readable(session, prompt_id)
            current = state_of(session, prompt)
            return history.diff(
                history.version_of(session, prompt, current, old),
                history.version_of(session, prompt, current, new),
            )
