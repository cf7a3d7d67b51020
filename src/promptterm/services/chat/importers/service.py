"""Bring history from other tools: ``ChatImportService.import_file(source, path)``.

The threads go into a project of the chosen workspace (by default the one used last; its
project "<Source> history", made on first use), each with its branches, versions, models,
times and token counts. A conversation that cannot be read or stored is reported with the
reason and the rest are imported; a file that is not the source's at all is refused whole.
``dry_run`` reads and matches everything but stores nothing (and makes no project).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from promptterm.services.chat.importers.model import (
    IMPORT_SOURCES,
    SOURCE_NAMES,
    ItemProblem,
    Parsed,
    SourceThread,
    counted,
)
from promptterm.services.chat.importers.tree import plan
from promptterm.services.chat.importers.writer import ImportWriter, WriteOutcome, thread_title
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.validation import strip_controls
from promptterm.services.workspaces import (
    ProjectService,
    WorkspaceInfo,
    WorkspaceService,
    require_role,
)

DEFAULT_WORKSPACE = "Personal"


@dataclass(frozen=True)
class ImportedThread:
    source_id: str
    title: str
    status: str  # "new" | "added" (messages appended) | "unchanged" | "kept" (changed here)
    messages: int  # messages added, or that a dry run would add
    branches: int  # branch threads added
    thread_id: uuid.UUID | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    source: str
    source_name: str  # as people write it: "ChatGPT"
    path: str
    dry_run: bool
    workspace: str
    project: str
    threads: tuple[ImportedThread, ...]
    problems: tuple[ItemProblem, ...]

    @property
    def new_threads(self) -> int:
        return sum(1 for t in self.threads if t.status == "new")

    @property
    def messages(self) -> int:
        return sum(t.messages for t in self.threads)

    @property
    def unchanged(self) -> int:
        return sum(1 for t in self.threads if t.status in ("unchanged", "kept"))


class ChatImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.writer = ImportWriter(ctx)

    def import_file(
        self,
        source: str,
        path: str | Path,
        *,
        workspace: str | None = None,
        project: str | None = None,
        dry_run: bool = False,
    ) -> ImportReport:
        read = reader(source)
        path = Path(path).expanduser()
        project_name = project or f"{SOURCE_NAMES[source]} history"
        ws = self._workspace(workspace, dry_run)
        project_id = self._project(ws, project_name, dry_run)
        threads: list[ImportedThread] = []
        problems: list[ItemProblem] = []
        for item in read(path):
            if isinstance(item, ItemProblem):
                problems.append(_shown(item))
                continue
            try:
                threads.append(self._one(source, item, project_id, ws, dry_run))
            except (RecursionError, SQLAlchemyError) as exc:
                problems.append(_shown(ItemProblem(_label(item), _why(exc))))
        return ImportReport(
            source=source,
            source_name=SOURCE_NAMES[source],
            path=str(path),
            dry_run=dry_run,
            workspace=ws.name if ws else DEFAULT_WORKSPACE,
            project=project_name,
            threads=tuple(threads),
            problems=tuple(problems),
        )

    def _one(
        self,
        source: str,
        thread: SourceThread,
        project_id: uuid.UUID | None,
        ws: WorkspaceInfo | None,
        dry_run: bool,
    ) -> ImportedThread:
        planned = plan(thread)
        notes = list(thread.notes)
        if planned.unplaced:
            notes.append(
                f"{counted(planned.unplaced, 'message')} outside the conversation's tree left out"
            )
        if not planned.message_count():
            outcome = WriteOutcome(None, "unchanged", 0, 0, ("no messages: nothing to import",))
        else:
            with self.ctx.db.session() as session:
                if ws is not None:
                    require_role(session, ws.id, self.ctx.user_id, "member", "import threads")
                outcome = self.writer.write(session, source, planned, project_id, dry_run=dry_run)
        return ImportedThread(
            source_id=thread.source_id,
            title=thread_title(thread.title, planned) or "New thread",
            status=outcome.status,
            messages=outcome.messages,
            branches=outcome.branches,
            thread_id=outcome.thread_id,
            # What was left out matters when something is added, not on every later run.
            notes=tuple(
                strip_controls(n)
                for n in (*(notes if outcome.status in ("new", "added") else ()), *outcome.notes)
            ),
        )

    def _workspace(self, ref: str | None, dry_run: bool) -> WorkspaceInfo | None:
        workspaces = WorkspaceService(self.ctx)
        if ref:
            return workspaces.get(ref)
        found = workspaces.list()
        if found:
            return found[0]
        if dry_run:
            return None
        try:
            return workspaces.create(DEFAULT_WORKSPACE)
        except (Conflict, IntegrityError):
            # Slugs are shared by everyone on the database: another person has "personal"
            # (IntegrityError in team mode, where row-level security hides their row from
            # the service's own check).
            return workspaces.create(DEFAULT_WORKSPACE, slug=f"personal-{self.ctx.user_id.hex[:8]}")

    def _project(self, ws: WorkspaceInfo | None, name: str, dry_run: bool) -> uuid.UUID | None:
        if ws is None:
            return None
        projects = ProjectService(self.ctx)
        for p in projects.list(ws.id):
            if name in (p.name, p.slug):
                return p.id
        return None if dry_run else projects.create(ws.id, name).id


def reader(source: str) -> Callable[[Path], Parsed]:
    if source not in IMPORT_SOURCES:
        raise ValidationError(
            f"Unknown source {source!r}: use one of {', '.join(IMPORT_SOURCES)}.", "source"
        )
    module = import_module(f"promptterm.services.chat.importers.{source}")
    read: Callable[[Path], Parsed] = module.read
    return read


def _label(thread: SourceThread) -> str:
    return f"conversation {thread.source_id}" + (f" ({thread.title})" if thread.title else "")


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "its branches nest too deeply to follow"
    if isinstance(exc, IntegrityError):
        return "another import stored it at the same moment; run the import again"
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    return f"the database refused it ({detail})"


def _shown(problem: ItemProblem) -> ItemProblem:
    """Names and messages come from the file: no control character reaches a screen."""
    return ItemProblem(strip_controls(problem.item), strip_controls(problem.message))
