"""Library files: export components, presets and prompts to a folder of plain files (so a
library can live in git) and import them back, or import Fabric patterns and llm templates.

The layout (see library_formats for each file's format)::

    promptterm-library.yaml            format, the folders, and the files this export wrote
    components/<type>/<name>.md        Markdown with front matter
    presets/<name>.yaml                components named by type and name
    prompts/[<folder>/]<name>.yaml     folder, variables, modules and their options

Importing matches by name (components by type and name, prompts by folder and name): an
identical item is skipped, a different one is reported as a conflict and left alone unless
``on_conflict="replace"`` (a replaced component keeps its old state as a version; a replaced
prompt goes to the trash). A bad file is reported and the rest goes on. Usage counts and
timestamps are not part of the files.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Literal

from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.library.components import ComponentService
from promptterm.services.library.formats.documents import (
    component_to_markdown,
    preset_to_yaml,
    prompt_to_yaml,
)
from promptterm.services.library.formats.yaml_text import FormatError, dump_yaml, load_yaml
from promptterm.services.library.io.apply import Importer, read_foreign, read_native
from promptterm.services.library.io.files import KIB, FolderReader, shown
from promptterm.services.library.io.report import ExportReport, ImportReport, ReportBuilder
from promptterm.services.library.io.store import Library, load_library
from promptterm.services.library.presets import PresetService
from promptterm.services.library.prompts import PromptService
from promptterm.services.path_guard import OutsideFolder, inside
from promptterm.services.validation import slugify

MANIFEST = "promptterm-library.yaml"
FORMAT = "promptterm-library"
OnConflict = Literal["skip", "replace"]


class LibraryIOService:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        components: ComponentService,
        presets: PresetService,
        prompts: PromptService,
    ) -> None:
        self.ctx = ctx
        self.components = components
        self.presets = presets
        self.prompts = prompts

    def export_to(self, path: str | Path) -> ExportReport:
        """Write the library under ``path`` (created if needed). Files whose text would not
        change are left untouched, and files an earlier export wrote for items that are gone
        are removed if they still hold what it wrote; nothing else in the folder is
        touched, and no path leads out of it (a symbolic link there is refused)."""
        root = Path(path).expanduser()
        library = self._library()
        files = render_files(library)
        for rel in [*files, MANIFEST]:
            # Before anything is written: a symbolic link under root never leads us out.
            inside(root, rel, action="write", folder="the export folder")
        try:
            root.mkdir(parents=True, exist_ok=True)
            before = _previous_files(root)
            written = [rel for rel, text in files.items() if _write_if_changed(root, rel, text)]
            removed, kept = [], []
            for rel in sorted(set(before) - set(files)):
                (removed if _remove(root, rel, before[rel]) else kept).append(rel)
            manifest = {
                "format": FORMAT,
                "version": 1,
                "folders": library.live_folders,
                "files": sorted(files),
                # What each file held when written: only such a file is ever removed later.
                "sha256": {rel: _sha(text) for rel, text in sorted(files.items())},
            }
            if _write_if_changed(root, MANIFEST, dump_yaml(manifest)):
                written.append(MANIFEST)
        except OSError as exc:
            where = shown(exc.filename) if exc.filename else shown(root)
            raise ValidationError(f"Cannot write {where}: {exc.strerror}.", "path") from exc
        prompts = sum(len(v) for v in library.prompts.values())
        return ExportReport(
            directory=str(root),
            components=len(library.components),
            presets=len(library.presets),
            prompts=prompts,
            folders=len(library.live_folders),
            written=tuple(written),
            unchanged=len(files) + 1 - len(written),
            removed=tuple(removed),
            kept=tuple(kept),
        )

    def import_from(
        self,
        path: str | Path,
        *,
        fabric: bool = False,
        llm: bool = False,
        on_conflict: OnConflict = "skip",
    ) -> ImportReport:
        """Import a folder this service exported (or one written by hand in its layout), or,
        with ``fabric`` / ``llm``, a folder of Fabric patterns / llm templates (an llm
        template may also be a single file). See library_formats_foreign for the mapping."""
        if on_conflict not in ("skip", "replace"):
            raise ValidationError("on_conflict is 'skip' or 'replace'.", "on_conflict")
        root = Path(path).expanduser()
        if not root.exists():
            raise NotFound(f"There is no folder {shown(root)}.")
        single = root.is_file() and llm and not fabric
        if not root.is_dir() and not single:
            raise ValidationError(f"{shown(root)} is not a folder.", "path")
        report = ReportBuilder(shown(root))
        reader = FolderReader(root.parent if single else root, report)
        folders: list[tuple[str, str]] = []
        if fabric or llm:
            only = root if single else None
            docs = read_foreign(reader, fabric=fabric, llm=llm, only=only)
        else:
            docs, folders = read_native(reader, MANIFEST)
        Importer(self, self._library(), report, replace=on_conflict == "replace").run(docs, folders)
        return report.build()

    def _library(self) -> Library:
        return load_library(self.components, self.presets, self.prompts)


def render_files(library: Library) -> dict[str, str]:
    """Every file of an export: relative path -> text, in a stable order with unique names."""
    files: dict[str, str] = {}
    taken: set[str] = set()
    for (kind, name), (_, doc) in sorted(library.components.items()):
        files[_unique(taken, f"components/{kind}", name, ".md")] = component_to_markdown(doc)
    for name, (_, doc) in sorted(library.presets.items()):
        files[_unique(taken, "presets", name, ".yaml")] = preset_to_yaml(doc)
    folder_dirs: dict[str, str] = {}
    for folder in sorted({key[0] for key in library.prompts if key[0] is not None}):
        folder_dirs[folder] = _unique(taken, "prompts", folder, "")
    for (folder, name), found in sorted(
        library.prompts.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])
    ):
        where = folder_dirs[folder] if folder is not None else "prompts"
        # Prompts sharing a name are ordered by their text, so their files keep their names.
        for text in sorted(prompt_to_yaml(doc) for _, doc in found):
            files[_unique(taken, where, name, ".yaml")] = text
    return files


def _unique(taken: set[str], folder: str, name: str, suffix: str) -> str:
    """``folder/<slug><suffix>``, with -2, -3... where names share a slug (compared in lower
    case, for file systems that ignore case)."""
    slug = slugify(name) or "untitled"
    candidate, n = f"{folder}/{slug}{suffix}", 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{folder}/{slug}-{n}{suffix}"
    taken.add(candidate.lower())
    return candidate


def _previous_files(root: Path) -> dict[str, str | None]:
    """The files the last export listed in its manifest, each with the SHA-256 of what it
    wrote there (None from a manifest of before hashes were kept; none if it is missing or
    broken)."""
    manifest = root / MANIFEST
    if not manifest.is_file() or manifest.is_symlink() or manifest.stat().st_size > 4096 * KIB:
        return {}
    try:
        data = load_yaml(manifest.read_text(encoding="utf-8"))
    except (FormatError, UnicodeDecodeError):
        return {}
    listed = data.get("files") if isinstance(data, dict) else None
    if not isinstance(listed, list):
        return {}
    hashes = data.get("sha256")
    hashes = hashes if isinstance(hashes, dict) else {}
    return {
        f: h if isinstance(h := hashes.get(f), str) else None
        for f in listed
        if isinstance(f, str) and _is_ours(f)
    }


def _is_ours(rel: str) -> bool:
    # Only paths of the shape an export writes: a tampered manifest cannot name ../../x.
    parts = rel.split("/")
    return (
        len(parts) >= 2
        and parts[0] in ("components", "presets", "prompts")
        and all(p and p not in (".", "..") and "\\" not in p for p in parts)
        and rel.endswith((".md", ".yaml"))
    )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write_if_changed(root: Path, rel: str, text: str) -> bool:
    path = inside(root, rel, action="write", folder="the export folder")
    data = text.encode("utf-8")
    if path.is_file() and not path.is_symlink():
        try:
            if path.read_bytes() == data:
                return False
        except OSError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name, created exclusively: a link planted where the temporary file goes is
    # never followed.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        temporary.replace(path)  # never a half-written file in someone's git checkout
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return True


def _remove(root: Path, rel: str, sha: str | None) -> bool:
    """Remove a file an earlier export wrote, only if it still holds exactly what that
    export wrote there (so never a file someone edited or put there since, nor anything a
    link leads to); False when it is left in place."""
    try:
        path = inside(root, rel, action="delete", folder="the export folder")
    except OutsideFolder:
        return False
    if sha is None or not path.is_file() or path.is_symlink():
        return False
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            return False
    except OSError:
        return False
    path.unlink()
    parent = path.parent
    while parent != root and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
    return True
