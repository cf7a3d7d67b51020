"""The history panel: every version of the active file, newest first, then (in a git
repository) the last commits that touched it.

Each version shows the number, time, author, size and message. One version can be marked
(space) as the left side of a comparison; enter then compares it with the highlighted one,
or, with nothing marked, the highlighted version with the one before it. Enter on a commit
compares the file at that commit with the text now.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.words import plural
from promptterm.ui.common.widgets.format import ago
from promptterm.ui.common.widgets.format import size as fmt_size

if TYPE_CHECKING:
    from promptterm.services.code import GitCommit
    from promptterm.services.files.models import VersionInfo

MARK = "\u25c6"  # ◆
# The keys under the list, for the highlighted row: a commit is only compared with the text
# now (never marked or restored), as the footer says too.
VERSION_KEYS = "enter compare \u00b7 space mark \u00b7 r restore"
COMMIT_KEYS = "enter compare with the text now"


def version_when(moment: datetime, now: datetime) -> str:
    """ "09:30" today, "Jan 12 14:05" this year, "2025-03-02" before."""
    if moment.date() == now.date():
        return f"{moment:%H:%M}"
    if moment.year == now.year:
        return f"{moment:%b %d %H:%M}"
    return f"{moment:%Y-%m-%d}"


class HistoryPanel(Vertical):
    DEFAULT_CSS = """
    HistoryPanel {
        height: 1fr;
    }
    HistoryPanel #history-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    HistoryPanel #history-list {
        height: 1fr;
        border: none;
        background: $surface;
    }
    HistoryPanel #history-keys {
        height: auto;
        padding: 0 1;
        color: $text-muted;
        background: $panel;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.versions: list[VersionInfo] = []
        self.path = ""
        self.marked: int | None = None
        self.head = 0
        # The commits that touched ``commits_path``; None outside git (no section at all).
        self.commits: list[GitCommit] | None = None
        self.commits_path = ""

    def compose(self) -> ComposeResult:
        yield Static("History", id="history-title", markup=False)
        yield OptionList(id="history-list")
        yield Static(VERSION_KEYS, id="history-keys", markup=False)

    @on(OptionList.OptionHighlighted, "#history-list")
    def _keys_for_the_row(self) -> None:
        keys = COMMIT_KEYS if self.highlighted_commit is not None else VERSION_KEYS
        self.query_one("#history-keys", Static).update(keys)

    @property
    def options(self) -> OptionList:
        return self.query_one("#history-list", OptionList)

    def show_message(self, title: str, message: str) -> None:
        self.versions = []
        self.commits = None
        self.query_one("#history-title", Static).update(title)
        self.options.clear_options()
        self.options.add_option(Option(Text(message, style="italic"), disabled=True))

    def show(self, path: str, versions: list[VersionInfo], now: datetime) -> None:
        keep = self.highlighted
        same_file = path == self.path
        head = versions[0].number if versions else 0
        grew = same_file and head != self.head  # a new version: show it, at the top
        self.path = path
        self.versions = versions
        self.head = head
        if not same_file or self.marked not in {v.number for v in versions}:
            self.marked = None
        self._title()
        self._fill(now)
        if keep is not None and same_file and not grew:
            self.select_version(keep.number)
        elif versions:
            self.options.highlighted = 0

    def show_commits(self, path: str, commits: list[GitCommit] | None, now: datetime) -> None:
        self.commits_path, self.commits = path, commits
        if path == self.path:
            self._title()
            self._fill(now)

    def _shown_commits(self) -> list[GitCommit] | None:
        return self.commits if self.commits_path == self.path else None

    def _title(self) -> None:
        title = f"History \u00b7 {plural(len(self.versions), 'version')}"
        commits = self._shown_commits()
        if commits:
            title += f" \u00b7 {plural(len(commits), 'commit')}"
        self.query_one("#history-title", Static).update(title)

    def _fill(self, now: datetime) -> None:
        options = self.options
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(Option(self._prompt(v, now), id=f"v{v.number}") for v in self.versions)
        commits = self._shown_commits()
        if commits is not None:
            heading = "git: the last commits" if commits else "git: no commit has this file yet"
            options.add_option(Option(Text(heading, style="bold"), id="git", disabled=True))
            options.add_options(
                Option(self._commit_prompt(c, now), id=f"c{n}") for n, c in enumerate(commits)
            )
        if self.versions:
            options.highlighted = min(highlighted or 0, options.option_count - 1)

    def _commit_prompt(self, c: GitCommit, now: datetime) -> Text:
        line = Text.assemble(
            " ",
            (c.short, "bold"),
            f"  {ago(c.when, now)}",
            ("  " + c.author, "dim"),
        )
        line.append("\n  ")
        line.append(c.subject or "(no subject)", "" if c.subject else "italic dim")
        return line

    def _prompt(self, v: VersionInfo, now: datetime) -> Text:
        mark = MARK if v.number == self.marked else " "
        head = " current" if v.number == self.head else ""
        line = Text.assemble(
            (mark, "bold"),
            (f"v{v.number}", "bold"),
            (head, "italic"),
            f"  {version_when(v.created_at, now)}",
            ("  " + (v.author or "someone"), "dim"),
            ("  " + fmt_size(v.size_bytes), "dim"),
        )
        line.append("\n  ")
        line.append(v.message or "(no message)", "italic dim" if not v.message else "")
        return line

    @property
    def highlighted(self) -> VersionInfo | None:
        index = self.options.highlighted if self.versions else None
        if index is None or index >= len(self.versions):
            return None
        return self.versions[index]

    @property
    def highlighted_commit(self) -> GitCommit | None:
        commits = self._shown_commits()
        index = self.options.highlighted
        if not commits or index is None:
            return None
        at = index - len(self.versions) - 1  # after the versions and the "git" heading
        return commits[at] if 0 <= at < len(commits) else None

    def select_version(self, number: int) -> None:
        for n, v in enumerate(self.versions):
            if v.number == number:
                self.options.highlighted = n
                return

    def toggle_mark(self, now: datetime) -> int | None:
        version = self.highlighted
        if version is None:
            return self.marked
        self.marked = None if self.marked == version.number else version.number
        self._fill(now)
        return self.marked

    def pair(self) -> tuple[int, int] | None:
        """(older, newer) to compare: marked vs highlighted, or highlighted vs the one before."""
        version = self.highlighted
        if version is None:
            return None
        if self.marked is not None and self.marked != version.number:
            a, b = sorted((self.marked, version.number))
            return a, b
        older = [v.number for v in self.versions if v.number < version.number]
        if not older:
            return None
        return older[0], version.number
