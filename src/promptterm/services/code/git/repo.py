"""What git knows about a bound folder: branch, ahead/behind, changed files, a file's text at
HEAD and its last commits. Read-only and local: the ``git`` command with no network
operation (no fetch; ahead/behind are counted against what the last fetch left), no
prompts (``GIT_TERMINAL_PROMPT=0``), no lock taken (``GIT_OPTIONAL_LOCKS=0``, so it never
races the user's own git), and a time limit. A folder that is not in a repository, or a
machine without git, gives None and no error: there is simply nothing to show.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from promptterm.services.validation import strip_controls

TIMEOUT_S = 5.0
_COMMIT_ID = re.compile(r"[0-9a-f]{4,64}")
# A whole escape sequence (colour, clear screen), so "\x1b[31m" leaves nothing, not "[31m".
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])")
_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "LC_ALL": "C",
}


@dataclass(frozen=True)
class GitStatus:
    branch: str | None  # None on a detached HEAD
    head: str | None  # short commit id; None before the first commit
    upstream: str | None
    ahead: int
    behind: int
    # Changed files by path relative to the bound folder: "M" modified, "A" added,
    # "D" deleted, "R" renamed, "?" untracked, "U" in conflict.
    changed: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``main ↑1 ↓2 ●3`` for a status line."""
        words = [self.branch or f"({self.head or 'no commits'})"]
        if self.ahead:
            words.append(f"↑{self.ahead}")
        if self.behind:
            words.append(f"↓{self.behind}")
        if self.changed:
            words.append(f"●{len(self.changed)}")
        return " ".join(words)


@dataclass(frozen=True)
class GitCommit:
    sha: str
    author: str
    when: datetime
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=TIMEOUT_S,
            env={**os.environ, **_ENV},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None  # no git here, or a repository too slow to ask: show nothing


def _prefix(root: Path) -> str | None:
    """Where the folder sits inside its repository ("" at the top), None outside one."""
    done = _git(root, "rev-parse", "--show-prefix")
    if done is None or done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").strip()


def in_repository(root: Path) -> bool:
    return _prefix(root) is not None


def git_status(root: Path) -> GitStatus | None:
    prefix = _prefix(root)
    if prefix is None:
        return None
    done = _git(root, "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", ".")
    if done is None or done.returncode != 0:
        return None
    branch = head = upstream = None
    ahead = behind = 0
    changed: dict[str, str] = {}
    entries = done.stdout.decode("utf-8", "replace").split("\0")
    skip = False
    for entry in entries:
        if skip:  # a rename's second path (its old name)
            skip = False
            continue
        if entry.startswith("# branch.oid "):
            oid = entry.split()[-1]
            head = None if oid == "(initial)" else oid[:7]
        elif entry.startswith("# branch.head "):
            name = entry.split(" ", 2)[2]
            branch = None if name == "(detached)" else strip_controls(name)
        elif entry.startswith("# branch.upstream "):
            upstream = strip_controls(entry.split(" ", 2)[2])
        elif entry.startswith("# branch.ab "):
            a, b = entry.split()[2:4]
            ahead, behind = int(a.lstrip("+")), abs(int(b))
        elif entry[:2] in ("1 ", "2 ", "u ", "? "):
            kind = entry[0]
            fields = entry.split(" ", {"1": 8, "2": 9, "u": 10, "?": 1}[kind])
            path = fields[-1]
            if kind == "?":
                mark = "?"
            elif kind == "u":
                mark = "U"
            else:
                xy = fields[1].replace(".", "")
                mark = "R" if kind == "2" else ("D" if "D" in xy else "A" if "A" in xy else "M")
                skip = kind == "2"
            if path.startswith(prefix):
                changed[path[len(prefix) :]] = mark
    return GitStatus(branch, head, upstream, ahead, behind, changed)


def text_at_head(root: Path, rel: str) -> str | None:
    """The file's text in the last commit; None when it is not in it (new, or no repo)."""
    return text_at_commit(root, rel, "HEAD")


def text_at_commit(root: Path, rel: str, commit: str) -> str | None:
    """The file's text in ``commit`` (HEAD or a commit id); None when it is not in it."""
    if commit != "HEAD" and not _COMMIT_ID.fullmatch(commit):
        return None  # never an option or a revision expression the user did not pick
    prefix = _prefix(root)
    if prefix is None:
        return None
    done = _git(root, "show", f"{commit}:{prefix}{rel}")
    if done is None or done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def commits_touching(root: Path, rel: str, limit: int = 20) -> list[GitCommit]:
    """The last commits that changed the file, newest first ([] outside a repository)."""
    if _prefix(root) is None:
        return []
    done = _git(
        root, "log", f"-n{limit}", "--no-color", "--format=%H%x1f%an%x1f%aI%x1f%s%x1e", "--", rel
    )
    if done is None or done.returncode != 0:
        return []
    commits = []
    for record in done.stdout.decode("utf-8", "replace").split("\x1e"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) != 4:
            continue
        sha, author, when, subject = parts
        commits.append(
            GitCommit(sha, _clean(author), datetime.fromisoformat(when), _clean(subject))
        )
    return commits


def _clean(text: str) -> str:
    return strip_controls(_ESCAPE.sub("", text))
