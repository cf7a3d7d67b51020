"""`promptterm prompt list|show|render` and `promptterm library export|import`; the verbs
that edit a prompt are in commands_prompt_edit.py."""

from __future__ import annotations

import argparse
import dataclasses
import uuid
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table, when
from promptterm.services.errors import NotFound, ServiceError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from promptterm.db.lean import LeanRead
    from promptterm.services.facade import Services
    from promptterm.services.library import PromptUseInfo
    from promptterm.services.library.io.report import ImportReport
    from promptterm.services.library.prompts import PromptInfo

RECENT_USES = 5  # what `prompt show` lists of a prompt's uses, newest first


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    prompt = commands.add_parser("prompt", help="modular prompts: modules, options, variables")
    sub = prompt.add_subparsers(dest="prompt_command", metavar="ACTION", required=True)
    plist = sub.add_parser("list", parents=[as_json], help="your prompts")
    plist.add_argument("--folder", help="only this folder's")
    plist.add_argument("--trash", action="store_true", help="what is in the trash")
    plist.add_argument("--category", help="only this category's (any case)")
    plist.add_argument("--tag", help="only those with this tag")
    plist.add_argument("--project", help="only this project's (its slug, name or id)")
    plist.add_argument(
        "--sort",
        choices=("name", "most_used", "recent"),
        default="name",
        help="by name, by uses, or by last use",
    )
    plist.set_defaults(handler=prompt_list, lean=prompt_list_lean)

    show = sub.add_parser("show", parents=[as_json], help="a prompt's modules and variables")
    _prompt_ref(show)
    show.set_defaults(handler=prompt_show, lean=prompt_show_lean)

    render = sub.add_parser("render", parents=[as_json], help="print the filled-in prompt")
    _prompt_ref(render)
    render.add_argument(
        "--var", action="append", default=[], metavar="NAME=VALUE", help="a variable's value"
    )
    render.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="MODULE=OPTION",
        help="use this option (its name or number) for a module instead of the default",
    )
    render.set_defaults(handler=prompt_render)

    from promptterm.cli import commands_prompt_edit, commands_prompt_share

    commands_prompt_edit.register(sub, as_json)
    commands_prompt_share.register(sub, as_json)

    library = commands.add_parser("library", help="export and import the library as files")
    lsub = library.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    export = lsub.add_parser(
        "export", parents=[as_json], help="write components, presets and prompts to a folder"
    )
    export.add_argument("directory", metavar="DIR")
    export.set_defaults(handler=library_export)
    imp = lsub.add_parser(
        "import",
        parents=[as_json],
        help="read a folder back (exit status 1 if anything was left out)",
    )
    imp.add_argument("directory", metavar="DIR")
    imp.add_argument("--fabric", action="store_true", help="a folder of Fabric patterns")
    imp.add_argument("--llm", action="store_true", help="llm YAML templates (a folder or file)")
    imp.add_argument(
        "--replace",
        action="store_true",
        help="overwrite items that differ (components keep the old text as a version)",
    )
    imp.set_defaults(handler=library_import)


def _prompt_ref(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ref", metavar="NAME_OR_ID")
    parser.add_argument("--folder", help="the prompt's folder, when the name is used twice")


def _find_prompt(services: Services, args: argparse.Namespace) -> PromptInfo:
    if not args.folder:
        return services.prompts.find(args.ref)
    folder_id = _folder_id(services, args.folder)
    found = [p for p in services.prompts.list(folder_id=folder_id) if p.name == args.ref]
    if not found:
        raise NotFound(f"The folder {args.folder!r} has no prompt named {args.ref!r}.")
    return found[0]


def _folder_id(services: Services, name: str) -> uuid.UUID:
    for folder in services.prompts.folders():
        if folder.name == name:
            return folder.id
    raise NotFound(f"You have no folder named {name!r}.")


def prompt_list(services: Services, args: argparse.Namespace) -> int:
    folder_id = _folder_id(services, args.folder) if args.folder else None
    project_id = services.projects.find(args.project).id if args.project else None
    items = services.prompts.list(
        folder_id=folder_id,
        trash=args.trash,
        category=args.category,
        tag=args.tag,
        project_id=project_id,
        sort=args.sort,
    )
    folders = {f.id: f.name for f in services.prompts.folders(trash=args.trash)}
    folders.update({f.id: f.name for f in services.prompts.folders()})
    return _print_prompts(args, items, folders)


def prompt_list_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same list without SQLAlchemy, when db/lean.py allows (most starts); a filter by
    folder, category, tag or project is the services'."""
    from promptterm.db.lean import Declined
    from promptterm.services.library import lean_folder_names, lean_prompt_list

    if args.folder or args.category is not None or args.tag is not None or args.project:
        raise Declined("a filter")
    items = lean_prompt_list(read, trash=args.trash, sort=args.sort)
    return _print_prompts(args, items, lean_folder_names(read, trash=args.trash))


def _print_prompts(
    args: argparse.Namespace, items: list[PromptInfo], folders: dict[uuid.UUID, str]
) -> int:
    emit(
        args.json,
        items,
        lambda: table(
            ("NAME", "FOLDER", "MODULES", "VARIABLES", "UPDATED"),
            [
                (
                    p.name,
                    folders.get(p.folder_id, "-") if p.folder_id else "-",
                    len(p.modules),
                    ", ".join(v.name for v in p.variables) or "-",
                    when(p.updated_at),
                )
                for p in items
            ],
            empty="The trash is empty." if args.trash else "No prompts yet.",
        ),
    )
    return 0


def prompt_show(services: Services, args: argparse.Namespace) -> int:
    info = _find_prompt(services, args)
    uses = services.prompt_usage.recent(info.id, limit=RECENT_USES)
    return _print_prompt(args, info, uses, lambda: _sharing(services, info))


def prompt_show_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same prompt without SQLAlchemy, when db/lean.py allows (most starts): one of the
    user's own, shared nowhere (what sharing says is the services'), named without --folder."""
    from promptterm.db.lean import Declined
    from promptterm.services.library import lean_prompt_find, lean_recent_uses

    if args.folder:
        raise Declined("--folder")
    info = lean_prompt_find(read, args.ref)
    if info.shared_workspace_id is not None:
        raise Declined("shared")
    uses = lean_recent_uses(read, info.id, RECENT_USES)
    return _print_prompt(args, info, uses, lambda: None)


def _sharing(services: Services, info: PromptInfo) -> str | None:
    """What `prompt show` says of a prompt's sharing, if anything."""
    if info.user_id not in (None, services.user.id):
        return "shared with you: read-only, `prompt copy` to change your own"
    if info.shared_workspace_id is not None:
        return _shared_with(services, info.shared_workspace_id)
    return None


def _print_prompt(
    args: argparse.Namespace,
    info: PromptInfo,
    uses: list[PromptUseInfo],
    sharing: Callable[[], str | None],
) -> int:
    def human() -> None:
        print(f"# {info.name}  (v{info.version})")
        if info.description:
            print(info.description)
        filed = [f"category {info.category}"] if info.category else []
        if info.tags:
            filed.append("tags " + ", ".join(info.tags))
        filed.append(f"used {info.usage_count} time{'s' if info.usage_count != 1 else ''}")
        shared = sharing()
        if shared is not None:
            filed.append(shared)
        print("  " + "; ".join(filed))
        for spec in info.variables:
            rules = [spec.type, "required" if spec.required else "optional"]
            if spec.choices:
                rules.append("one of " + "/".join(spec.choices))
            if spec.min is not None or spec.max is not None:
                low = "" if spec.min is None else f"{spec.min:g}"
                high = "" if spec.max is None else f"{spec.max:g}"
                rules.append(f"{low}..{high}")
            if spec.default is not None:
                rules.append(f"default {spec.default!r}")
            print(f"  {{{{{spec.name}}}}}  {', '.join(rules)}")
        for module in info.modules:
            hidden = " (hidden)" if not module.visible else ""
            print(f"\n## {module.order_index + 1}. {module.name}{hidden}")
            for number, option in enumerate(module.options, 1):
                mark = "*" if option.is_default else " "
                first = option.content.splitlines()[0] if option.content else ""
                print(f" {mark} {number}. {option.name}: {first[:60]}")
        if uses:
            print("\nRecent uses:")
        for use in uses:
            picked = ", ".join(f"{m}={o}" for m, o in use.options.items())
            values = ", ".join(f"{k}={v[:30]!r}" for k, v in use.values.items())
            print(f"  {when(use.at)}  {use.action:<6}  {picked}  {values}".rstrip())

    emit(args.json, {**dataclasses.asdict(info), "recent_uses": uses}, human)
    return 0


def _shared_with(services: Services, workspace_id: uuid.UUID) -> str:
    try:
        return "shared with " + services.workspaces.get(workspace_id).name
    except ServiceError:  # no longer a member there: its members still read it
        return "shared with a workspace you have left (`prompt unshare` takes it back)"


def prompt_render(services: Services, args: argparse.Namespace) -> int:
    info = _find_prompt(services, args)
    values = dict(_pair(v, "--var", "NAME=VALUE") for v in args.var)
    picks = {}
    for given in args.option:
        module_name, option_ref = _pair(given, "--option", "MODULE=OPTION")
        module = next((m for m in info.modules if m.name == module_name), None)
        if module is None:
            names = ", ".join(m.name for m in info.modules) or "none"
            raise ValidationError(
                f"{info.name!r} has no module {module_name!r}; its modules: {names}.", "option"
            )
        option = next((o for o in module.options if o.name == option_ref), None)
        if option is None and option_ref.isdigit() and 1 <= int(option_ref) <= len(module.options):
            option = module.options[int(option_ref) - 1]
        if option is None:
            raise ValidationError(
                f"The module {module.name!r} has no option {option_ref!r}: give its name or a "
                f"number from 1 to {len(module.options)}.",
                "option",
            )
        picks[module.id] = option.id
    text = services.prompts.render(info.id, values, picks)
    services.prompt_usage.record(info.id, "render", options=picks, values=values)
    emit(args.json, {"prompt": info.name, "id": info.id, "text": text}, lambda: print(text))
    return 0


def _pair(given: str, flag: str, shape: str) -> tuple[str, str]:
    name, sep, value = given.partition("=")
    if not sep or not name.strip():
        raise ValidationError(f"{flag} takes {shape}; got {given!r}.", flag.lstrip("-"))
    return name.strip(), value


def library_export(services: Services, args: argparse.Namespace) -> int:
    report = services.library_io.export_to(args.directory)

    def human() -> None:
        print(f"Exported {report.summary}.")
        for rel in report.removed:
            print(f"  removed {rel}")
        for rel in report.kept:
            print(f"  left in place {rel} (changed since the export wrote it, or not ours)")

    emit(args.json, {**_fields(report), "summary": report.summary}, human)
    return 0


def library_import(services: Services, args: argparse.Namespace) -> int:
    report = services.library_io.import_from(
        args.directory,
        fabric=args.fabric,
        llm=args.llm,
        on_conflict="replace" if args.replace else "skip",
    )
    emit(
        args.json,
        {**_fields(report), "summary": report.summary, "ok": report.ok},
        lambda: _print_import(report, args.replace),
    )
    return 0 if report.ok else 1


def _print_import(report: ImportReport, replace: bool) -> None:
    print(f"Imported from {report.source}: {report.summary}.")
    for item in report.created:
        print(f"  + {item.label}")
    for item in report.updated:
        print(f"  ~ {item.label}")
    for conflict in report.conflicts:
        print(f"  ! {conflict.kind} {conflict.name!r} ({conflict.path}): {conflict.reason}")
    if report.conflicts and not replace:
        print("    Left as they are; import again with --replace to overwrite them.")
    for error in report.errors:
        print(f"  x {error.path}: {error.message}")
    for limit in report.limits:
        print(f"  limit: {limit.message}")
        print(f"    not imported: {', '.join(limit.names)}")


def _fields(report: Any) -> dict[str, Any]:
    return {f.name: getattr(report, f.name) for f in dataclasses.fields(report)}
