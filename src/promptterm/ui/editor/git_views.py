"""Git beside our versions: the open file against HEAD (alt+d), and the last commits that
touched it at the foot of the history panel (f4), each one compared with the text now.

Every git command runs in a thread worker, never on the UI thread. A project that is not
bound, a folder outside git, or a file git does not know is said in words, not shown as an
empty diff.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from promptterm.ui.editor.runs import EditorRuns
from promptterm.ui.editor.versions import SIDE_BY_SIDE_MIN_WIDTH
from promptterm.ui.editor.widgets.diff_model import DiffModel, build_model

if TYPE_CHECKING:
    from promptterm.services.code import GitCommit
    from promptterm.ui.editor.widgets.document import OpenFile

HEAD = "HEAD"


@dataclass
class GitDiffReady(Message):
    model: DiffModel
    from_history: bool  # closing it goes back to the history panel, else to the code


@dataclass
class GitDiffMissing(Message):
    text: str


@dataclass
class CommitsLoaded(Message):
    file_id: uuid.UUID
    path: str
    commits: list[GitCommit] | None  # None: the folder is not in a git repository


class EditorGit(EditorRuns):
    def _git_root(self) -> Path | None:
        project = self.project
        return Path(project.root_path) if project is not None and project.root_path else None

    def _text_now(self, doc: OpenFile) -> tuple[str, str] | None:
        """(the text in the editor, how to call it) or None for a file shown as no text."""
        code = self.code_of(doc)
        if code is None:
            return None
        return code.text, ("your edits" if self.unsaved(doc) else "now")

    # The file against HEAD -------------------------------------------------------------------

    def action_diff_head(self) -> None:
        doc = self.active
        if doc is None:
            return
        root = self._git_root()
        if root is None:
            self.notify(
                "This project is not bound to a folder, so there is no git repository to "
                "compare with. Its own versions are in the history (f4).",
                title="No git",
            )
            return
        now = self._text_now(doc)
        if now is None:
            self.notify(f"{doc.path} is not shown as text, so there is no diff to show.")
            return
        self._git_diff(root, doc.path, HEAD, *now, from_history=False)

    # Commits in the history panel ------------------------------------------------------------

    def reload_history(self, file_id: uuid.UUID | None = None) -> None:
        super().reload_history(file_id)
        doc = self.active
        if not self.history_shown or doc is None:
            return
        if file_id is not None and doc.file_id != file_id:
            return
        root = self._git_root()
        if root is None:
            self.history_panel.show_commits(doc.path, None, self.now())
            return
        self._load_commits(root, doc.file_id, doc.path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-git-log")
    def _load_commits(self, root: Path, file_id: uuid.UUID, path: str) -> None:
        from promptterm.services.code import commits_touching, in_repository

        commits = commits_touching(root, path) if in_repository(root) else None
        self.post_message(CommitsLoaded(file_id, path, commits))

    @on(CommitsLoaded)
    def _commits_loaded(self, message: CommitsLoaded) -> None:
        doc = self.active
        if doc is not None and doc.file_id == message.file_id:
            self.history_panel.show_commits(message.path, message.commits, self.now())
            self.refresh_bindings()

    def compare_commit(self) -> bool:
        commit = self.history_panel.highlighted_commit
        doc = self.active
        root = self._git_root()
        if commit is None or doc is None or root is None:
            return False
        now = self._text_now(doc)
        if now is None:
            self.notify(f"{doc.path} is not shown as text, so there is no diff to show.")
        else:
            self._git_diff(root, doc.path, commit.sha, *now, from_history=True)
        return True

    # Both diffs ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-diff")
    def _git_diff(
        self, root: Path, path: str, commit: str, text: str, label: str, *, from_history: bool
    ) -> None:
        from promptterm.services.code import git_status, text_at_commit
        from promptterm.services.files import side_by_side

        old = text_at_commit(root, path, commit)
        if old is None:
            self.post_message(GitDiffMissing(_why_no_text(root, path, commit)))
            return
        if commit == HEAD:
            status = git_status(root)
            left = f"HEAD ({status.head})" if status is not None and status.head else "HEAD"
        else:
            left = f"commit {commit[:7]}"
        model = build_model(side_by_side(old, text), path, left, label)
        self.post_message(GitDiffReady(model, from_history))

    @on(GitDiffMissing)
    def _git_diff_missing(self, message: GitDiffMissing) -> None:
        self.notify(message.text, title="No git diff")

    @on(GitDiffReady)
    def _show_git_diff(self, message: GitDiffReady) -> None:
        from promptterm.ui.editor.dialogs.diff import DiffScreen

        side = self.diff_side_by_side
        if side is None:
            side = self.app.size.width >= SIDE_BY_SIDE_MIN_WIDTH

        def closed(_: None) -> None:
            if message.from_history and self.history_shown:
                self.history_panel.options.focus()
            else:
                self.focus_active()

        self.app.push_screen(DiffScreen(message.model, side_by_side=side), closed)


def _why_no_text(root: Path, path: str, commit: str) -> str:
    from promptterm.services.code import git_status

    status = git_status(root)
    if status is None:
        return (
            f"The project's folder {root} is not in a git repository, so {path} has no "
            "HEAD to compare with. Its own versions are in the history (f4)."
        )
    if commit != HEAD:
        return f"{path} is not in commit {commit[:7]}."
    if status.head is None:
        return "The repository has no commits yet, so there is no HEAD to compare with."
    if status.changed.get(path) == "?":
        return f"{path} is not in git yet (untracked): there is nothing at HEAD to compare."
    return f"{path} is not in the last commit (HEAD): it is new, so there is nothing to compare."
