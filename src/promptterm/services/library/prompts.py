"""Modular prompts (seed 000): folders, prompts of ordered modules with alternative options,
typed variables, rendering, and a trash for deleted folders and prompts."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from promptterm.db.models import ModuleOption, Prompt, PromptFolder, PromptModule, PromptTag
from promptterm.db.order import order_by
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.library.prompt_edit import (
    check_category,
    check_description,
    check_prompt_name,
)
from promptterm.services.library.prompt_editor import PromptEditor
from promptterm.services.library.prompt_folders import FolderInfo as FolderInfo
from promptterm.services.library.prompt_folders import PromptFolders
from promptterm.services.library.prompt_info import (
    PROMPT_ORDER,
    PromptInfo,
    prompt_info,
)
from promptterm.services.library.prompt_info import (
    ModuleInfo as ModuleInfo,
)
from promptterm.services.library.prompt_info import (
    OptionInfo as OptionInfo,
)
from promptterm.services.library.prompt_render import VariableSpec, resolve_values, substitute
from promptterm.services.library.prompt_sharing import PromptSharing, readable, refuse_others
from promptterm.services.library.trash_check import TRASH_DAYS as TRASH_DAYS
from promptterm.services.validation import choice, clean_tags

log = logging.getLogger("promptterm.library.trash")
PromptSort = Literal["name", "most_used", "recent"]


@dataclass(frozen=True)
class PromptSummary:
    """A prompt without its modules and variables: what a tree or a trash list shows."""

    id: uuid.UUID
    name: str
    folder_id: uuid.UUID | None
    deleted_at: datetime | None
    updated_at: datetime
    project_id: uuid.UUID | None = None  # a project prompt shows under its project too


class PromptService(PromptFolders):
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._editor = PromptEditor(ctx)
        self.sharing = PromptSharing(ctx)

    # Prompts (folders: prompt_folders.py) -----------------------------------------------

    def list(
        self,
        *,
        folder_id: uuid.UUID | None = None,
        trash: bool = False,
        category: str | None = None,
        tag: str | None = None,
        project_id: uuid.UUID | None = None,
        sort: PromptSort = "name",
    ) -> list[PromptInfo]:
        """Prompts, filtered by folder, category (any case), tag or project, sorted by name,
        most used first or most recently changed first."""
        stmt = select(Prompt).where(Prompt.user_id == self.ctx.user_id)
        deleted = col(Prompt.deleted_at)
        stmt = stmt.where(deleted.is_not(None) if trash else deleted.is_(None))
        if folder_id is not None:
            stmt = stmt.where(Prompt.folder_id == folder_id)
        if category is not None:
            stmt = stmt.where(func.lower(col(Prompt.category)) == category.strip().lower())
        if tag is not None:
            stmt = stmt.where(
                col(Prompt.id).in_(
                    select(PromptTag.prompt_id).where(
                        PromptTag.user_id == self.ctx.user_id, PromptTag.tag == tag.strip().lower()
                    )
                )
            )
        if project_id is not None:
            stmt = stmt.where(Prompt.project_id == project_id)
        choice(sort, "sort", label="Sort", options=tuple(PROMPT_ORDER))
        with self.ctx.db.session() as session:
            rows = session.exec(stmt.order_by(*order_by(Prompt, PROMPT_ORDER[sort]))).all()
            return [self._info(session, p) for p in rows]

    def categories(self) -> list[str]:
        """The categories in use (for a filter), by name."""
        stmt = (
            select(Prompt.category)
            .where(Prompt.user_id == self.ctx.user_id, col(Prompt.category).is_not(None))
            .distinct()
        )
        with self.ctx.db.session() as session:
            return sorted({c for c in session.exec(stmt).all() if c}, key=str.lower)

    def tags(self) -> list[str]:
        stmt = select(PromptTag.tag).where(PromptTag.user_id == self.ctx.user_id).distinct()
        with self.ctx.db.session() as session:
            return sorted(session.exec(stmt).all())

    def summaries(
        self, *, trash: bool = False, project_id: uuid.UUID | None = None
    ) -> list[PromptSummary]:
        """Every prompt (or every one in the trash, or a project's) in one query, by name;
        ``list`` builds each prompt's modules and variables too, a few queries a prompt."""
        deleted = col(Prompt.deleted_at)
        stmt = (
            select(
                Prompt.id,
                Prompt.name,
                Prompt.folder_id,
                Prompt.deleted_at,
                Prompt.updated_at,
                Prompt.project_id,
            )
            .where(Prompt.user_id == self.ctx.user_id)
            .where(deleted.is_not(None) if trash else deleted.is_(None))
            .order_by(col(Prompt.name), col(Prompt.id))
        )
        if project_id is not None:
            stmt = stmt.where(Prompt.project_id == project_id)
        with self.ctx.db.session() as session:
            return [PromptSummary(*row) for row in session.exec(stmt).all()]

    def get(self, prompt_id: uuid.UUID) -> PromptInfo:
        """One of mine (even in the trash), or one shared with me to read."""
        with self.ctx.db.session() as session:
            return self._info(session, readable(session, prompt_id, self.ctx.user_id))

    def find(self, ref: str) -> PromptInfo:
        try:
            return self.get(uuid.UUID(ref))
        except ValueError:
            pass
        with self.ctx.db.session() as session:
            matches = session.exec(
                select(Prompt).where(
                    Prompt.user_id == self.ctx.user_id,
                    Prompt.name == ref,
                    col(Prompt.deleted_at).is_(None),
                )
            ).all()
            if not matches:
                # Then those shared with me: what `prompt copy NAME` names.
                shared = [p for p in self.sharing.shared_with_me() if p.name == ref]
                if len(shared) == 1:
                    return self.get(shared[0].id)
                if shared:
                    raise Conflict(
                        f"Several prompts shared with you are named {ref!r}; use its id."
                    )
                raise NotFound(f"You have no prompt named {ref!r}.")
            if len(matches) > 1:
                raise Conflict(f"Several prompts are named {ref!r}; use its id.")
            return self._info(session, matches[0])

    def create(
        self,
        name: str,
        *,
        description: str | None = None,
        folder_id: uuid.UUID | None = None,
        category: str | None = None,
        tags: list[str] | None = None,
    ) -> PromptInfo:
        now = self.ctx.now()
        prompt = Prompt(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            folder_id=folder_id,
            name=check_prompt_name(name),
            description=check_description(description),
            category=check_category(category),
            created_at=now,
            updated_at=now,
        )
        wanted = sorted(clean_tags(tags, owner="A prompt"))
        with self.ctx.db.session() as session:
            if folder_id is not None:
                folder = self._folder(session, folder_id)
                if folder.deleted_at is not None:
                    raise NotFound(f"The folder {folder.name!r} is in the trash; restore it first.")
            session.add(prompt)
            session.flush()
            session.add_all(
                PromptTag(prompt_id=prompt.id, tag=t, user_id=prompt.user_id) for t in wanted
            )
            session.flush()
            return self._info(session, prompt)

    def delete(self, prompt_id: uuid.UUID) -> None:
        """Move a prompt to the trash; ``restore`` brings it back within TRASH_DAYS."""
        with self.ctx.db.session() as session:
            prompt = self._prompt(session, prompt_id)
            prompt.deleted_at = self.ctx.now()
            session.add(prompt)

    def restore(self, prompt_id: uuid.UUID) -> PromptInfo:
        with self.ctx.db.session() as session:
            prompt = self._prompt(session, prompt_id, allow_deleted=True)
            prompt.deleted_at = None
            if prompt.folder_id is not None:
                folder = session.get(PromptFolder, prompt.folder_id)
                if folder is not None and folder.deleted_at is not None:
                    prompt.folder_id = None  # its folder is still in the trash
            session.add(prompt)
            return self._info(session, prompt)

    def empty_trash(self, older_than_days: int = TRASH_DAYS) -> int:
        """Delete for good what has been in the trash longer than the given days."""
        cutoff = self.ctx.now() - timedelta(days=older_than_days)
        removed = 0
        with self.ctx.db.session() as session:
            for model in (Prompt, PromptFolder):
                stale = session.exec(
                    select(model).where(
                        model.user_id == self.ctx.user_id,
                        col(model.deleted_at).is_not(None),
                        col(model.deleted_at) <= cutoff,
                    )
                ).all()
                for row in stale:
                    session.delete(row)
                    removed += 1
        return removed

    def purge_trash(self) -> int:
        """``empty_trash`` at TRASH_DAYS, logged: what every start and the app's daily timer
        run, so the trash empties without anyone asking."""
        removed = self.empty_trash(TRASH_DAYS)
        log.info(
            "purged %d prompt(s) and folder(s) in the trash for more than %d days",
            removed,
            TRASH_DAYS,
        )
        return removed

    # Edits (prompt_editor.py keeps a version of each) -------------------------------------

    def add_module(
        self,
        prompt_id: uuid.UUID,
        name: str,
        options: list[str],
        *,
        expected_version: int | None = None,
    ) -> ModuleInfo:
        """Append a module whose first option is the default."""
        info = self._editor.add_module(prompt_id, name, options, expected_version=expected_version)
        return info.modules[-1]

    def reorder_modules(
        self,
        prompt_id: uuid.UUID,
        module_ids: list[uuid.UUID],
        *,
        expected_version: int | None = None,
    ) -> None:
        self._editor.reorder_modules(prompt_id, module_ids, expected_version=expected_version)

    def set_module_visible(self, module_id: uuid.UUID, visible: bool) -> None:
        self._editor.set_module_visible(self._prompt_of_module(module_id), module_id, visible)

    def set_default_option(self, option_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            option = session.get(ModuleOption, option_id)
            if option is None:
                raise NotFound("That option no longer exists.")
            prompt_id = self._module(session, option.module_id).prompt_id
        self._editor.set_default_option(prompt_id, option_id)

    def define_variable(
        self, prompt_id: uuid.UUID, name: str, type: str = "text", **config: Any
    ) -> VariableSpec:
        info = self._editor.add_variable(prompt_id, name, type, **config)
        return next(v for v in info.variables if v.name == name)

    def render(
        self,
        prompt_id: uuid.UUID,
        values: dict[str, Any] | None = None,
        options: dict[uuid.UUID, uuid.UUID] | None = None,
    ) -> str:
        """The prompt's visible modules in order, each with its chosen (or default) option,
        variables filled in. ``options`` maps a module id to the option picked for it."""
        return render_info(self.get(prompt_id), values, options)

    # Helpers ---------------------------------------------------------------------------

    def _prompt_of_module(self, module_id: uuid.UUID) -> uuid.UUID:
        with self.ctx.db.session() as session:
            return self._module(session, module_id).prompt_id

    def _prompt(
        self, session: Session, prompt_id: uuid.UUID, *, allow_deleted: bool = False
    ) -> Prompt:
        prompt = session.get(Prompt, prompt_id)
        if prompt is None or prompt.user_id != self.ctx.user_id:
            refuse_others(session, prompt_id, self.ctx.user_id)
        if prompt.deleted_at is not None and not allow_deleted:
            raise NotFound(f"{prompt.name!r} is in the trash; restore it first.")
        return prompt

    def _module(self, session: Session, module_id: uuid.UUID) -> PromptModule:
        module = session.get(PromptModule, module_id)
        if module is None:
            raise NotFound("That module no longer exists.")
        self._prompt(session, module.prompt_id)
        return module

    def _info(self, session: Session, prompt: Prompt) -> PromptInfo:
        return prompt_info(session, prompt)


def render_info(
    info: PromptInfo,
    values: dict[str, Any] | None = None,
    options: dict[uuid.UUID, uuid.UUID] | None = None,
) -> str:
    """``render`` of a prompt already loaded: what a live preview runs on every keystroke."""
    resolved = resolve_values(list(info.variables), values or {})
    picks = options or {}
    parts: list[str] = []
    for module in info.modules:
        if not module.visible or not module.options:
            continue
        wanted = picks.get(module.id)
        chosen = next((o for o in module.options if o.id == wanted), None)
        if wanted is not None and chosen is None:
            raise ValidationError(f"That option is not one of {module.name!r}'s.", "options")
        chosen = chosen or next((o for o in module.options if o.is_default), module.options[0])
        parts.append(substitute(chosen.content, resolved))
    return "\n\n".join(parts)
