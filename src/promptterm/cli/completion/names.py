"""`promptterm __complete KIND`: the names a completion script offers, one a line.

Hidden from the help: only the scripts call it. Each line is ``VALUE<TAB>WHAT IT IS`` (fish
and zsh show the second part; bash takes the first). It never creates a database (pressing
tab must not leave a file behind) and it is silent on any failure: a completion that cannot
look names up offers none, and the exit status says why.

It runs on every tab, so it reads as the lean CLI verbs do (db/lean.py: no SQLAlchemy, no
models) whenever it can, and opens the services only when they must do something first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli import exit_codes
from promptterm.cli.completion.tree import NAME_KINDS
from promptterm.cli.terminal_text import visible

if TYPE_CHECKING:
    from collections.abc import Sequence

    from promptterm.db.lean import LeanRead
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
    kind = argv[0]
    items = _lean_items(url, kind)
    if items is None:
        try:
            from promptterm.services.facade import Services

            services = Services.open(url)
        except Exception:
            # Any failure at all (no server, no grants, a newer schema): no names, no noise.
            return exit_codes.ERROR
        try:
            items = _items(services, kind)
        except ServiceError:
            return exit_codes.ERROR
        finally:
            services.close()
    for value, about in _names(kind, items):
        # A name that holds a control character cannot be typed, and must not be shown.
        if value and visible(value) == value and "\t" not in value:
            print(f"{value}\t{visible(' '.join(about.split()))}")
    return exit_codes.OK


def _exists(url: str) -> bool:
    """False for a SQLite file that is not there yet; other databases are asked."""
    if not url.startswith("sqlite:"):
        return True
    path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
    return path not in ("", ":memory:") and Path(path).expanduser().is_file()


def _lean_items(url: str, kind: str) -> Sequence[Any] | None:
    """What ``_items`` gives, read without the services; None when they are needed."""
    from promptterm.db.lean import open_lean

    try:
        with open_lean(url) as read:
            return None if read is None else _read_items(read, kind)
    except Exception:
        return None  # changed under us, locked...: the services know how to wait


def _read_items(read: LeanRead, kind: str) -> Sequence[Any]:
    if kind == "workspaces":
        from promptterm.services.workspaces import lean_workspace_list

        return lean_workspace_list(read)
    if kind == "projects":
        from promptterm.services.workspaces import lean_project_list

        return lean_project_list(read)
    if kind == "presets":
        from promptterm.services.library import lean_preset_list

        return lean_preset_list(read, "recent")
    if kind == "components":
        from promptterm.services.library import lean_component_list

        return lean_component_list(read, None, "recent")
    from promptterm.services.chat import lean_thread_list

    return lean_thread_list(read, archived=False, limit=MOST)


def _items(services: Services, kind: str) -> Sequence[Any]:
    if kind == "workspaces":
        return services.workspaces.list()
    if kind == "projects":
        return services.projects.list()
    if kind == "presets":
        return services.presets.list(sort="recent")
    if kind == "components":
        return services.components.list(None, sort="recent")
    return services.chat.list_threads(limit=MOST)


def _names(kind: str, items: Sequence[Any]) -> Iterator[tuple[str, str]]:
    for item in items[:MOST]:
        if kind == "workspaces":
            yield item.slug, item.name
        elif kind == "projects":
            yield item.slug, f"{item.name} in {item.workspace_name}"
        elif kind == "presets":
            yield item.name, item.description or "preset"
        elif kind == "components":
            yield item.name, item.type
        else:
            yield str(item.id)[:THREAD_ID_SHOWN], item.title
