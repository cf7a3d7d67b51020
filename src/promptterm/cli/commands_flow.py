"""`promptterm flow add|list|show|link|unlink|rm|draw`: a project's user flows from a script.

The project is chosen as for `promptterm task` (``--project``, else the current folder's). A
page is named by the id `list` shows (the end of its id), its full id, or its exact name.
`draw` prints the flow as the plan area shows it: boxes for pages, arrows for connections.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table
from promptterm.db.vocab import PLAN_STATUSES
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.plan import FlowPageInfo

STATUSES = ", ".join(PLAN_STATUSES)


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--project", "-p", help="project slug, name or id (default: the current folder's)"
    )
    where.add_argument("--workspace", "-w", help="workspace slug or name")
    parents = [as_json, where]
    noun = commands.add_parser("flow", help="user flows: pages and how users move between them")
    sub = noun.add_subparsers(dest="flow_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", parents=parents, help="add a page to the project's flow")
    add.add_argument("name")
    _field_args(add)
    add.set_defaults(handler=flow_add)

    listing = sub.add_parser("list", parents=parents, help="the flow's pages, top to bottom")
    listing.set_defaults(handler=flow_list)

    show = sub.add_parser("show", parents=parents, help="one page, its features and arrows")
    show.add_argument("page", metavar="ID_OR_NAME")
    show.set_defaults(handler=flow_show)

    change = sub.add_parser("set", parents=parents, help="change a page's fields or place")
    change.add_argument("page", metavar="ID_OR_NAME")
    change.add_argument("--name", "-n", help="a new name")
    _field_args(change)
    change.set_defaults(handler=flow_set)

    link = sub.add_parser("link", parents=parents, help="an arrow from one page to another")
    link.add_argument("source", metavar="FROM")
    link.add_argument("target", metavar="TO")
    link.set_defaults(handler=flow_link)

    unlink = sub.add_parser("unlink", parents=parents, help="remove the arrow FROM -> TO")
    unlink.add_argument("source", metavar="FROM")
    unlink.add_argument("target", metavar="TO")
    unlink.set_defaults(handler=flow_unlink)

    rm = sub.add_parser("rm", parents=parents, help="delete a page and its arrows")
    rm.add_argument("page", metavar="ID_OR_NAME")
    rm.set_defaults(handler=flow_rm)

    draw = sub.add_parser("draw", parents=parents, help="print the flow as boxes and arrows")
    draw.set_defaults(handler=flow_draw)


def _field_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--description", "-d", help="what the page is for")
    parser.add_argument("--layout", help="how the page is laid out")
    parser.add_argument("--features", "-f", help="comma-separated feature names")
    parser.add_argument("--status", "-s", help=STATUSES)
    parser.add_argument("-x", help="position across (a whole number; larger is further right)")
    parser.add_argument("-y", help="position down (a whole number; larger is further down)")


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    fields = {
        "description": args.description,
        "layout_description": args.layout,
        "features": args.features,
        "implementation_status": args.status,
    }
    return {k: v for k, v in fields.items() if v is not None}


def flow_add(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    where = {k: v for k, v in (("x", args.x), ("y", args.y)) if v is not None}
    page = services.flows.add_page(project.id, args.name, **_fields(args), **where)
    emit(args.json, page, lambda: print(f"Added {_said(page)} to {project.name}'s flow."))
    return 0


def flow_list(services: Services, args: argparse.Namespace) -> int:
    flow = services.flows.flow(_project(services, args).id)
    outgoing = {p.id: 0 for p in flow.pages}
    for link in flow.connections:
        outgoing[link.source_id] = outgoing.get(link.source_id, 0) + 1

    def human() -> None:
        rows = [
            (p.short_id, p.implementation_status, f"{p.x},{p.y}", outgoing[p.id], p.name)
            for p in flow.pages
        ]
        table(("ID", "STATUS", "X,Y", "ARROWS", "NAME"), rows, empty="(no flow pages)")

    emit(args.json, {"pages": flow.pages, "connections": flow.connections}, human)
    return 0


def flow_show(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    page = services.flows.find_page(project.id, args.page)
    flow = services.flows.flow(project.id)
    names = {p.id: p.name for p in flow.pages}
    to = [names[c.target_id] for c in flow.connections if c.source_id == page.id]
    came = [names[c.source_id] for c in flow.connections if c.target_id == page.id]

    def human() -> None:
        print(f"{page.name}  ({page.short_id}, {page.implementation_status}, at {page.x},{page.y})")
        for label, value in (
            ("Description", page.description),
            ("Layout", page.layout_description),
            ("Features", ", ".join(page.features)),
            ("Leads to", ", ".join(to)),
            ("Comes from", ", ".join(came)),
        ):
            print(f"{label + ':':12} {value or '-'}")

    emit(args.json, {"page": page, "leads_to": to, "comes_from": came}, human)
    return 0


def flow_set(services: Services, args: argparse.Namespace) -> int:
    page = services.flows.find_page(_project(services, args).id, args.page)
    changes = _fields(args)
    if args.name is not None:
        changes["name"] = args.name
    if not changes and args.x is None and args.y is None:
        raise ValidationError(
            "Nothing to change: give --name, --description, --layout, --features, --status, "
            "-x or -y.",
            "fields",
        )
    if changes:
        page = services.flows.update_page(page.id, changes)
    if args.x is not None or args.y is not None:
        x = page.x if args.x is None else args.x
        y = page.y if args.y is None else args.y
        page = services.flows.move_page(page.id, x, y)
    emit(args.json, page, lambda: print(f"Changed {_said(page)}."))
    return 0


def flow_link(services: Services, args: argparse.Namespace) -> int:
    source, target = _ends(services, args)
    link = services.flows.connect(source.id, target.id)
    emit(args.json, link, lambda: print(f"{source.name!r} now leads to {target.name!r}."))
    return 0


def flow_unlink(services: Services, args: argparse.Namespace) -> int:
    source, target = _ends(services, args)
    gone = services.flows.disconnect(source.id, target.id)
    words = f"{source.name!r} no longer leads to {target.name!r}."
    emit(args.json, {"deleted": gone}, lambda: print(words))
    return 0


def flow_rm(services: Services, args: argparse.Namespace) -> int:
    page = services.flows.find_page(_project(services, args).id, args.page)
    gone = services.flows.delete_page(page.id)
    emit(args.json, {"deleted": gone}, lambda: print(f"Deleted {_said(gone)} and its arrows."))
    return 0


def flow_draw(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.plan import layout_flow

    flow = services.flows.flow(_project(services, args).id)
    lines = layout_flow(flow.pages, flow.connections).render() if flow.pages else []

    def human() -> None:
        print("\n".join(lines) if lines else "(no flow pages; add one with `promptterm flow add`)")

    emit(args.json, {"lines": lines, "pages": flow.pages, "connections": flow.connections}, human)
    return 0


def _ends(services: Services, args: argparse.Namespace) -> tuple[FlowPageInfo, FlowPageInfo]:
    project = _project(services, args)
    return (
        services.flows.find_page(project.id, args.source),
        services.flows.find_page(project.id, args.target),
    )


def _said(page: FlowPageInfo) -> str:
    return f"page {page.short_id} {page.name!r}"


def _project(services: Services, args: argparse.Namespace) -> Any:
    from promptterm.cli.commands_plan import _project as plan_project

    return plan_project(services, args)
