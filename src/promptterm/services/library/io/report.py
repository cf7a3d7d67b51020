"""What an export wrote and what an import did, item by item, for a screen or a script."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportItem:
    kind: str  # role, style, context, mode, preset, prompt or folder
    name: str
    path: str  # the file it came from, relative to the imported folder

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name!r}"


@dataclass(frozen=True)
class ImportConflict:
    kind: str
    name: str
    path: str
    reason: str


@dataclass(frozen=True)
class ImportFileError:
    path: str
    message: str


@dataclass(frozen=True)
class ImportLimit:
    """A plan limit that stopped part of an import, with everything it left out."""

    limit: str
    plan: str
    message: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    source: str
    created: tuple[ImportItem, ...]
    updated: tuple[ImportItem, ...]
    skipped: tuple[ImportItem, ...]  # already in the library, identical
    conflicts: tuple[ImportConflict, ...]  # in the library, different, left as it was
    errors: tuple[ImportFileError, ...]  # files that could not be read or imported
    limits: tuple[ImportLimit, ...]

    @property
    def ok(self) -> bool:
        return not (self.conflicts or self.errors or self.limits)

    @property
    def summary(self) -> str:
        parts = [
            f"{len(self.created)} created",
            f"{len(self.updated)} updated",
            f"{len(self.skipped)} unchanged",
        ]
        for count, one, many in (
            (len(self.conflicts), "conflict", "conflicts"),
            (len(self.errors), "error", "errors"),
            (sum(len(limit.names) for limit in self.limits), "over the plan limit", None),
        ):
            if count:
                parts.append(f"{count} {one if count == 1 or many is None else many}")
        return ", ".join(parts)


@dataclass(frozen=True)
class ExportReport:
    directory: str
    components: int
    presets: int
    prompts: int
    folders: int
    written: tuple[str, ...]  # files created or changed, relative to the directory
    unchanged: int  # files that already held exactly this
    removed: tuple[str, ...]  # files of an earlier export whose item no longer exists
    # Files an earlier export listed for items now gone, left in place: changed since, or
    # listed by a manifest that kept no record of what it wrote.
    kept: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return (
            f"{_count(self.components, 'component')}, {_count(self.presets, 'preset')}, "
            f"{_count(self.prompts, 'prompt')} in {self.directory}: "
            f"{_count(len(self.written), 'file')} written, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed"
            + (f", {len(self.kept)} left in place" if self.kept else "")
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass
class ReportBuilder:
    source: str
    created: list[ImportItem] = field(default_factory=list)
    updated: list[ImportItem] = field(default_factory=list)
    skipped: list[ImportItem] = field(default_factory=list)
    conflicts: list[ImportConflict] = field(default_factory=list)
    errors: list[ImportFileError] = field(default_factory=list)
    limits: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)

    def error(self, path: str, message: str) -> None:
        self.errors.append(ImportFileError(path, message))

    def conflict(self, kind: str, name: str, path: str, reason: str) -> None:
        self.conflicts.append(ImportConflict(kind, name, path, reason))

    def limit(self, limit: str, plan: str, message: str, label: str) -> None:
        # The first refusal's message says it all ("allows 20 ... and you have 20"); later
        # ones only add names.
        self.limits.setdefault(limit, (plan, message, []))[2].append(label)

    def build(self) -> ImportReport:
        return ImportReport(
            source=self.source,
            created=tuple(self.created),
            updated=tuple(self.updated),
            skipped=tuple(self.skipped),
            conflicts=tuple(self.conflicts),
            errors=tuple(self.errors),
            limits=tuple(
                ImportLimit(limit, plan, message, tuple(names))
                for limit, (plan, message, names) in self.limits.items()
            ),
        )
