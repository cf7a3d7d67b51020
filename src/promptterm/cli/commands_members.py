"""`promptterm workspace rename|rm` and `promptterm workspace member list|add|role|rm`: set
up and audit a team by script, through the same services (and refusals) as the explorer's
members dialog."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table, when
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.words import plural

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.service import MemberInfo

ROLES = ("admin", "member", "viewer")


def register(ws_sub: Any, as_json: argparse.ArgumentParser) -> None:
    """Add rename, rm and member to the `workspace` command's actions."""
    rename = ws_sub.add_parser("rename", parents=[as_json], help="give a workspace a new name")
    rename.add_argument("workspace", help="slug or name")
    rename.add_argument("name", help="the new name (the slug stays)")
    rename.set_defaults(handler=workspace_rename)

    rm = ws_sub.add_parser(
        "rm", parents=[as_json], help="delete a workspace with its projects (owner only)"
    )
    rm.add_argument("workspace", help="slug or name")
    rm.add_argument(
        "--yes", action="store_true", help="confirm: it cannot be undone, for every member"
    )
    rm.set_defaults(handler=workspace_rm)

    member = ws_sub.add_parser("member", help="a workspace's members and their roles")
    sub = member.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    mlist = sub.add_parser("list", parents=[as_json], help="members, owners first")
    mlist.add_argument("workspace", help="slug or name")
    mlist.set_defaults(handler=member_list)

    add = sub.add_parser("add", parents=[as_json], help="add a person (owner or admin)")
    add.add_argument("workspace", help="slug or name")
    add.add_argument("who", help="their email, database role or name")
    add.add_argument("--role", choices=ROLES, default="member", help="default: member")
    add.set_defaults(handler=member_add)

    role = sub.add_parser("role", parents=[as_json], help="change a member's role")
    role.add_argument("workspace", help="slug or name")
    role.add_argument("who", help="their email, database role, name or user id")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=member_role)

    rm_member = sub.add_parser("rm", parents=[as_json], help="remove a member")
    rm_member.add_argument("workspace", help="slug or name")
    rm_member.add_argument("who", help="their email, database role, name or user id")
    rm_member.set_defaults(handler=member_rm)


def workspace_rename(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.get(args.workspace)
    renamed = services.workspaces.rename(ws.id, args.name)
    emit(args.json, renamed, lambda: print(f"Renamed {ws.name} to {renamed.name} ({ws.slug})."))
    return 0


def workspace_rm(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.get(args.workspace)
    if not args.yes:
        raise ValidationError(
            f"Deleting {ws.name} ({ws.slug}) deletes its {plural(ws.project_count, 'project')} "
            "with their files, history and threads, for every member, and cannot be undone. "
            "Add --yes to confirm.",
            "yes",
        )
    name = services.workspaces.delete(ws.id)
    emit(
        args.json,
        {"deleted": name, "slug": ws.slug, "id": ws.id},
        lambda: print(f"Deleted workspace {name} ({ws.slug})."),
    )
    return 0


def member_list(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.get(args.workspace)
    members = services.workspaces.members(ws.id)
    emit(
        args.json,
        members,
        lambda: table(
            ("NAME", "EMAIL", "DB ROLE", "ROLE", "JOINED"),
            [
                (m.display_name, m.email or "-", m.db_role or "-", m.role, when(m.joined_at))
                for m in members
            ],
        ),
    )
    return 0


def member_add(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.get(args.workspace)
    added = services.workspaces.add_member(ws.id, args.who, args.role)
    emit(
        args.json,
        added,
        lambda: print(f"Added {added.display_name} to {ws.name} as {added.role}."),
    )
    return 0


def member_role(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.get(args.workspace)
    member = _member(services, ws.id, ws.name, args.who)
    changed = services.workspaces.set_role(ws.id, member.user_id, args.role)
    emit(
        args.json,
        changed,
        lambda: print(
            f"{changed.display_name} is now {changed.role} of {ws.name} (was {member.role})."
        ),
    )
    return 0


def member_rm(services: Services, args: argparse.Namespace) -> int:
    ws = services.workspaces.get(args.workspace)
    member = _member(services, ws.id, ws.name, args.who)
    name = services.workspaces.remove_member(ws.id, member.user_id)
    emit(
        args.json,
        {"removed": member, "workspace": ws.slug},
        lambda: print(f"Removed {name} from {ws.name}."),
    )
    return 0


def _member(services: Services, workspace_id: Any, workspace: str, who: str) -> MemberInfo:
    """The member known as ``who``: by email, database role, name (as adding finds people),
    or user id."""
    members = services.workspaces.members(workspace_id)
    for key in ("email", "db_role", "display_name"):
        found = [m for m in members if getattr(m, key) == who]
        if len(found) == 1:
            return found[0]
    found = [m for m in members if str(m.user_id) == who]
    if found:
        return found[0]
    raise NotFound(
        f"Nobody known as {who!r} is a member of {workspace}. "
        f"`promptterm workspace member list {workspace!r}` shows who is."
    )
