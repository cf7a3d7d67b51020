"""`promptterm task|bug|feature add|list|move|set|rm`: the plan area's board from a script
(`show`, `link` and `unlink`: commands_plan_links.py).

The project is ``--project`` (slug, name or id, with ``--workspace`` when ambiguous), else
the one bound to the current folder, as for `promptterm file`. A card is named by the id
`list` shows (the end of its id), its full id, or its exact title.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli.commands_plan_links import register_links
from promptterm.cli.output import emit, table
from promptterm.db.vocab import PLAN_KINDS, PLAN_PRIORITIES, PLAN_STATUSES
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.plan import PlanCard
    from promptterm.services.workspaces.projects import ProjectInfo

STATUSES = ", ".join(PLAN_STATUSES)
PRIORITIES = ", ".join(PLAN_PRIORITIES)


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--project", "-p", help="project slug, name or id (default: the current folder's)"
    )
    where.add_argument("--workspace", "-w", help="workspace slug or name")
    for kind in PLAN_KINDS:
        _register_kind(commands, as_json, where, kind)


def _register_kind(
    commands: Any, as_json: argparse.ArgumentParser, where: argparse.ArgumentParser, kind: str
) -> None:
    noun = commands.add_parser(kind, help=f"{kind}s on the project's board (the plan area)")
    noun.set_defaults(kind=kind)
    sub = noun.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    parents = [as_json, where]

    add = sub.add_parser("add", parents=parents, help=f"add a {kind} at the end of its column")
    add.add_argument("title")
    _field_args(add, kind)
    add.set_defaults(handler=card_add)

    listing = sub.add_parser("list", parents=parents, help=f"the board's {kind}s, column by column")
    listing.add_argument("--status", "-s", help=f"only this status ({STATUSES})")
    listing.add_argument("--priority", help=f"only this priority ({PRIORITIES})")
    listing.add_argument("--search", "-q", help="only titles and descriptions with this text")
    listing.set_defaults(handler=card_list)

    move = sub.add_parser("move", parents=parents, help=f"move a {kind} to a column and place")
    move.add_argument("card", metavar="ID_OR_TITLE")
    move.add_argument("status", help=STATUSES)
    move.add_argument(
        "--position", "-n", type=int, help="0 is the top (default: the end of the column)"
    )
    move.set_defaults(handler=card_move)

    change = sub.add_parser("set", parents=parents, help=f"change a {kind}'s fields")
    change.add_argument("card", metavar="ID_OR_TITLE")
    change.add_argument("--title", "-t", help="a new title")
    _field_args(change, kind)
    change.set_defaults(handler=card_set)

    rm = sub.add_parser("rm", parents=parents, help=f"delete a {kind} and its links")
    rm.add_argument("card", metavar="ID_OR_TITLE")
    rm.set_defaults(handler=card_rm)
    register_links(sub, parents, kind)


def _field_args(parser: argparse.ArgumentParser, kind: str) -> None:
    parser.add_argument("--description", "-d", help="text (up to 5,000 characters)")
    parser.add_argument("--status", "-s", help=STATUSES)
    parser.add_argument("--priority", help=PRIORITIES)
    if kind == "bug":
        parser.add_argument("--bug-url", help="where the bug is reported (http/https)")
        parser.add_argument("--screenshot-url", help="a screenshot of it (http/https)")


def card_add(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    fields = {k: v for k, v in _fields(args).items() if v is not None}
    card = services.plan.add(project.id, args.kind, args.title, **fields)
    emit(args.json, card, lambda: print(f"Added {_said(card)} to {project.name}."))
    return 0


def card_list(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.plan.rules import check_priority, check_status

    project = _project(services, args)
    status = check_status(args.status) if args.status else None
    priority = check_priority(args.priority) if args.priority else None
    text = (args.search or "").casefold()
    cards = [
        c
        for c in services.plan.board(project.id).cards
        if c.kind == args.kind
        and status in (None, c.status)
        and priority in (None, c.priority)
        and (not text or text in c.name.casefold() or text in (c.description or "").casefold())
    ]

    def human() -> None:
        rows = [(c.short_id, c.status, c.position, c.priority, c.name) for c in cards]
        table(("ID", "STATUS", "#", "PRIORITY", "TITLE"), rows, empty=f"(no {args.kind}s)")

    emit(args.json, cards, human)
    return 0


def card_move(services: Services, args: argparse.Namespace) -> int:
    card = card_of(services, args)
    moved = services.plan.move(card.id, args.status, args.position)
    words = f"Moved {_said(moved)} to {moved.status}, place {moved.position + 1}."
    emit(args.json, moved, lambda: print(words))
    return 0


def card_set(services: Services, args: argparse.Namespace) -> int:
    card = card_of(services, args)
    changes = {k: v for k, v in _fields(args).items() if v is not None}
    if args.title is not None:
        changes["name"] = args.title
    if not changes:
        raise ValidationError(
            "Nothing to change: give --title, --description, --status or --priority"
            + (", --bug-url or --screenshot-url." if args.kind == "bug" else "."),
            "fields",
        )
    changed = services.plan.update(card.id, changes)
    emit(args.json, changed, lambda: print(f"Changed {_said(changed)}."))
    return 0


def card_rm(services: Services, args: argparse.Namespace) -> int:
    card = card_of(services, args)
    gone = services.plan.delete(card.id)
    emit(args.json, {"deleted": gone}, lambda: print(f"Deleted {_said(gone)}."))
    return 0


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    fields = {
        "description": args.description,
        "status": args.status,
        "priority": args.priority,
    }
    if args.kind == "bug":
        fields["bug_url"] = args.bug_url
        fields["screenshot_url"] = args.screenshot_url
    return fields


def _said(card: PlanCard) -> str:
    return f"{card.kind} {card.short_id} {card.name!r}"


def card_of(services: Services, args: argparse.Namespace) -> PlanCard:
    project = _project(services, args)
    return services.plan.find(project.id, args.card, args.kind)


def _project(services: Services, args: argparse.Namespace) -> ProjectInfo:
    if args.project:
        ws = services.workspaces.get(args.workspace) if args.workspace else None
        return services.projects.find(args.project, str(ws.id) if ws else None)
    bound = services.disk_sync.find_bound_above(Path.cwd())
    if bound is not None:
        return services.projects.get(bound)
    raise ValidationError(
        "Which project? Give --project NAME, or run this inside a folder opened with "
        "`promptterm open`.",
        "project",
    )
