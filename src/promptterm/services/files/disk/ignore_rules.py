"""Which files of a bound directory promptterm leaves alone, and the walk that honours it.

Always skipped: version-control folders, node_modules, Python caches, virtualenvs (any
folder holding a pyvenv.cfg, plus .venv and venv by name), promptterm's own temporary files,
other editors' swap, backup and temp files (vim, emacs, JetBrains, VS Code) and symbolic
links (a link can point outside the directory or into a loop). Then what the
directory's .gitignore files (at any depth) and .git/info/exclude say, with git's meaning:
later and deeper patterns win, ``!`` re-includes, a trailing ``/`` matches folders only, a
leading or inner ``/`` anchors to the .gitignore's folder, ``**`` spans folders; a file in
an ignored folder stays ignored, as in git. Matching is the well-kept ``pathspec`` library's
GitIgnoreSpec (imported on first use).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

ALWAYS_IGNORED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".idea",  # JetBrains' project settings
    }
)
TEMP_SUFFIX = ".promptterm-tmp"
ALWAYS_IGNORED_FILES = frozenset({".DS_Store", "Thumbs.db", "4913"})  # 4913: vim's write test


_VIM_SWAP = re.compile(r"^\..+\.sw[a-p]$")  # .main.py.swp, then .swo, .swn ...


def is_editor_dropping(name: str) -> bool:
    """Swap, backup, lock and temp files other editors leave beside what they edit (vim,
    emacs, JetBrains, VS Code): never a project file, so never imported."""
    return (
        # vim: .name.swp, .swo, .swn ...; backups name~
        _VIM_SWAP.match(name) is not None
        or name.endswith("~")
        # emacs: #name# autosaves, .#name lock links
        or (name.startswith("#") and name.endswith("#") and len(name) > 1)
        or name.startswith(".#")
        # JetBrains' safe write and VS Code's / others' atomic save temps
        or name.endswith(("___jb_tmp___", "___jb_old___", ".crswap"))
    )


@dataclass(frozen=True)
class Entry:
    """One thing the walk met: ``rel`` is the POSIX path relative to the root."""

    rel: str
    kind: Literal["file", "dir", "ignored", "symlink", "error"]
    error: OSError | None = None


class IgnoreRules:
    """Answers "does promptterm skip this path?" for one directory tree.

    Answers are cached per folder; call ``reload`` when a .gitignore changes.
    """

    def __init__(self, root: Path, extra_patterns: Sequence[str] = ()) -> None:
        self.root = root
        self.extra_patterns = tuple(extra_patterns)
        self.reload()

    def reload(self) -> None:
        self._spec_for.cache_clear()
        self._dir_ignored.cache_clear()

    def is_ignored(self, rel: str, is_dir: bool = False) -> bool:
        rel = rel.strip("/")
        if not rel:
            return False
        parent, _, name = rel.rpartition("/")
        if parent and self._dir_ignored(parent):
            return True
        if is_dir:
            return self._dir_ignored(rel)
        if name in ALWAYS_IGNORED_FILES or name.endswith(TEMP_SUFFIX):
            return True
        if is_editor_dropping(name):
            return True
        return self._git_ignores(rel, is_dir=False)

    def walk(self, start: str = "") -> Iterator[Entry]:
        """Every file, folder and skipped path under ``start`` (default: the root), parents
        before children; ``start`` itself is not reported.

        Ignored folders are reported once and not entered. A folder that cannot be read is
        an "error" entry, and the walk goes on with the rest.
        """
        stack = [start.strip("/")]
        while stack:
            rel_dir = stack.pop()
            try:
                with os.scandir(self.root / rel_dir if rel_dir else self.root) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield Entry(rel_dir, "error", exc)
                continue
            subdirs = []
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                try:
                    if entry.is_symlink():
                        yield Entry(rel, "symlink")
                        continue
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError as exc:
                    yield Entry(rel, "error", exc)
                    continue
                if self.is_ignored(rel, is_dir):
                    yield Entry(rel, "ignored")
                elif is_dir:
                    yield Entry(rel, "dir")
                    subdirs.append(rel)
                elif entry.is_file(follow_symlinks=False):
                    yield Entry(rel, "file")
            stack.extend(reversed(subdirs))

    # -- internals ---------------------------------------------------------------------------

    @lru_cache(maxsize=4096)  # noqa: B019  (one IgnoreRules per watched tree, kept alive with it)
    def _dir_ignored(self, rel: str) -> bool:
        parent, _, name = rel.rpartition("/")
        if parent and self._dir_ignored(parent):
            return True
        if name in ALWAYS_IGNORED_DIRS or (self.root / rel / "pyvenv.cfg").is_file():
            return True
        return self._git_ignores(rel, is_dir=True)

    def _git_ignores(self, rel: str, *, is_dir: bool) -> bool:
        """The last decisive pattern of the .gitignore files from the root down wins."""
        verdict: bool | None = None
        parts = rel.split("/")
        for depth in range(len(parts)):
            base = "/".join(parts[:depth])
            spec = self._spec_for(base)
            if spec is None:
                continue
            sub = "/".join(parts[depth:]) + ("/" if is_dir else "")
            result = spec.check_file(sub).include
            if result is not None:
                verdict = result
        return bool(verdict)

    @lru_cache(maxsize=1024)  # noqa: B019
    def _spec_for(self, base: str) -> GitIgnoreSpec | None:
        """The patterns that apply inside folder ``base`` ("" is the root)."""
        lines: list[str] = []
        if not base:
            lines += self.extra_patterns
            lines += _read_lines(self.root / ".git" / "info" / "exclude")
        lines += _read_lines(self.root / base / ".gitignore")
        if not lines:
            return None
        from pathspec import GitIgnoreSpec

        return GitIgnoreSpec.from_lines(lines)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, ValueError):
        # A missing or unreadable .gitignore ignores nothing; the walk reports unreadable
        # folders itself.
        return []
