"""Modular prompts (seed 000): folders, prompts of ordered modules with alternative options,
typed variables, rendering, and a trash for deleted folders and prompts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import ModuleOption, Prompt, PromptFolder, PromptModule, PromptVariable
from promptterm.db.models.library import VARIABLE_TYPES
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.library.prompt_render import (
    VariableSpec,
    check_spec,
    resolve_values,
    spec_from_config,
    substitute,
)
from promptterm.services.validation import choice, clean_name, clean_text, optional_text

TRASH_DAYS = 30


@dataclass(frozen=True)
class FolderInfo:
    id: uuid.UUID
    name: str
    deleted_at: datetime | None


@dataclass(frozen=True)
class OptionInfo:
    id: uuid.UUID
    name: str
    content: str
    is_default: bool


@dataclass(frozen=True)
class ModuleInfo:
    id: uuid.UUID
    name: str
    order_index: int
    visible: bool
    options: tuple[OptionInfo, ...]


@dataclass(frozen=True)
class PromptSummary:
    """A prompt without its modules and variables: what a tree or a trash list shows."""

    id: uuid.UUID
    name: str
    folder_id: uuid.UUID | None
    deleted_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class PromptInfo:
    id: uuid.UUID
    name: str
    description: str | None
    folder_id: uuid.UUID | None
    modules: tuple[ModuleInfo, ...]
    variables: tuple[VariableSpec, ...]
    deleted_at: datetime | None
    updated_at: datetime


class PromptService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # Folders ---------------------------------------------------------------------------

    def folders(self, *, trash: bool = False) -> list[FolderInfo]:
        stmt = select(PromptFolder).where(PromptFolder.user_id == self.ctx.user_id)
        deleted = col(PromptFolder.deleted_at)
        stmt = stmt.where(deleted.is_not(None) if trash else deleted.is_(None))
        with self.ctx.db.session() as session:
            rows = session.exec(stmt.order_by(col(PromptFolder.name))).all()
            return [FolderInfo(f.id, f.name, f.deleted_at) for f in rows]

    def create_folder(self, name: str) -> FolderInfo:
        name = clean_name(name, "name", label="Folder name", min_len=1, max_len=255)
        now = self.ctx.now()
        folder = PromptFolder(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            name=name,
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            taken = session.exec(
                select(PromptFolder).where(
                    PromptFolder.user_id == self.ctx.user_id, PromptFolder.name == name
                )
            ).first()
            if taken is not None:
                where = " in the trash" if taken.deleted_at else ""
                raise Conflict(f"You already have a folder named {name!r}{where}.")
            session.add(folder)
            return FolderInfo(folder.id, folder.name, None)

    def delete_folder(self, folder_id: uuid.UUID) -> None:
        """Move a folder and its prompts to the trash."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            folder = self._folder(session, folder_id)
            if folder.deleted_at is not None:
                return  # already in the trash: keep the time it went there (restore uses it)
            folder.deleted_at = now
            for prompt in session.exec(
                select(Prompt).where(
                    Prompt.folder_id == folder.id, col(Prompt.deleted_at).is_(None)
                )
            ).all():
                prompt.deleted_at = now
                session.add(prompt)
            session.add(folder)

    def restore_folder(self, folder_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            folder = self._folder(session, folder_id)
            deleted_at = folder.deleted_at
            folder.deleted_at = None
            # Bring back the prompts that went to the trash with the folder, not older ones.
            for prompt in session.exec(
                select(Prompt).where(Prompt.folder_id == folder.id, Prompt.deleted_at == deleted_at)
            ).all():
                prompt.deleted_at = None
                session.add(prompt)
            session.add(folder)

    # Prompts ---------------------------------------------------------------------------

    def list(self, *, folder_id: uuid.UUID | None = None, trash: bool = False) -> list[PromptInfo]:
        stmt = select(Prompt).where(Prompt.user_id == self.ctx.user_id)
        deleted = col(Prompt.deleted_at)
        stmt = stmt.where(deleted.is_not(None) if trash else deleted.is_(None))
        if folder_id is not None:
            stmt = stmt.where(Prompt.folder_id == folder_id)
        with self.ctx.db.session() as session:
            return [self._info(session, p) for p in session.exec(stmt.order_by(col(Prompt.name)))]

    def summaries(self, *, trash: bool = False) -> list[PromptSummary]:
        """Every prompt (or every one in the trash) in one query, by name; ``list`` builds
        each prompt's modules and variables too, a few queries a prompt."""
        deleted = col(Prompt.deleted_at)
        stmt = (
            select(Prompt.id, Prompt.name, Prompt.folder_id, Prompt.deleted_at, Prompt.updated_at)
            .where(Prompt.user_id == self.ctx.user_id)
            .where(deleted.is_not(None) if trash else deleted.is_(None))
            .order_by(col(Prompt.name), col(Prompt.id))
        )
        with self.ctx.db.session() as session:
            return [PromptSummary(*row) for row in session.exec(stmt).all()]

    def get(self, prompt_id: uuid.UUID) -> PromptInfo:
        with self.ctx.db.session() as session:
            return self._info(session, self._prompt(session, prompt_id, allow_deleted=True))

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
                raise NotFound(f"You have no prompt named {ref!r}.")
            if len(matches) > 1:
                raise Conflict(f"Several prompts are named {ref!r}; use its id.")
            return self._info(session, matches[0])

    def create(
        self, name: str, *, description: str | None = None, folder_id: uuid.UUID | None = None
    ) -> PromptInfo:
        now = self.ctx.now()
        prompt = Prompt(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            folder_id=folder_id,
            name=clean_name(name, "name", label="Prompt name", min_len=1, max_len=255),
            description=optional_text(
                description, "description", label="Description", max_len=2000
            ),
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            if folder_id is not None:
                folder = self._folder(session, folder_id)
                if folder.deleted_at is not None:
                    raise NotFound(f"The folder {folder.name!r} is in the trash; restore it first.")
            session.add(prompt)
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

    # Modules and options ---------------------------------------------------------------

    def add_module(self, prompt_id: uuid.UUID, name: str, options: list[str]) -> ModuleInfo:
        """Append a module whose first option is the default."""
        if not options:
            raise ValidationError("A module needs at least one option text.", "options")
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            prompt = self._prompt(session, prompt_id)
            last = session.exec(
                select(func.max(PromptModule.order_index)).where(
                    PromptModule.prompt_id == prompt.id
                )
            ).one()
            module = PromptModule(
                id=self.ctx.new_id(),
                prompt_id=prompt.id,
                name=clean_name(name, "name", label="Module name", min_len=1, max_len=255),
                order_index=(last if last is not None else -1) + 1,
                created_at=now,
                updated_at=now,
            )
            session.add(module)
            session.flush()
            for i, text in enumerate(options):
                session.add(
                    ModuleOption(
                        id=self.ctx.new_id(),
                        module_id=module.id,
                        name=f"Option {i + 1}",
                        content=clean_text(
                            text, "options", label="Option", min_len=1, max_len=20000
                        ),
                        is_default=i == 0,
                        # Options made together share created_at; this keeps their order.
                        meta={"position": i},
                        created_at=now,
                        updated_at=now,
                    )
                )
            prompt.updated_at = now
            session.add(prompt)
            session.flush()
            return _module_info(module, _options(session, module.id))

    def reorder_modules(self, prompt_id: uuid.UUID, module_ids: list[uuid.UUID]) -> None:
        with self.ctx.db.session() as session:
            prompt = self._prompt(session, prompt_id)
            modules = {m.id: m for m in _modules(session, prompt.id)}
            if set(module_ids) != set(modules) or len(module_ids) != len(modules):
                raise ValidationError("Give every module of the prompt exactly once.", "modules")
            for index, module_id in enumerate(module_ids):
                modules[module_id].order_index = index
                session.add(modules[module_id])

    def set_module_visible(self, module_id: uuid.UUID, visible: bool) -> None:
        with self.ctx.db.session() as session:
            module = self._module(session, module_id)
            module.visible = visible
            session.add(module)

    def set_default_option(self, option_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            option = session.get(ModuleOption, option_id)
            if option is None:
                raise NotFound("That option no longer exists.")
            self._module(session, option.module_id)
            for other in _options(session, option.module_id):
                if other.is_default and other.id != option.id:
                    other.is_default = False
                    session.add(other)
            session.flush()
            option.is_default = True
            session.add(option)

    # Variables -------------------------------------------------------------------------

    def define_variable(
        self, prompt_id: uuid.UUID, name: str, type: str = "text", **config: Any
    ) -> VariableSpec:
        choice(type, "type", label="Variable type", options=VARIABLE_TYPES)
        spec = check_spec(spec_from_config(name, type, config))
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            prompt = self._prompt(session, prompt_id)
            session.add(
                PromptVariable(
                    id=self.ctx.new_id(),
                    prompt_id=prompt.id,
                    name=spec.name,
                    type=spec.type,
                    config={k: v for k, v in config.items() if v is not None},
                    created_at=now,
                    updated_at=now,
                )
            )
            try:
                session.flush()
            except IntegrityError as exc:
                raise Conflict(f"The prompt already has a variable {name!r}.") from exc
            return spec

    def render(
        self,
        prompt_id: uuid.UUID,
        values: dict[str, Any] | None = None,
        options: dict[uuid.UUID, uuid.UUID] | None = None,
    ) -> str:
        """The prompt's visible modules in order, each with its chosen (or default) option,
        variables filled in. ``options`` maps a module id to the option picked for it."""
        info = self.get(prompt_id)
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

    # Helpers ---------------------------------------------------------------------------

    def _folder(self, session: Session, folder_id: uuid.UUID) -> PromptFolder:
        folder = session.get(PromptFolder, folder_id)
        if folder is None or folder.user_id != self.ctx.user_id:
            raise NotFound("That folder does not exist.")
        return folder

    def _prompt(
        self, session: Session, prompt_id: uuid.UUID, *, allow_deleted: bool = False
    ) -> Prompt:
        prompt = session.get(Prompt, prompt_id)
        if prompt is None or prompt.user_id != self.ctx.user_id:
            raise NotFound("That prompt does not exist.")
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
        modules = [_module_info(m, _options(session, m.id)) for m in _modules(session, prompt.id)]
        variables = session.exec(
            select(PromptVariable)
            .where(PromptVariable.prompt_id == prompt.id)
            .order_by(col(PromptVariable.created_at), col(PromptVariable.name))
        ).all()
        return PromptInfo(
            id=prompt.id,
            name=prompt.name,
            description=prompt.description,
            folder_id=prompt.folder_id,
            modules=tuple(modules),
            variables=tuple(spec_from_config(v.name, v.type, v.config) for v in variables),
            deleted_at=prompt.deleted_at,
            updated_at=prompt.updated_at,
        )


def _modules(session: Session, prompt_id: uuid.UUID) -> list[PromptModule]:
    stmt = (
        select(PromptModule)
        .where(PromptModule.prompt_id == prompt_id)
        .order_by(col(PromptModule.order_index))
    )
    return list(session.exec(stmt).all())


def _options(session: Session, module_id: uuid.UUID) -> list[ModuleOption]:
    """In the order they were given (by name alone, "Option 10" came before "Option 2")."""
    rows = session.exec(select(ModuleOption).where(ModuleOption.module_id == module_id)).all()
    return sorted(
        rows, key=lambda o: (o.created_at, int((o.meta or {}).get("position", 0)), o.name)
    )


def _module_info(module: PromptModule, options: list[ModuleOption]) -> ModuleInfo:
    return ModuleInfo(
        id=module.id,
        name=module.name,
        order_index=module.order_index,
        visible=module.visible,
        options=tuple(OptionInfo(o.id, o.name, o.content, o.is_default) for o in options),
    )
