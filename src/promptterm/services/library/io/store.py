"""The library as documents (for export and for comparing with files) and the one write the
prompt service has no call for: a whole prompt, modules, options and variables at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from promptterm.db.models import ModuleOption, Prompt, PromptModule, PromptVariable
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound
from promptterm.services.library.components import ComponentService
from promptterm.services.library.formats.documents import (
    ComponentDoc,
    ModuleDoc,
    OptionDoc,
    PresetDoc,
    PromptDoc,
)
from promptterm.services.library.presets import PresetInfo, PresetService
from promptterm.services.library.prompt_render import VariableSpec
from promptterm.services.library.prompts import FolderInfo, PromptInfo, PromptService

PromptKey = tuple[str | None, str]  # (folder name, prompt name)


@dataclass
class Library:
    """One user's library, keyed the way files name things."""

    components: dict[tuple[str, str], tuple[uuid.UUID, ComponentDoc]]
    presets: dict[str, tuple[uuid.UUID, PresetDoc]]
    prompts: dict[PromptKey, list[tuple[uuid.UUID, PromptDoc]]]
    folders: dict[str, FolderInfo]  # live and in the trash (a trashed name is still taken)

    @property
    def live_folders(self) -> list[str]:
        return sorted(n for n, f in self.folders.items() if f.deleted_at is None)


def load_library(
    components: ComponentService, presets: PresetService, prompts: PromptService
) -> Library:
    folders = {f.name: f for f in [*prompts.folders(), *prompts.folders(trash=True)]}
    names = {f.id: f.name for f in folders.values()}
    by_key: dict[PromptKey, list[tuple[uuid.UUID, PromptDoc]]] = {}
    for info in prompts.list():
        doc = prompt_doc(info, names.get(info.folder_id) if info.folder_id else None)
        by_key.setdefault((doc.folder, doc.name), []).append((info.id, doc))
    return Library(
        components={
            (c.type, c.name): (
                c.id,
                ComponentDoc(c.type, c.name, c.content, c.description, tuple(c.tags)),
            )
            for c in components.list(sort="name")
        },
        presets={p.name: (p.id, preset_doc(p)) for p in presets.list(sort="name")},
        prompts=by_key,
        folders=folders,
    )


def preset_doc(info: PresetInfo) -> PresetDoc:
    return PresetDoc(
        name=info.name,
        description=info.description,
        parts=tuple((c.type, c.name) for c in info.parts),
        missing=info.missing,
    )


def prompt_doc(info: PromptInfo, folder: str | None) -> PromptDoc:
    return PromptDoc(
        name=info.name,
        folder=folder,
        description=info.description,
        variables=info.variables,
        modules=tuple(
            ModuleDoc(
                name=m.name,
                visible=m.visible,
                options=tuple(OptionDoc(o.name, o.content, o.is_default) for o in m.options),
            )
            for m in info.modules
        ),
    )


def write_prompt(
    ctx: ServiceContext,
    doc: PromptDoc,
    folder_id: uuid.UUID | None,
    replacing: uuid.UUID | None = None,
) -> uuid.UUID:
    """Store ``doc`` as a new prompt in one transaction (all of it or none of it). The prompt
    it replaces goes to the trash, where it can be restored like any deleted prompt."""
    now = ctx.now()
    with ctx.db.session() as session:
        if replacing is not None:
            old = session.get(Prompt, replacing)
            if old is None or old.user_id != ctx.user_id or old.deleted_at is not None:
                raise NotFound(f"The prompt {doc.name!r} was deleted while importing.")
            old.deleted_at = now
            session.add(old)
        prompt = Prompt(
            id=ctx.new_id(),
            user_id=ctx.user_id,
            folder_id=folder_id,
            name=doc.name,
            description=doc.description,
            created_at=now,
            updated_at=now,
        )
        session.add(prompt)
        session.flush()
        modules = []
        for index, module_doc in enumerate(doc.modules):
            module = PromptModule(
                id=ctx.new_id(),
                prompt_id=prompt.id,
                name=module_doc.name,
                order_index=index,
                visible=module_doc.visible,
                created_at=now,
                updated_at=now,
            )
            modules.append((module, module_doc))
            session.add(module)
        session.flush()
        for module, module_doc in modules:
            for position, option in enumerate(module_doc.options):
                session.add(
                    ModuleOption(
                        id=ctx.new_id(),
                        module_id=module.id,
                        name=option.name,
                        content=option.content,
                        is_default=option.default,
                        meta={"position": position},
                        created_at=now,
                        updated_at=now,
                    )
                )
        for position, spec in enumerate(doc.variables):
            # Variables are listed by creation time: a microsecond apart keeps the file's order.
            made = now + timedelta(microseconds=position)
            session.add(
                PromptVariable(
                    id=ctx.new_id(),
                    prompt_id=prompt.id,
                    name=spec.name,
                    type=spec.type,
                    config=variable_config(spec),
                    created_at=made,
                    updated_at=made,
                )
            )
        return prompt.id


def variable_config(spec: VariableSpec) -> dict[str, Any]:
    config: dict[str, Any] = {"required": True} if spec.required else {}
    for key in ("default", "min", "max", "label"):
        if getattr(spec, key) is not None:
            config[key] = getattr(spec, key)
    if spec.choices:
        config["choices"] = list(spec.choices)
    return config
