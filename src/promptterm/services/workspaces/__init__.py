"""Workspaces: who acts (users), where (workspaces and their members, projects), with what role.

The face other domains import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.workspaces.authz import ROLE_RANK as ROLE_RANK
    from promptterm.services.workspaces.authz import require_role as require_role
    from promptterm.services.workspaces.infos import MemberInfo as MemberInfo
    from promptterm.services.workspaces.infos import WorkspaceInfo as WorkspaceInfo
    from promptterm.services.workspaces.lean_reads import EarlyExplorer as EarlyExplorer
    from promptterm.services.workspaces.lean_reads import early_explorer as early_explorer
    from promptterm.services.workspaces.lean_reads import (
        lean_project_list as lean_project_list,
    )
    from promptterm.services.workspaces.lean_reads import (
        lean_workspace_list as lean_workspace_list,
    )
    from promptterm.services.workspaces.projects import ProjectInfo as ProjectInfo
    from promptterm.services.workspaces.projects import ProjectService as ProjectService
    from promptterm.services.workspaces.service import WorkspaceService as WorkspaceService
    from promptterm.services.workspaces.users import UserInfo as UserInfo
    from promptterm.services.workspaces.users import bootstrap_user as bootstrap_user
    from promptterm.services.workspaces.users import get_user as get_user
    from promptterm.services.workspaces.users import user_info as user_info

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "service": ("WorkspaceService",),
        "infos": ("WorkspaceInfo", "MemberInfo"),
        # `workspace list`, `project list` and the app's first screen without SQLAlchemy.
        "lean_reads": (
            "lean_workspace_list",
            "lean_project_list",
            "early_explorer",
            "EarlyExplorer",
        ),
        "projects": ("ProjectService", "ProjectInfo"),
        "users": ("UserInfo", "bootstrap_user", "get_user", "user_info"),
        "authz": ("require_role", "ROLE_RANK"),
    },
)
