"""Runs in a bound project: start one, keep its history, find it again, run it again.

Nothing runs unless a person asked for it: every run starts from ``start`` with the command
or file they gave (the CLI's arguments, the editor's run dialog or its re-run key).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, or_, select

from promptterm.db.models import CodeRun, Project
from promptterm.services.code.env.variables import EnvService
from promptterm.services.code.runs import commands
from promptterm.services.code.runs.runner import RunHandle, RunOutcome, RunSpec, start_run
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.workspaces import require_role

# The end of the output kept in the history row; the whole of it is in the run's log file.
STORED_OUTPUT_CHARS = 64 * 1024
MAX_TIMEOUT_S = 24 * 3600


@dataclass(frozen=True)
class RunInfo:
    id: uuid.UUID
    project_id: uuid.UUID
    kind: str
    command: str
    language: str | None
    file_path: str | None
    working_directory: str
    status: str
    exit_code: int | None
    duration_ms: int | None
    memory_kb: int | None
    timeout_s: float | None
    output_bytes: int
    output_path: str | None
    created_at: datetime
    finished_at: datetime | None


@dataclass
class ActiveRun:
    """A run under way: the row's id and the handle to follow, kill or wait for it."""

    info: RunInfo
    handle: RunHandle


class RunService:
    def __init__(
        self,
        ctx: ServiceContext,
        env: EnvService | None = None,
        *,
        logs_dir: Path | None = None,
        interpreters: Mapping[str, str] | None = None,
    ) -> None:
        self.ctx = ctx
        self.env = env or EnvService(ctx)
        self._logs_dir = logs_dir
        self.interpreters = dict(interpreters or {})

    @property
    def logs_dir(self) -> Path:
        if self._logs_dir is None:
            from promptterm import locations

            self._logs_dir = locations.data_dir() / "runs"
        return self._logs_dir

    # -- starting --------------------------------------------------------------------------

    def start_command(
        self,
        project_id: uuid.UUID,
        command: str,
        *,
        timeout_s: float | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> ActiveRun:
        argv = commands.command_argv(command)
        return self._start(project_id, "command", command, argv, None, None, timeout_s, on_text)

    def start_file(
        self,
        project_id: uuid.UUID,
        path: str,
        *,
        timeout_s: float | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> ActiveRun:
        language, argv = commands.file_argv(path, self.interpreters)
        shown = " ".join(argv)
        return self._start(project_id, "file", shown, argv, language, path, timeout_s, on_text)

    def rerun(
        self,
        run_id: uuid.UUID,
        *,
        on_text: Callable[[str], None] | None = None,
    ) -> ActiveRun:
        """The same command (or file) again, in the same project, with the same time limit."""
        old = self.get(run_id)
        if old.kind == "file" and old.file_path:
            return self.start_file(
                old.project_id, old.file_path, timeout_s=old.timeout_s, on_text=on_text
            )
        return self.start_command(
            old.project_id, old.command, timeout_s=old.timeout_s, on_text=on_text
        )

    def _start(
        self,
        project_id: uuid.UUID,
        kind: str,
        command: str,
        argv: tuple[str, ...],
        language: str | None,
        file_path: str | None,
        timeout_s: float | None,
        on_text: Callable[[str], None] | None,
    ) -> ActiveRun:
        if timeout_s is not None and not 0 < timeout_s <= MAX_TIMEOUT_S:
            raise ValidationError(
                f"A time limit is between 0 and {MAX_TIMEOUT_S} seconds.", "timeout"
            )
        with self.ctx.db.session() as session:
            root = self._root(session, project_id)
        if file_path is not None:
            _inside(root, file_path)
        env = self.env.resolve(project_id)
        if env.missing:
            names = ", ".join(env.missing)
            raise ValidationError(
                f"The secret variable(s) {names} have no value in this computer's keyring "
                "(a teammate set them). Set them with `promptterm env set --secret NAME`, "
                "or remove them.",
                "env",
            )
        run_id = self.ctx.new_id()
        log_path = self._log_path(run_id)
        row = CodeRun(
            id=run_id,
            user_id=self.ctx.user_id,
            project_id=project_id,
            kind=kind,
            command=command,
            language=language,
            file_path=file_path,
            working_directory=str(root),
            status="running",
            timeout_s=timeout_s,
            output_path=str(log_path),
            created_at=self.ctx.now(),
        )
        with self.ctx.db.session() as session:
            session.add(row)
            session.flush()
            info = _info(row)
        spec = RunSpec(
            argv=argv,
            cwd=root,
            env={**os.environ, **env.values},
            secrets=env.secrets,
            timeout_s=timeout_s,
            log_path=log_path,
        )
        return ActiveRun(info, start_run(spec, on_text))

    # -- finishing -------------------------------------------------------------------------

    def finish(self, run: ActiveRun) -> RunInfo:
        """Wait for the run to end and record how it ended."""
        outcome = run.handle.wait()
        assert outcome is not None
        return self.record(run, outcome)

    def record(self, run: ActiveRun, outcome: RunOutcome) -> RunInfo:
        output = run.handle.tail.text()[-STORED_OUTPUT_CHARS:]
        with self.ctx.db.session() as session:
            row = session.get(CodeRun, run.info.id)
            if row is None:
                raise NotFound("That run is no longer in the history.")
            row.status = outcome.status
            row.exit_code = outcome.exit_code
            row.duration_ms = outcome.duration_ms
            row.memory_kb = outcome.memory_kb
            row.output = output
            row.output_bytes = outcome.output_bytes
            row.finished_at = self.ctx.now()
            session.add(row)
            return _info(row)

    # -- history ---------------------------------------------------------------------------

    def history(
        self, project_id: uuid.UUID, query: str | None = None, *, limit: int = 100
    ) -> list[RunInfo]:
        """The user's runs in the project, newest first; ``query`` finds words in the command
        or the output."""
        with self.ctx.db.session() as session:
            project = session.get(Project, project_id)
            if project is None:
                raise NotFound("That project does not exist or you cannot see it.")
            require_role(session, project.workspace_id, self.ctx.user_id, "viewer", "see its runs")
            stmt = select(CodeRun).where(
                CodeRun.project_id == project_id, CodeRun.user_id == self.ctx.user_id
            )
            if query and query.strip():
                like = f"%{_escape_like(query.strip())}%"
                stmt = stmt.where(
                    or_(
                        col(CodeRun.command).ilike(like, escape="\\"),
                        col(CodeRun.output).ilike(like, escape="\\"),
                    )
                )
            stmt = stmt.order_by(col(CodeRun.created_at).desc(), col(CodeRun.id).desc())
            return [_info(row) for row in session.exec(stmt.limit(limit)).all()]

    def get(self, run_id: uuid.UUID) -> RunInfo:
        with self.ctx.db.session() as session:
            return _info(self._own(session, run_id))

    def output(self, run_id: uuid.UUID) -> str:
        """The last lines kept with the run (secrets masked)."""
        with self.ctx.db.session() as session:
            return self._own(session, run_id).output

    def _own(self, session: Session, run_id: uuid.UUID) -> CodeRun:
        row = session.get(CodeRun, run_id)
        if row is None or row.user_id != self.ctx.user_id:
            raise NotFound("That run is not in your history.")
        return row

    def _root(self, session: Session, project_id: uuid.UUID) -> Path:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        require_role(session, project.workspace_id, self.ctx.user_id, "member", "run code in it")
        if not project.root_path:
            raise ValidationError(
                f"The project {project.name!r} is not bound to a folder, so there is nowhere "
                "to run. Bind it first: `promptterm open FOLDER`.",
                "project",
            )
        root = Path(project.root_path)
        if not root.is_dir():
            raise ValidationError(f"The project's folder {root} is missing.", "project")
        return root

    def _log_path(self, run_id: uuid.UUID) -> Path:
        base = self.logs_dir.resolve()
        path = (base / f"{run_id}.log").resolve()
        if not path.is_relative_to(base):  # an id is a UUID; this keeps it so
            raise ValidationError("A run's log must stay inside the data folder.", "path")
        return path


def _inside(root: Path, rel: str) -> None:
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        raise ValidationError(f"{rel} is not a file in the project's folder.", "file")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _info(row: CodeRun) -> RunInfo:
    return RunInfo(
        id=row.id,
        project_id=row.project_id,
        kind=row.kind,
        command=row.command,
        language=row.language,
        file_path=row.file_path,
        working_directory=row.working_directory,
        status=row.status,
        exit_code=row.exit_code,
        duration_ms=row.duration_ms,
        memory_kb=row.memory_kb,
        timeout_s=row.timeout_s,
        output_bytes=row.output_bytes,
        output_path=row.output_path,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )
