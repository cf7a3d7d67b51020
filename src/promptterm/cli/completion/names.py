"""`promptterm __complete KIND`: the names a completion script offers, one a line.

Hidden from the help: only the scripts call it. Each line is ``VALUE<TAB>WHAT IT IS`` (fish
and zsh show the second part; bash takes the first). It never creates a database (pressing
tab must not leave a file behind) and it is silent on any failure: a completion that cannot
look names up offers none, and the exit status says why.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from promptterm.cli import exit_codes
from promptterm.cli.completion.tree import NAME_KINDS
from promptterm.cli.terminal_text import visible

if TYPE_CHECKING:
    from promptterm.services.facade import Services

# As many as a shell would list without asking "display all N possibilities?".
MOST = 200
# `chat list` shows a thread's id by its first characters; any 4 or more name it.
THREAD_ID_SHOWN = 8


def run(argv: list[str], database_url: str | None) -> int:
    if len(argv) != 1 or argv[0] not in NAME_KINDS:
        print(f"usage: promptterm __complete {{{','.join(NAME_KINDS)}}}", file=sys.stderr)
        return exit_codes.USAGE
    from promptterm.config import ConfigError, load_settings
    from promptterm.services.errors import ServiceError

    try:
        url = load_settings(database_url).database_url
    except ConfigError:
        return exit_codes.USAGE
    if not _exists(url):
        return exit_codes.OK
    try:
        from promptterm.services.facade import Services

        services = Services.open(url)
    except Exception:
        # Any failure at all (no server, no grants, a newer schema): no names, no noise.
        return exit_codes.ERROR
    try:
        for value, about in _names(services, argv[0]):
            # A name that holds a control character cannot be typed, and must not be shown.
            if value and visible(value) == value and "\t" not in value:
                print(f"{value}\t{visible(' '.join(about.split()))}")
    except ServiceError:
        return exit_codes.ERROR
    finally:
        services.close()
    return exit_codes.OK


def _exists(url: str) -> bool:
    """False for a SQLite file that is not there yet; other databases are asked."""
    if not url.startswith("sqlite:"):
        return True
    path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
    return path not in ("", ":memory:") and Path(path).expanduser().is_file()


def _names(services: Services, kind: str) -> Iterator[tuple[str, str]]:
    if kind == "workspaces":
        for ws in services.workspaces.list()[:MOST]:
            yield ws.slug, ws.name
    elif kind == "projects":
        for project in services.projects.list()[:MOST]:
            yield project.slug, f"{project.name} in {project.workspace_name}"
    elif kind == "presets":
        for preset in services.presets.list(sort="recent")[:MOST]:
            yield preset.name, preset.description or "preset"
    elif kind == "components":
        for component in services.components.list(None, sort="recent")[:MOST]:
            yield component.name, component.type
    elif kind == "threads":
        for thread in services.chat.list_threads(limit=MOST):
            yield str(thread.id)[:THREAD_ID_SHOWN], thread.title
