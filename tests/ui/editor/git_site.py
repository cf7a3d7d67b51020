"""A bound project over a real git repository with two commits at fixed times, so commit ids
and "3 days ago" are the same on every run (tests/ui/editor/test_ui_editor_git.py and the
snapshots)."""

from __future__ import annotations

import os
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

from promptterm.services.facade import Services
from support.clock import DEFAULT_NOW, FixedClock
from ui.editor.scenarios import bound_site

FIRST_AT = DEFAULT_NOW - timedelta(days=3)
SECOND_AT = DEFAULT_NOW - timedelta(hours=5)
GREETING = """import sys


def greet(name: str) -> str:
    return f"Hello, {name}!"


print(greet(sys.argv[1] if len(sys.argv) > 1 else "world"))
"""


def git(folder: Path, *args: str, at: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,  # read, never written: no user config in the ids
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada Lovelace",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada Lovelace",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
    }
    if at is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = at
    done = subprocess.run(
        ["git", "-C", str(folder), *args], check=True, capture_output=True, text=True, env=env
    )
    return done.stdout


def git_site(services: Services, clock: FixedClock, folder: Path) -> uuid.UUID:
    """bound_site in a repository: commit "Add the site", then "Greet by name" changing
    src/app.py; the disk then holds one more line than HEAD (a change not committed)."""
    project, _ = bound_site(services, clock, folder)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "Add the site", at=FIRST_AT.isoformat())
    (folder / "src" / "app.py").write_text(GREETING, encoding="utf-8")
    git(folder, "commit", "-qam", "Greet by name\x1b[31m", at=SECOND_AT.isoformat())
    (folder / "src" / "app.py").write_text(
        GREETING.replace('    return f"Hello', '    name = name.strip()\n    return f"Hello'),
        encoding="utf-8",
    )
    services.disk_sync.scan(project)
    return project
