"""`promptterm workspace list|create` (rename, rm and member: commands_members),
`promptterm project list|create` and `promptterm demo`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli import commands_members
from promptterm.cli.output import emit, table, when

if TYPE_CHECKING:
    from promptterm.db.lean import LeanRead
    from promptterm.services.facade import Services
    from promptterm.services.workspaces import ProjectInfo, WorkspaceInfo


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    ws = commands.add_parser("workspace", help="workspaces and their members")
    ws_sub = ws.add_subparsers(dest="ws_command", metavar="ACTION", required=True)
    ws_sub.add_parser("list", parents=[as_json], help="your workspaces").set_defaults(
        handler=workspace_list, lean=workspace_list_lean
    )
    create = ws_sub.add_parser("create", parents=[as_json], help="create a workspace")
    create.add_argument("name")
    create.add_argument("--slug", help="URL-safe id (default: from the name)")
    create.add_argument("--description", help="a line saying what the workspace is for")
    create.set_defaults(handler=workspace_create)
    commands_members.register(ws_sub, as_json)

    project = commands.add_parser("project", help="list and create projects")
    p_sub = project.add_subparsers(dest="project_command", metavar="ACTION", required=True)
    plist = p_sub.add_parser("list", parents=[as_json], help="projects, most recently used first")
    plist.add_argument("--workspace", "-w", help="only this workspace (slug or name)")
    plist.set_defaults(handler=project_list, lean=project_list_lean)
    pcreate = p_sub.add_parser("create", parents=[as_json], help="create a project")
    pcreate.add_argument("name")
    pcreate.add_argument("--workspace", "-w", required=True, help="workspace slug or name")
    pcreate.add_argument(
        "--slug", help="URL-safe id, unique in the workspace (default: from the name)"
    )
    pcreate.add_argument("--description", help="a line saying what the project is")
    pcreate.add_argument("--language", help="its main language, e.g. Python")
    pcreate.add_argument("--framework", help="e.g. FastAPI")
    pcreate.add_argument(
        "--visibility",
        choices=("private", "team", "public"),
        default="private",
        help="who in the workspace sees it (default: private)",
    )
    pcreate.set_defaults(handler=project_create)

    commands.add_parser(
        "demo",
        parents=[as_json],
        help="load the demo workspace (again: only what is missing is added)",
        description="Load the demo workspace: sample projects and files, prompt components, "
        "presets and a chat. Running it again adds back what is missing and duplicates nothing.",
    ).set_defaults(handler=demo)


def workspace_list(services: Services, args: argparse.Namespace) -> int:
    return _print_workspaces(args, services.workspaces.list())


def workspace_list_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same list without SQLAlchemy, when db/lean.py allows (most starts)."""
    from promptterm.services.workspaces import lean_workspace_list

    return _print_workspaces(args, lean_workspace_list(read))


def _print_workspaces(args: argparse.Namespace, items: list[WorkspaceInfo]) -> int:
    emit(
        args.json,
        items,
        lambda: table(
            ("SLUG", "NAME", "ROLE", "PROJECTS", "LAST USED"),
            [(w.slug, w.name, w.role, w.project_count, when(w.last_accessed_at)) for w in items],
            empty="No workspaces yet: promptterm workspace create NAME",
        ),
    )
    return 0


def workspace_create(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.create(args.name, slug=args.slug, description=args.description)
    emit(args.json, ws, lambda: print(f"Created workspace {ws.name} ({ws.slug})."))
    return 0


def project_list(services: Services, args: argparse.Namespace) -> int:
    workspace_id = services.workspaces.get(args.workspace).id if args.workspace else None
    return _print_projects(args, services.projects.list(workspace_id))


def project_list_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """Every project without SQLAlchemy, when db/lean.py allows (most starts); naming a
    workspace is the service's to resolve and check."""
    from promptterm.db.lean import Declined
    from promptterm.services.workspaces import lean_project_list

    if args.workspace:
        raise Declined("a workspace to resolve")
    return _print_projects(args, lean_project_list(read))


def _print_projects(args: argparse.Namespace, items: list[ProjectInfo]) -> int:
    emit(
        args.json,
        items,
        lambda: table(
            ("WORKSPACE", "SLUG", "NAME", "LANGUAGE", "LAST OPENED"),
            [
                (p.workspace_name, p.slug, p.name, p.language or "-", when(p.last_accessed_at))
                for p in items
            ],
            empty="No projects yet: promptterm project create NAME --workspace SLUG",
        ),
    )
    return 0


def project_create(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.get(args.workspace)
    project = services.projects.create(
        ws.id,
        args.name,
        slug=args.slug,
        description=args.description,
        language=args.language,
        framework=args.framework,
        visibility=args.visibility,
    )
    emit(
        args.json,
        project,
        lambda: print(f"Created project {project.name} ({ws.slug}/{project.slug})."),
    )
    return 0


def demo(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.demo import DEMO_SLUG, load_demo

    there = any(w.slug == DEMO_SLUG for w in services.workspaces.list())
    ws = load_demo(services)

    def human() -> None:
        if there:
            print(f"The demo workspace {ws.name} ({ws.slug}) was already loaded; ", end="")
            print("anything missing from it is back.")
        else:
            print(f"Loaded the demo workspace {ws.name} ({ws.slug}). Open it with: promptterm")

    emit(args.json, {"created": not there, "workspace": ws}, human)
    return 0
