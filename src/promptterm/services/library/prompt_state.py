"""A prompt's whole state in three queries, as plain data and as the JSON a version keeps.

What an edit can change and a version keeps: name, description, category, tags, and the
modules with their options and the variables, together. Folder and project are where the
prompt is filed, not what it says: a version remembers them but a restore leaves them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from sqlalchemy import bindparam, literal_column, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from promptterm.db.models import ModuleOption, Prompt, PromptModule, PromptTag, PromptVariable
from promptterm.services.library.prompt_render import PLACEHOLDER_RE, VariableSpec, coerce

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class OptionState:
    name: str
    content: str
    is_default: bool


@dataclass(frozen=True)
class ModuleState:
    name: str
    visible: bool
    options: tuple[OptionState, ...]


@dataclass(frozen=True)
class VariableState:
    name: str
    type: str
    config: tuple[tuple[str, Any], ...]  # sorted (key, value) pairs: hashable and comparable

    def spec(self) -> VariableSpec:
        from promptterm.services.library.prompt_render import spec_from_config

        return spec_from_config(self.name, self.type, dict(self.config))


@dataclass(frozen=True)
class PromptState:
    name: str
    description: str | None
    category: str | None
    tags: tuple[str, ...]
    folder_id: uuid.UUID | None
    project_id: uuid.UUID | None
    modules: tuple[ModuleState, ...]
    variables: tuple[VariableState, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SNAPSHOT_FORMAT,
            "name": self.name,
            "description": self.description,
            "category": self.category,
            "tags": list(self.tags),
            "folder_id": None if self.folder_id is None else str(self.folder_id),
            "project_id": None if self.project_id is None else str(self.project_id),
            "modules": [
                {
                    "name": m.name,
                    "visible": m.visible,
                    "options": [
                        {"name": o.name, "content": o.content, "is_default": o.is_default}
                        for o in m.options
                    ],
                }
                for m in self.modules
            ],
            "variables": [
                {"name": v.name, "type": v.type, "config": dict(v.config)} for v in self.variables
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PromptState:
        def uid(value: str | None) -> uuid.UUID | None:
            return None if value is None else uuid.UUID(value)

        return cls(
            name=data["name"],
            description=data.get("description"),
            category=data.get("category"),
            tags=tuple(data.get("tags") or ()),
            folder_id=uid(data.get("folder_id")),
            project_id=uid(data.get("project_id")),
            modules=tuple(
                ModuleState(
                    m["name"],
                    bool(m.get("visible", True)),
                    tuple(
                        OptionState(o.get("name", ""), o["content"], bool(o.get("is_default")))
                        for o in m.get("options", ())
                    ),
                )
                for m in data.get("modules", ())
            ),
            variables=tuple(
                VariableState(v["name"], v.get("type", "text"), _pairs(v.get("config") or {}))
                for v in data.get("variables", ())
            ),
        )

    def template(self) -> str:
        """The text this state renders with each module's default option, variables filled
        with their defaults and left as {{name}} where there is none: what a diff compares."""
        defaults: dict[str, str] = {}
        for variable in self.variables:
            spec = variable.spec()
            if spec.default not in (None, ""):
                try:
                    defaults[spec.name] = coerce(spec, spec.default)
                except Exception:
                    continue
        parts = []
        for module in self.modules:
            if not module.visible or not module.options:
                continue
            chosen = next((o for o in module.options if o.is_default), module.options[0])
            parts.append(
                PLACEHOLDER_RE.sub(lambda m: defaults.get(m.group(1), m.group(0)), chosen.content)
            )
        return "\n\n".join(parts)


def _pairs(config: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in config.items()))


def config_of(variable: VariableState) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in variable.config}


class Rows(NamedTuple):
    """A prompt's modules, options and variables as plain column tuples, in order."""

    modules: list[Any]  # (id, name, order_index, visible)
    options: dict[uuid.UUID, list[Any]]  # module id -> [(id, name, content, is_default)]
    variables: list[Any]  # (name, type, config)


def load_rows(session: Session, prompt_id: uuid.UUID, *, with_ids: bool = True) -> Rows:
    """Three queries of columns, sorted by the database: building ORM objects for the
    hundreds of options of a big prompt cost ten times as much as reading them.

    ``with_ids=False`` (a snapshot needs no ids): module ids come as the driver gives them,
    only to group the options, and options come without theirs; making UUIDs is most of
    the time left."""
    module_id: Any = PromptModule.id if with_ids else type_coerce(PromptModule.id, NullType())
    option_module: Any = (
        ModuleOption.module_id if with_ids else type_coerce(ModuleOption.module_id, NullType())
    )
    option_id: Any = ModuleOption.id if with_ids else literal_column("NULL")
    modules = list(
        session.exec(
            select(module_id, PromptModule.name, PromptModule.order_index, PromptModule.visible)
            .where(PromptModule.prompt_id == prompt_id)
            .order_by(col(PromptModule.order_index), col(PromptModule.created_at))
        ).all()
    )
    options: dict[uuid.UUID, list[Any]] = {m[0]: [] for m in modules}
    if modules:
        rows = session.exec(
            select(
                option_module,
                option_id,
                ModuleOption.name,
                ModuleOption.content,
                ModuleOption.is_default,
            )
            .join(PromptModule, col(PromptModule.id) == col(ModuleOption.module_id))
            .where(PromptModule.prompt_id == prompt_id)
            # option_order, in SQL: creation, then the position among those made together.
            .order_by(
                col(ModuleOption.created_at),
                col(ModuleOption.meta)["position"].as_integer(),
                col(ModuleOption.name),
            )
        ).all()
        for module_id, *option in rows:
            options[module_id].append(option)
    variables = list(
        session.exec(
            select(PromptVariable.name, PromptVariable.type, PromptVariable.config)
            .where(PromptVariable.prompt_id == prompt_id)
            .order_by(col(PromptVariable.created_at), col(PromptVariable.name))
        ).all()
    )
    return Rows(modules, options, variables)


# Built once: an edit reads its module's options again on every save, and building the
# statement (every column and clause checked) cost more than running it.
_MODULE_OPTIONS = (
    select(ModuleOption.id, ModuleOption.name, ModuleOption.content, ModuleOption.is_default)
    .where(col(ModuleOption.module_id) == bindparam("module_id"))
    .order_by(
        col(ModuleOption.created_at),
        col(ModuleOption.meta)["position"].as_integer(),
        col(ModuleOption.name),
    )
)


def load_options(session: Session, module_id: uuid.UUID) -> list[Any]:
    """One module's options as ``load_rows`` gives them: [(id, name, content, is_default)]."""
    rows = session.exec(_MODULE_OPTIONS, params={"module_id": module_id}).all()
    return [list(row) for row in rows]


def option_order(option: ModuleOption) -> tuple[Any, ...]:
    """In the order they were given (by name alone, "Option 10" came before "Option 2")."""
    return (option.created_at, int((option.meta or {}).get("position", 0)), option.name)


def tags_of(session: Session, prompt_id: uuid.UUID) -> tuple[str, ...]:
    rows = session.exec(
        select(PromptTag.tag).where(PromptTag.prompt_id == prompt_id).order_by(col(PromptTag.tag))
    ).all()
    return tuple(rows)


def state_of(session: Session, prompt: Prompt) -> PromptState:
    rows = load_rows(session, prompt.id, with_ids=False)
    return state_from(prompt, rows, tags_of(session, prompt.id))


class Head(Protocol):
    """What a state takes from the prompt's own row (a Prompt, or its fields kept apart)."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def folder_id(self) -> uuid.UUID | None: ...
    @property
    def project_id(self) -> uuid.UUID | None: ...


def state_from(prompt: Head, rows: Rows, tags: tuple[str, ...]) -> PromptState:
    """The state of ``prompt`` whose rows (with or without ids) and tags are already read."""
    return PromptState(
        name=prompt.name,
        description=prompt.description,
        category=prompt.category,
        tags=tags,
        folder_id=prompt.folder_id,
        project_id=prompt.project_id,
        modules=tuple(
            ModuleState(
                name,
                visible,
                tuple(OptionState(o[1], o[2], o[3]) for o in rows.options[module_id]),
            )
            for module_id, name, _, visible in rows.modules
        ),
        variables=tuple(
            VariableState(name, kind, _pairs(config or {})) for name, kind, config in rows.variables
        ),
    )
