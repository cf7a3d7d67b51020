"""Runs and git in the editor: run the open file (f5) or a command (alt+r) in the bound
project's folder, follow it in the run panel, kill it (alt+k), run it again (shift+f5, or r
in the panel); and the folder's git branch and changes on the info line.

Each run starts from a key the user pressed, never by itself. Starting, waiting and
recording run in a thread worker; the output reaches the panel through the run's shared
tail (widgets/run_panel.py), not through messages, so a flood never fills the queue.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from promptterm.services.errors import ServiceError
from promptterm.services.validation import strip_controls
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.widgets.fitting import Part
from promptterm.ui.editor.messages import ProjectLoaded, Saved
from promptterm.ui.editor.sync import EditorSync
from promptterm.ui.editor.versions import _form
from promptterm.ui.editor.widgets.run_panel import RunPanel

if TYPE_CHECKING:
    from promptterm.services.code import ActiveRun, GitStatus, RunInfo, RunOutcome


@dataclass
class RunStarted(Message):
    run: ActiveRun


@dataclass
class RunEnded(Message):
    info: RunInfo
    outcome: RunOutcome


@dataclass
class RunRefused(Message):
    text: str


@dataclass
class GitRead(Message):
    project_id: uuid.UUID
    status: GitStatus | None
    read: int = 0  # its number in EditorRuns.git_reads (an older read is not shown)


class EditorRuns(EditorSync):
    def __init__(self) -> None:
        super().__init__()
        self.current_run: ActiveRun | None = None
        self.last_run: RunInfo | None = None
        self.last_command = ""
        self.git: GitStatus | None = None
        # Git is read again after each run: a read started before a run (a cancelled thread
        # still runs) can answer after the run's own and would bring back marks it cleared.
        self.git_reads = ReadOrder()

    @property
    def run_panel(self) -> RunPanel:
        return self.query_one("#editor-run", RunPanel)

    @property
    def can_run(self) -> bool:
        project = self.project
        return project is not None and bool(project.root_path) and project.role != "viewer"

    @property
    def run_going(self) -> bool:
        return self.current_run is not None and not self.current_run.handle.finished

    def quit_question(self) -> str | None:
        """Asked before the app quits (q, ctrl+q) while a run is going."""
        if self.current_run is None or not self.run_going:
            return None
        command = strip_controls(self.current_run.info.command)
        return f"{command} is still running \u2014 stop it (and what it started) and quit?"

    def on_unmount(self) -> None:
        # The app is closing: a run left going would keep it waiting for ever on the way out
        # (its worker waits for the run), and outlive it.
        if self.run_going and self.current_run is not None:
            self.current_run.handle.kill()

    def runnable_file(self) -> str | None:
        from promptterm.services.code import language_of

        doc = self.active
        if doc is None or language_of(doc.path) is None:
            return None
        return doc.path

    # Starting --------------------------------------------------------------------------------

    def action_run_file(self) -> None:
        path = self.runnable_file()
        if path is None or not self.can_run or self.run_going:
            return
        doc = self.active
        if doc is not None and self.unsaved(doc):
            self.notify(
                f"{path} has unsaved edits: the run uses what is on disk. Save (f2) to run "
                "what you see.",
                severity="warning",
                timeout=4,
            )
        self._start(file=path)

    def action_run_command(self) -> None:
        if not self.can_run or self.run_going:
            return
        fields = [
            Field(
                "command",
                "Command (runs in the project's folder, in sh)",
                value=self.last_command,
                placeholder="pytest -x",
            )
        ]

        def done(values: dict[str, str] | None) -> None:
            if values is not None and values["command"].strip():
                self.last_command = values["command"]
                self._start(command=values["command"])

        self.app.push_screen(_form("Run a command", fields, lambda v: v, submit_label="Run"), done)

    def action_rerun(self) -> None:
        if self.last_run is not None and self.can_run and not self.run_going:
            self._start(again=self.last_run.id)

    def action_kill_run(self) -> None:
        if self.current_run is not None and not self.current_run.handle.finished:
            self.current_run.handle.kill()

    @work(thread=True, group="editor-run", exit_on_error=False)
    def _start(
        self,
        *,
        file: str | None = None,
        command: str | None = None,
        again: uuid.UUID | None = None,
    ) -> None:
        project = self.project
        if project is None:
            return
        runs = self.services.runs
        try:
            if again is not None:
                run = runs.rerun(again)
            elif file is not None:
                run = runs.start_file(project.id, file)
            else:
                run = runs.start_command(project.id, command or "")
        except ServiceError as exc:
            self.post_message(RunRefused(exc.message))
            return
        self.post_message(RunStarted(run))
        outcome = run.handle.wait()
        assert outcome is not None
        try:
            info = runs.record(run, outcome)
        except ServiceError as exc:
            self.post_message(RunRefused(exc.message))
            return
        self.post_message(RunEnded(info, outcome))

    @on(RunStarted)
    def _run_started(self, message: RunStarted) -> None:
        self.current_run = message.run
        self.last_run = message.run.info
        self.run_panel.follow(message.run.info.command, message.run.handle.tail)
        self.refresh_bindings()

    @on(RunEnded)
    def _run_ended(self, message: RunEnded) -> None:
        self.last_run = message.info
        self.run_panel.finished(message.outcome)
        if message.outcome.error:
            self.notify(message.outcome.error, severity="error")
        self.refresh_bindings()
        self.read_git()  # a run may have changed files (a formatter, a build)

    @on(RunRefused)
    def _run_refused(self, message: RunRefused) -> None:
        self.notify(message.text, title="Not run", severity="error")

    # Git -------------------------------------------------------------------------------------

    @on(ProjectLoaded)
    def _read_git_on_open(self) -> None:
        self.git = None
        self.read_git()

    @on(Saved)
    def _read_git_after_save(self, message: Saved) -> None:
        if not message.version.disk_error:  # written to the folder: git sees a change
            self.read_git()

    @work(thread=True, group="editor-git", exclusive=True, exit_on_error=False)
    def read_git(self) -> None:
        from promptterm.services.code import git_status

        read = self.git_reads.start()
        project = self.project
        if project is None or not project.root_path:
            return
        self.post_message(GitRead(project.id, git_status(Path(project.root_path)), read))

    @on(GitRead)
    def _git_read(self, message: GitRead) -> None:
        if self.project is None or message.project_id != self.project.id:
            return
        if not self.git_reads.is_newest(message.read):
            return  # read before a later read that is shown
        self.git = message.status
        self.tree_view.mark_changed(message.status.changed if message.status else {})
        self.refresh_info()

    def info_extra(self) -> list[Part]:
        parts = super().info_extra()
        if self.git is not None:
            label = self.git.label
            parts.append(Part((f"git {label}", label, self.git.branch or ""), gives_way=5))
        return parts
