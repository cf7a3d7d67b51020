"""`promptterm component list|show|add|edit|rm|versions|diff|restore` and
`promptterm preset list|show|add|edit|rm|tools`."""

from __future__ import annotations

import argparse
import sys
import uuid
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table, when
from promptterm.db.vocab import COMPONENT_TYPES
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.db.lean import LeanRead
    from promptterm.services.facade import Services
    from promptterm.services.library import ComponentInfo, ComposedPrompt, PresetInfo


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    comp = commands.add_parser("component", help="role, style, context and mode components")
    sub = comp.add_subparsers(dest="component_command", metavar="ACTION", required=True)

    clist = sub.add_parser("list", parents=[as_json], help="your components")
    clist.add_argument("--type", "-t", choices=COMPONENT_TYPES, help="only this type")
    clist.add_argument(
        "--sort",
        choices=("most_used", "recent", "name"),
        default="most_used",
        help="most used first (default), recently changed first, or by name",
    )
    clist.add_argument("--search", "-s", help="only names or descriptions containing this")
    clist.set_defaults(handler=component_list, lean=component_list_lean)

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
    _ref_args(rm)
    rm.set_defaults(handler=component_rm)

    show = sub.add_parser("show", parents=[as_json], help="print a component")
    _ref_args(show)
    show.set_defaults(handler=component_show, lean=component_show_lean)

    versions = sub.add_parser("versions", parents=[as_json], help="a component's earlier states")
    _ref_args(versions)
    versions.set_defaults(handler=component_versions)

    diff = sub.add_parser("diff", parents=[as_json], help="compare two versions' content")
    _ref_args(diff)
    diff.add_argument("old", metavar="OLD", help="a version number (3 or v3) or 'current'")
    diff.add_argument("new", metavar="NEW", nargs="?", default="current", help="default: current")
    diff.set_defaults(handler=component_diff)

    restore = sub.add_parser(
        "restore", parents=[as_json], help="make an earlier version current (kept as an edit)"
    )
    _ref_args(restore)
    restore.add_argument("version", metavar="VERSION", help="a version number (3 or v3)")
    restore.set_defaults(handler=component_restore)

    preset = commands.add_parser("preset", help="presets built from components")
    psub = preset.add_subparsers(dest="preset_command", metavar="ACTION", required=True)
    plist = psub.add_parser("list", parents=[as_json], help="your presets")
    plist.add_argument(
        "--sort",
        choices=("most_used", "recent", "name"),
        default="most_used",
        help="most used first (default), recently used first, or by name",
    )
    plist.set_defaults(handler=preset_list, lean=preset_list_lean)
    padd = psub.add_parser("add", parents=[as_json], help="create a preset (at least one part)")
    padd.add_argument("name")
    padd.add_argument("--description", help="a line saying what the preset is for")
    for kind in COMPONENT_TYPES:
        padd.add_argument(f"--{kind}", metavar="NAME_OR_ID", help=f"the {kind} component")
    padd.set_defaults(handler=preset_add)
    pshow = psub.add_parser("show", parents=[as_json], help="print the composed system prompt")
    pshow.add_argument("ref", metavar="NAME_OR_ID")
    pshow.set_defaults(handler=preset_show, lean=preset_show_lean)
    pedit = psub.add_parser("edit", parents=[as_json], help="rename a preset or change its parts")
    pedit.add_argument("ref", metavar="NAME_OR_ID")
    pedit.add_argument("--name", dest="new_name", help="rename it")
    pedit.add_argument("--description", help="'' clears it")
    for kind in COMPONENT_TYPES:
        pedit.add_argument(f"--{kind}", metavar="NAME_OR_ID", help=f"use this {kind} component")
    pedit.add_argument(
        "--clear", action="append", choices=COMPONENT_TYPES, default=[], help="empty a slot"
    )
    pedit.set_defaults(handler=preset_edit)
    prm = psub.add_parser("rm", parents=[as_json], help="delete a preset (not its components)")
    prm.add_argument("ref", metavar="NAME_OR_ID")
    prm.set_defaults(handler=preset_rm)
    ptools = psub.add_parser(
        "tools",
        parents=[as_json],
        help="tool sources a thread with this preset offers the model by default",
    )
    ptools.add_argument("ref", metavar="NAME_OR_ID")
    ptools.add_argument(
        "tools", nargs="*", metavar="SERVER[:TOOL]", help="set these (none given: print them)"
    )
    ptools.add_argument("--clear", action="store_true", help="offer no tools by default")
    ptools.set_defaults(handler=preset_tools)


def _ref_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ref", metavar="NAME_OR_ID")
    parser.add_argument("--type", "-t", choices=COMPONENT_TYPES, help="when the name is ambiguous")


def _content_args(parser: argparse.ArgumentParser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--content", "-c", help="the text ('-' reads standard input)")
    group.add_argument("--file", "-f", help="read the text from this file")
    parser.add_argument("--description", "-d", help="a line saying what it is for")
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
    return _print_components(
        args, services.components.list(args.type, sort=args.sort, query=args.search)
    )


def component_list_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same list without SQLAlchemy, when db/lean.py allows (most starts); a search is
    the service's to match (its case folding)."""
    from promptterm.db.lean import Declined
    from promptterm.services.library import lean_component_list

    if args.search:
        raise Declined("component search")
    return _print_components(args, lean_component_list(read, args.type, args.sort))


def _print_components(args: argparse.Namespace, items: list[ComponentInfo]) -> int:
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


def component_show(services: Services, args: argparse.Namespace) -> int:
    return _print_component(args, services.components.find(args.ref, args.type))


def component_show_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same component without SQLAlchemy, when db/lean.py allows (most starts)."""
    from promptterm.services.library import lean_component_find

    return _print_component(args, lean_component_find(read, args.ref, args.type))


def _print_component(args: argparse.Namespace, component: ComponentInfo) -> int:
    def human() -> None:
        print(f"# {component.type}: {component.name}")
        if component.description:
            print(f"# {component.description}")
        if component.tags:
            print(f"# tags: {', '.join(component.tags)}")
        print(component.content)

    emit(args.json, component, human)
    return 0


def component_versions(services: Services, args: argparse.Namespace) -> int:
    component = services.components.find(args.ref, args.type)
    states = services.components.versions(component.id)
    emit(
        args.json,
        states,
        lambda: table(
            ("VERSION", "SAVED", "NAME", "CHARS", "FIRST LINE"),
            [
                (
                    s.label,
                    when(s.saved_at),
                    s.name,
                    len(s.content),
                    s.content.splitlines()[0][:40] if s.content else "",
                )
                for s in states
            ],
        ),
    )
    return 0


def component_diff(services: Services, args: argparse.Namespace) -> int:
    component = services.components.find(args.ref, args.type)
    text = services.components.version_diff(component.id, args.old, args.new)
    emit(
        args.json,
        {"old": args.old, "new": args.new, "diff": text},
        lambda: print(text or "(same content)", end="" if text else "\n"),
    )
    return 0


def component_restore(services: Services, args: argparse.Namespace) -> int:
    component = services.components.find(args.ref, args.type)
    restored = services.components.restore_version(component.id, args.version)
    emit(
        args.json,
        restored,
        lambda: print(
            f"Restored {restored.type} {restored.name!r} to {args.version}; "
            "the state it replaced is kept as a version."
        ),
    )
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
    return _print_presets(args, services.presets.list(sort=args.sort))


def preset_list_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same list without SQLAlchemy, when db/lean.py allows (most starts)."""
    from promptterm.services.library import lean_preset_list

    return _print_presets(args, lean_preset_list(read, args.sort))


def _print_presets(args: argparse.Namespace, items: list[PresetInfo]) -> int:
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
    return _print_composed(args, services.presets.compose(preset.id))


def preset_show_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same prompt without SQLAlchemy, when db/lean.py allows (most starts)."""
    from promptterm.services.library import lean_preset_compose

    return _print_composed(args, lean_preset_compose(read, args.ref))


def _print_composed(args: argparse.Namespace, composed: ComposedPrompt) -> int:
    def human() -> None:
        if composed.warning:
            print(f"# {composed.warning}", file=sys.stderr)
        print(composed.text)

    emit(args.json, composed, human)
    return 0


def preset_edit(services: Services, args: argparse.Namespace) -> int:
    preset = services.presets.find(args.ref)
    slots: dict[str, Any] = {}
    for kind in COMPONENT_TYPES:
        given = getattr(args, kind)
        if given is not None and kind in args.clear:
            raise ValidationError(f"Give --{kind} or --clear {kind}, not both.", kind)
        if given is not None:
            slots[kind] = _component_id(services, kind, given)
        elif kind in args.clear:
            slots[kind] = None
    updated = services.presets.update(
        preset.id, name=args.new_name, description=args.description, **slots
    )

    def human() -> None:
        print(f"Updated preset {updated.name!r}.")
        if updated.warning:
            print(updated.warning)

    emit(args.json, updated, human)
    return 0


def preset_rm(services: Services, args: argparse.Namespace) -> int:
    preset = services.presets.find(args.ref)
    name = services.presets.delete(preset.id)
    emit(args.json, {"deleted": name}, lambda: print(f"Deleted preset {name!r}."))
    return 0


def preset_tools(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.chat import check_refs

    preset = services.presets.find(args.ref)
    if args.clear or args.tools:
        services.presets.set_tools(preset.id, [] if args.clear else check_refs(args.tools))
    tools = services.presets.tools(preset.id)
    shown = ", ".join(tools) or "none"
    emit(
        args.json, {"preset": preset.name, "tools": tools}, lambda: print(f"{preset.name}: {shown}")
    )
    return 0
