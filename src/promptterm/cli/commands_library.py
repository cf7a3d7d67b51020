"""`promptterm component list|add|edit|rm` and `promptterm preset list|add|show`."""

from __future__ import annotations

import argparse
import sys
import uuid
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table, when
from promptterm.db.vocab import COMPONENT_TYPES
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    comp = commands.add_parser("component", help="role, style, context and mode components")
    sub = comp.add_subparsers(dest="component_command", metavar="ACTION", required=True)

    clist = sub.add_parser("list", parents=[as_json], help="your components")
    clist.add_argument("--type", "-t", choices=COMPONENT_TYPES)
    clist.add_argument("--sort", choices=("most_used", "recent", "name"), default="most_used")
    clist.add_argument("--search", "-s", help="only names or descriptions containing this")
    clist.set_defaults(handler=component_list)

    add = sub.add_parser("add", parents=[as_json], help="create a component")
    add.add_argument("type", choices=COMPONENT_TYPES)
    add.add_argument("name")
    _content_args(add, required=True)
    add.set_defaults(handler=component_add)

    edit = sub.add_parser("edit", parents=[as_json], help="change a component")
    edit.add_argument("ref", metavar="NAME_OR_ID")
    edit.add_argument("--type", "-t", choices=COMPONENT_TYPES, help="when the name is ambiguous")
    edit.add_argument("--name", dest="new_name", help="rename it")
    _content_args(edit, required=False)
    edit.set_defaults(handler=component_edit)

    rm = sub.add_parser("rm", parents=[as_json], help="delete a component")
    rm.add_argument("ref", metavar="NAME_OR_ID")
    rm.add_argument("--type", "-t", choices=COMPONENT_TYPES)
    rm.set_defaults(handler=component_rm)

    preset = commands.add_parser("preset", help="presets built from components")
    psub = preset.add_subparsers(dest="preset_command", metavar="ACTION", required=True)
    plist = psub.add_parser("list", parents=[as_json], help="your presets")
    plist.add_argument("--sort", choices=("most_used", "recent", "name"), default="most_used")
    plist.set_defaults(handler=preset_list)
    padd = psub.add_parser("add", parents=[as_json], help="create a preset (at least one part)")
    padd.add_argument("name")
    padd.add_argument("--description")
    for kind in COMPONENT_TYPES:
        padd.add_argument(f"--{kind}", metavar="NAME_OR_ID", help=f"the {kind} component")
    padd.set_defaults(handler=preset_add)
    show = psub.add_parser("show", parents=[as_json], help="print the composed system prompt")
    show.add_argument("ref", metavar="NAME_OR_ID")
    show.set_defaults(handler=preset_show)


def _content_args(parser: argparse.ArgumentParser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--content", "-c", help="the text ('-' reads standard input)")
    group.add_argument("--file", "-f", help="read the text from this file")
    parser.add_argument("--description", "-d")
    parser.add_argument("--tag", action="append", dest="tags", help="a tag (repeatable)")


def _read_content(args: argparse.Namespace) -> str | None:
    if args.file:
        try:
            with open(args.file, encoding="utf-8") as handle:
                return handle.read()
        except OSError as exc:
            raise ValidationError(f"Cannot read {args.file}: {exc.strerror}.", "file") from exc
        except UnicodeDecodeError as exc:
            raise ValidationError(f"{args.file} is not UTF-8 text.", "file") from exc
    if args.content == "-":
        return sys.stdin.read()
    return args.content


def component_list(services: Services, args: argparse.Namespace) -> int:
    items = services.components.list(args.type, sort=args.sort, query=args.search)
    emit(
        args.json,
        items,
        lambda: table(
            ("TYPE", "NAME", "USED", "UPDATED", "DESCRIPTION"),
            [
                (c.type, c.name, c.usage_count, when(c.updated_at), (c.description or "")[:40])
                for c in items
            ],
            empty="No components yet: promptterm component add role NAME --content TEXT",
        ),
    )
    return 0


def component_add(services: Services, args: argparse.Namespace) -> int:
    component = services.components.create(
        args.type, args.name, _read_content(args) or "", args.description, args.tags
    )
    emit(args.json, component, lambda: print(f"Created {component.type} {component.name!r}."))
    return 0


def component_edit(services: Services, args: argparse.Namespace) -> int:
    current = services.components.find(args.ref, args.type)
    component = services.components.update(
        current.id,
        name=args.new_name,
        content=_read_content(args),
        description=args.description,
        tags=args.tags,
    )
    emit(args.json, component, lambda: print(f"Updated {component.type} {component.name!r}."))
    return 0


def component_rm(services: Services, args: argparse.Namespace) -> int:
    component = services.components.find(args.ref, args.type)
    incomplete = services.components.delete(component.id)
    result = {"deleted": component, "incomplete_presets": incomplete}

    def human() -> None:
        print(f"Deleted {component.type} {component.name!r}.")
        if incomplete:
            print(f"Now incomplete (no {component.type}): {', '.join(incomplete)}")

    emit(args.json, result, human)
    return 0


def preset_list(services: Services, args: argparse.Namespace) -> int:
    items = services.presets.list(sort=args.sort)
    emit(
        args.json,
        items,
        lambda: table(
            ("NAME", "ROLE", "STYLE", "CONTEXT", "MODE", "USED", "STATUS"),
            [
                (
                    p.name,
                    *(getattr(p, k).name if getattr(p, k) else "-" for k in COMPONENT_TYPES),
                    p.usage_count,
                    p.warning or "ok",
                )
                for p in items
            ],
            empty="No presets yet: promptterm preset add NAME --role COMPONENT",
        ),
    )
    return 0


def _component_id(services: Services, kind: str, ref: str | None) -> uuid.UUID | None:
    if ref is None:
        return None
    return services.components.find(ref, kind).id


def preset_add(services: Services, args: argparse.Namespace) -> int:
    slots = {kind: _component_id(services, kind, getattr(args, kind)) for kind in COMPONENT_TYPES}
    preset = services.presets.create(args.name, description=args.description, **slots)
    emit(args.json, preset, lambda: print(f"Created preset {preset.name!r}."))
    return 0


def preset_show(services: Services, args: argparse.Namespace) -> int:
    preset = services.presets.find(args.ref)
    composed = services.presets.compose(preset.id)

    def human() -> None:
        if composed.warning:
            print(f"# {composed.warning}", file=sys.stderr)
        print(composed.text)

    emit(args.json, composed, human)
    return 0
