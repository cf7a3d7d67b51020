"""The real `promptterm` command in a child process, with its own config and data folders.

For what is about the process itself: exit statuses, colour on a terminal, what a shell's
completion script runs. Seeding can go through the in-process entry point on ``url``, the
database the child uses by default.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# A hung child fails the test; a slow one (a loaded machine) is given the time it needs.
CEILING = 120.0
# What the ``migrated_sqlite`` fixture (tests/conftest.py) gives: put a migrated database at
# a path, get its URL. A home's database made this way spares the child migrating a new one.
MigratedSqlite = Callable[[Path], str]
# Settings of the person running the tests that would change what the child does.
_THEIRS = ("NO_COLOR", "PROMPTTERM_DATABASE_URL", "VISUAL", "EDITOR", "TEXTUAL_LOG")


@dataclass(frozen=True)
class Home:
    """A throwaway set of promptterm folders."""

    root: Path

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.data_dir / 'promptterm.db'}"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _THEIRS}
        env.update(
            PROMPTTERM_CONFIG_DIR=str(self.config_dir),
            PROMPTTERM_DATA_DIR=str(self.data_dir),
            PYTHONFAULTHANDLER="1",
        )
        env.update(extra)
        return env


def promptterm_command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "promptterm", *argv]


def run_cli(
    home: Home, *argv: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        promptterm_command(*argv),
        env=home.env(**env),
        cwd=cwd or home.root,
        capture_output=True,
        text=True,
        timeout=CEILING,
        check=False,
    )


def run_cli_on_terminal(
    home: Home, *argv: str, cwd: Path | None = None, **env: str
) -> tuple[int, str, str]:
    """Exit status, what the child wrote to its stdout (a pseudo-terminal), its stderr."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            promptterm_command(*argv),
            env=home.env(**{"TERM": "xterm-256color", **env}),
            cwd=cwd or home.root,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.PIPE,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal's last writer
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.stderr is not None
        err = process.stderr.read().decode("utf-8", "replace")
        process.stderr.close()
        process.wait(timeout=CEILING)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    return process.returncode, b"".join(chunks).decode("utf-8", "replace"), err
