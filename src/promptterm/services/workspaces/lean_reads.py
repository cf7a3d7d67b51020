"""The workspaces on the lean path (db/lean.py): the same answer as
``WorkspaceService.list`` in plain SQL, for `workspace list` and for the app's first screen,
which must show it in a blink; and ``ProjectService.list`` (its order and row-to-info
function over db/lean_rows.py's records) for `project list`."""

from __future__ import annotations

from dataclasses import dataclass

from promptterm.db.lean import LeanRead, key, moment, open_lean, uuid_of
from promptterm.db.lean_rows import records
from promptterm.services.workspaces.infos import (
    PROJECT_ORDER,
    ProjectInfo,
    WorkspaceInfo,
    by_recent_use,
    project_info,
)

_LIST = """
SELECT w.id, w.name, w.slug, w.description, w.owner_id, m.role, w.created_at, w.updated_at,
       s.n, s.last
FROM workspaces AS w
JOIN workspace_members AS m ON m.workspace_id = w.id
LEFT JOIN (
    SELECT workspace_id, count(*) AS n, max(last_accessed_at) AS last
    FROM projects GROUP BY workspace_id
) AS s ON s.workspace_id = w.id
WHERE m.user_id = ?
"""


def lean_workspace_list(read: LeanRead) -> list[WorkspaceInfo]:
    """The user's workspaces, most recently used first (as ``WorkspaceService.list``)."""
    infos = []
    for row in read.rows(_LIST, key(read.user_id)):
        created, updated = moment(row["created_at"]), moment(row["updated_at"])
        ws_id, owner = uuid_of(row["id"]), uuid_of(row["owner_id"])
        assert ws_id and owner and created and updated  # NOT NULL columns
        infos.append(
            WorkspaceInfo(
                id=ws_id,
                name=row["name"],
                slug=row["slug"],
                description=row["description"],
                owner_id=owner,
                role=row["role"],
                project_count=row["n"] or 0,
                last_accessed_at=moment(row["last"]),
                created_at=created,
                updated_at=updated,
            )
        )
    return by_recent_use(infos)


def lean_project_list(read: LeanRead) -> list[ProjectInfo]:
    """Every project the user can see, as ``ProjectService.list()``."""
    members = records(read, "workspace_members", {"user_id": read.user_id})
    roles = {m.workspace_id: m.role for m in members}
    names = {w.id: w.name for w in records(read, "workspaces", {"id": list(roles)})}
    projects = records(read, "projects", {"workspace_id": list(names)}, PROJECT_ORDER)
    return [project_info(p, names[p.workspace_id], roles[p.workspace_id]) for p in projects]


@dataclass(frozen=True)
class EarlyExplorer:
    """What the explorer's first screen shows, read before the services are open."""

    user_name: str
    workspaces: list[WorkspaceInfo]


def early_explorer(database_url: str) -> EarlyExplorer | None:
    """The user's name and workspaces by the lean path (db/lean.py), so that the app shows
    them while SQLAlchemy and the services still load; None when the database needs the
    ordinary start first (new, to upgrade, work to do, PostgreSQL)."""
    import sqlite3

    with open_lean(database_url) as read:
        if read is None:
            return None
        try:
            user = read.one("SELECT display_name FROM users WHERE id = ?", key(read.user_id))
            if user is None:
                return None
            return EarlyExplorer(user["display_name"], lean_workspace_list(read))
        except sqlite3.Error:
            return None  # changed under us: the ordinary path will say what
