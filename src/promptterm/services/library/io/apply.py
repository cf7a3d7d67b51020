"""Import, step by step: read the files into documents, then add each one to the library
unless it is already there (components first, since presets name them)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.db.vocab import COMPONENT_TYPES
from promptterm.services.errors import LimitReached, ServiceError
from promptterm.services.library.components import storable
from promptterm.services.library.formats.documents import (
    ComponentDoc,
    PresetDoc,
    PromptDoc,
    component_from_markdown,
    preset_from_yaml,
    prompt_from_yaml,
)
from promptterm.services.library.formats.foreign import fabric_pattern, llm_template
from promptterm.services.library.formats.yaml_text import FormatError, load_yaml
from promptterm.services.library.io.files import KIB, FolderReader, SourceFile, shown
from promptterm.services.library.io.report import ImportItem, ReportBuilder
from promptterm.services.library.io.store import Library, PromptKey, write_prompt
from promptterm.services.validation import clean_name

if TYPE_CHECKING:
    from promptterm.services.library.io.service import LibraryIOService

Doc = ComponentDoc | PresetDoc | PromptDoc
Docs = list[tuple[str, Doc]]  # (file, document)

# The most read of each file: generous for what the services accept, small for a machine.
MAX_COMPONENT, MAX_PRESET, MAX_PROMPT = 64 * KIB, 16 * KIB, 4096 * KIB
MAX_MANIFEST, MAX_FOREIGN = 4096 * KIB, 1024 * KIB


def read_native(reader: FolderReader, manifest: str) -> tuple[Docs, list[tuple[str, str]]]:
    docs: Docs = []
    folders: list[tuple[str, str]] = []
    if reader.exists(manifest):
        folders = _manifest_folders(reader, reader.file(manifest))
    for source in reader.walk("components", (".md",)):
        parts = source.rel.split("/")
        folder_type = parts[1] if len(parts) == 3 and parts[1] in COMPONENT_TYPES else None
        _parse(
            reader,
            source,
            MAX_COMPONENT,
            docs,
            lambda text, s=source, t=folder_type: component_from_markdown(
                text, default_name=shown(s.path.stem), folder_type=t
            ),
        )
    for source in reader.walk("presets", (".yaml", ".yml")):
        _parse(reader, source, MAX_PRESET, docs, preset_from_yaml)
    for source in reader.walk("prompts", (".yaml", ".yml")):
        folder = "/".join(source.rel.split("/")[1:-1]) or None
        _parse(
            reader,
            source,
            MAX_PROMPT,
            docs,
            lambda text, f=folder: prompt_from_yaml(text, default_folder=f),
        )
    return docs, folders


def read_foreign(reader: FolderReader, *, fabric: bool, llm: bool, only: Path | None) -> Docs:
    docs: Docs = []
    if fabric:
        patterns = [reader.root, *reader.subfolders()]
        for folder in patterns:
            if not reader.count():
                break
            prefix = "" if folder == reader.root else f"{shown(folder.name)}/"
            system = SourceFile(folder / "system.md", f"{prefix}system.md")
            if not (folder / "system.md").exists():
                continue
            user = SourceFile(folder / "user.md", f"{prefix}user.md")
            name = shown(folder.resolve().name if folder == reader.root else folder.name)
            system_text = reader.read(system, MAX_FOREIGN)
            user_text = reader.read(user, MAX_FOREIGN) if (folder / "user.md").exists() else None
            if system_text is None:
                continue
            try:
                docs.append((system.rel, fabric_pattern(name, system_text, user_text)))
            except FormatError as exc:
                reader.report.error(system.rel, exc.message)
    if llm:
        if only is not None:
            sources = [SourceFile(only, shown(only.name))]
        else:
            sources = reader.walk("", (".yaml", ".yml"), recursive=False)
        for source in sources:
            stem = shown(source.path.stem)
            _parse(reader, source, MAX_FOREIGN, docs, lambda text, n=stem: llm_template(n, text))
    return docs


def _parse(
    reader: FolderReader, source: SourceFile, most: int, docs: Docs, parse: Callable[[str], Doc]
) -> None:
    text = reader.read(source, most)
    if text is None:
        return
    try:
        docs.append((source.rel, parse(text)))
    except FormatError as exc:
        reader.report.error(source.rel, exc.message)


def _manifest_folders(reader: FolderReader, source: SourceFile) -> list[tuple[str, str]]:
    text = reader.read(source, MAX_MANIFEST)
    if text is None:
        return []
    try:
        data = load_yaml(text)
        if not isinstance(data, dict):
            raise FormatError("The manifest must be a YAML mapping.")
        if data.get("format", "promptterm-library") != "promptterm-library":
            raise FormatError("This is not a promptterm library manifest.")
        names = data.get("folders") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise FormatError("'folders' must be a list of folder names.")
        return [(_folder_name(n), source.rel) for n in names[:10_000]]
    except (FormatError, ServiceError) as exc:
        reader.report.error(source.rel, exc.message)
        return []


def _folder_name(name: str) -> str:
    text = clean_name(name, "folder", label="Folder name", min_len=1, max_len=255)
    return storable(text, "folder", "Folder name")


class Importer:
    def __init__(
        self, io: LibraryIOService, library: Library, report: ReportBuilder, *, replace: bool
    ) -> None:
        self.io = io
        self.lib = library
        self.report = report
        self.replace = replace

    def run(self, docs: Docs, folders: list[tuple[str, str]]) -> None:
        for rel, doc in docs:
            if isinstance(doc, ComponentDoc):
                self._guarded(rel, doc.type, doc.name, lambda r=rel, d=doc: self._component(r, d))
        for rel, doc in docs:
            if isinstance(doc, PresetDoc):
                self._guarded(rel, "preset", doc.name, lambda r=rel, d=doc: self._preset(r, d))
        for name, rel in folders:
            self._guarded(rel, "folder", name, lambda n=name, r=rel: self._folder(n, r))
        groups: dict[PromptKey, list[tuple[str, PromptDoc]]] = {}
        for rel, doc in docs:
            if isinstance(doc, PromptDoc):
                groups.setdefault((doc.folder, doc.name), []).append((rel, doc))
        for key, group in groups.items():
            self._prompts(key, group)

    def _guarded(self, rel: str, kind: str, name: str, step: Callable[[], Any]) -> None:
        try:
            step()
        except LimitReached as exc:
            self.report.limit(exc.limit, exc.plan, exc.message, f"{kind} {name!r}")
        except ServiceError as exc:
            self.report.error(rel, exc.message)

    def _component(self, rel: str, doc: ComponentDoc) -> None:
        key, item = (doc.type, doc.name), ImportItem(doc.type, doc.name, rel)
        found = self.lib.components.get(key)
        if found is not None and found[1] == doc:
            self.report.skipped.append(item)
            return
        if found is not None and not self.replace:
            reason = _differences(found[1], doc, ("content", "description", "tags"))
            self.report.conflict(doc.type, doc.name, rel, reason)
            return
        if found is None:
            info = self.io.components.create(
                doc.type, doc.name, doc.content, doc.description, list(doc.tags)
            )
            self.report.created.append(item)
        else:
            info = self.io.components.update(
                found[0],
                content=doc.content,
                description=doc.description or "",
                tags=list(doc.tags),
            )
            self.report.updated.append(item)
        self.lib.components[key] = (info.id, doc)

    def _preset(self, rel: str, doc: PresetDoc) -> None:
        ids: dict[str, uuid.UUID | None] = dict.fromkeys(COMPONENT_TYPES)
        for kind, name in doc.parts:
            component = self.lib.components.get((kind, name))
            if component is None:
                self.report.error(
                    rel,
                    f"It names the {kind} {name!r}, which is neither in your library "
                    "nor in this folder.",
                )
                return
            ids[kind] = component[0]
        item = ImportItem("preset", doc.name, rel)
        found = self.lib.presets.get(doc.name)
        if found is not None and _same_preset(found[1], doc):
            self.report.skipped.append(item)
            return
        if found is not None and not self.replace:
            reason = _differences(found[1], doc, ("description", "parts"))
            self.report.conflict("preset", doc.name, rel, reason)
            return
        if found is None:
            info = self.io.presets.create(doc.name, description=doc.description, **ids)
            self.report.created.append(item)
        else:
            info = self.io.presets.update(found[0], description=doc.description or "", **ids)
            self.report.updated.append(item)
        self.lib.presets[doc.name] = (info.id, doc)

    def _folder(self, name: str, rel: str) -> uuid.UUID:
        found = self.lib.folders.get(name)
        if found is None:
            found = self.io.prompts.create_folder(name)
            self.lib.folders[name] = found
            self.report.created.append(ImportItem("folder", name, rel))
        elif found.deleted_at is not None:
            raise ServiceError(
                f"The folder {name!r} is in the trash; restore it, then import again."
            )
        return found.id

    def _prompts(self, key: PromptKey, group: list[tuple[str, PromptDoc]]) -> None:
        name = key[1]
        existing = list(self.lib.prompts.get(key, []))
        pending: list[tuple[str, PromptDoc]] = []
        for rel, doc in group:
            same = next((i for i, (_, d) in enumerate(existing) if d == doc), None)
            if same is None:
                pending.append((rel, doc))
            else:
                existing.pop(same)
                self.report.skipped.append(ImportItem("prompt", name, rel))
        for rel, doc in pending:
            if len(existing) > 1:
                reason = (
                    f"you have {len(existing)} prompts with this name there; rename one of them"
                )
                self.report.conflict("prompt", name, rel, reason)
            elif existing and not self.replace:
                reason = _differences(existing[0][1], doc, ("description", "variables", "modules"))
                self.report.conflict("prompt", name, rel, reason)
            else:
                replacing = existing.pop()[0] if existing else None
                self._guarded(
                    rel, "prompt", name, lambda r=rel, d=doc, old=replacing: self._write(r, d, old)
                )

    def _write(self, rel: str, doc: PromptDoc, replacing: uuid.UUID | None) -> None:
        folder_id = self._folder(doc.folder, rel) if doc.folder is not None else None
        prompt_id = write_prompt(self.io.ctx, doc, folder_id, replacing)
        item = ImportItem("prompt", doc.name, rel)
        (self.report.updated if replacing else self.report.created).append(item)
        self.lib.prompts.setdefault((doc.folder, doc.name), []).append((prompt_id, doc))


def _same_preset(a: PresetDoc, b: PresetDoc) -> bool:
    # ``missing`` only says what was lost before; the parts are what the preset is.
    return (a.name, a.description, a.parts) == (b.name, b.description, b.parts)


def _differences(mine: object, theirs: object, fields: tuple[str, ...]) -> str:
    differing = [f for f in fields if getattr(mine, f) != getattr(theirs, f)]
    if not differing:
        return "it differs from the one in your library"
    if len(differing) == 1:
        listed, verb = differing[0], "differ" if differing[0].endswith("s") else "differs"
    else:
        listed, verb = f"{', '.join(differing[:-1])} and {differing[-1]}", "differ"
    return f"its {listed} {verb} from the one in your library"
