"""`promptterm note|prd|customer ...`: the plan area's notes, PRD and customer profiles from a
script. The project is found as for `promptterm task` (``--project``, else the current
folder's); a note with ``--personal`` belongs to no project and only its author sees it.
Long text comes from an option, a file (``--file PATH``) or standard input (``--file -``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli.commands_plan import _project
from promptterm.cli.output import emit, table
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services

PRD_OPTIONS = ("problem", "solution", "target_audience", "tech_stack", "success_metrics")
PROFILE_TEXTS = ("overview", "background", "problems")


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--project", "-p", help="project slug, name or id (default: the current folder's)"
    )
    where.add_argument("--workspace", "-w", help="workspace slug or name")
    _register_notes(commands, [as_json, where])
    _register_prd(commands, [as_json, where])
    _register_customers(commands, [as_json, where])


def _register_notes(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    noun = commands.add_parser("note", help="Markdown notes, a project's or your own (plan area)")
    sub = noun.add_subparsers(dest="note_command", metavar="ACTION", required=True)
    mine = argparse.ArgumentParser(add_help=False)
    mine.add_argument(
        "--personal", action="store_true", help="your own notes, in no project (only you see them)"
    )
    add = sub.add_parser("add", parents=[*parents, mine], help="write a new note")
    add.add_argument("title")
    _text_args(add)
    add.set_defaults(handler=note_add)
    listing = sub.add_parser("list", parents=[*parents, mine], help="the notes, newest first")
    listing.add_argument("--search", "-q", help="every note you may read holding this text")
    listing.set_defaults(handler=note_list)
    show = sub.add_parser("show", parents=[*parents, mine], help="a note's Markdown")
    show.add_argument("note", metavar="ID_OR_TITLE")
    show.add_argument("--versions", action="store_true", help="list its saved versions")
    show.set_defaults(handler=note_show)
    edit = sub.add_parser("edit", parents=[*parents, mine], help="save a new version of a note")
    edit.add_argument("note", metavar="ID_OR_TITLE")
    edit.add_argument("--title", "-t", help="a new title")
    _text_args(edit)
    edit.set_defaults(handler=note_edit)


def _text_args(parser: argparse.ArgumentParser) -> None:
    text = parser.add_mutually_exclusive_group()
    text.add_argument("--content", "-c", help="the Markdown text")
    text.add_argument("--file", "-f", help="read the Markdown from this file (- for stdin)")


def _register_prd(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    noun = commands.add_parser("prd", help="the project's PRD (plan area)")
    sub = noun.add_subparsers(dest="prd_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", parents=parents, help="the PRD as Markdown")
    show.add_argument("--versions", action="store_true", help="list its saved versions")
    show.set_defaults(handler=prd_show)
    change = sub.add_parser("set", parents=parents, help="change PRD fields (a new version)")
    for name in PRD_OPTIONS:
        change.add_argument(f"--{name.replace('_', '-')}", dest=name, help=name.replace("_", " "))
    change.add_argument(
        "--section",
        action="append",
        metavar="NAME=TEXT",
        help="a custom section (repeat; given, these replace the custom sections)",
    )
    change.set_defaults(handler=prd_set)
    export = sub.add_parser("export", parents=parents, help="write the PRD to a Markdown file")
    export.add_argument("path", help="a file inside the current folder, e.g. docs/prd.md")
    export.set_defaults(handler=prd_export)


def _register_customers(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    noun = commands.add_parser("customer", help="the project's customer profiles (plan area)")
    sub = noun.add_subparsers(dest="customer_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", parents=parents, help="add a customer profile")
    add.add_argument("name")
    _profile_args(add)
    add.set_defaults(handler=customer_add)
    listing = sub.add_parser("list", parents=parents, help="the profiles, best score first")
    listing.set_defaults(handler=customer_list)
    for verb, helps, handler in (
        ("show", "a profile's fields", customer_show),
        ("select", "make it the project's selected profile", customer_select),
        ("unselect", "no longer the selected profile", customer_unselect),
        ("rm", "delete a profile", customer_rm),
    ):
        one = sub.add_parser(verb, parents=parents, help=helps)
        one.add_argument("profile", metavar="ID_OR_NAME")
        one.set_defaults(handler=handler)
    change = sub.add_parser("set", parents=parents, help="change a profile's fields")
    change.add_argument("profile", metavar="ID_OR_NAME")
    change.add_argument("--name", "-n", help="a new name")
    _profile_args(change)
    change.set_defaults(handler=customer_set)


def _profile_args(parser: argparse.ArgumentParser) -> None:
    for name in PROFILE_TEXTS:
        parser.add_argument(f"--{name}", help=f"{name} (Markdown)")
    parser.add_argument("--scoring", help='criteria and scores 0-10 as JSON: {"budget": 7}')


# Notes ------------------------------------------------------------------------------------


def note_add(services: Services, args: argparse.Namespace) -> int:
    project = None if args.personal else _project(services, args).id
    note = services.notes.add(args.title, _text(args) or "", project)
    emit(args.json, note, lambda: print(f"Added note {note.short_id} {note.title!r}."))
    return 0


def note_list(services: Services, args: argparse.Namespace) -> int:
    if args.search:
        notes = services.notes.search(args.search)
    else:
        notes = services.notes.list(None if args.personal else _project(services, args).id)

    def human() -> None:
        rows = [
            (n.short_id, n.version, "personal" if n.project_id is None else "project", n.title)
            for n in notes
        ]
        table(("ID", "VERSION", "WHOSE", "TITLE"), rows, empty="(no notes)")

    emit(args.json, notes, human)
    return 0


def note_show(services: Services, args: argparse.Namespace) -> int:
    note = _note(services, args)
    if args.versions:
        versions = services.notes.versions(note.id)
        emit(
            args.json,
            versions,
            lambda: table(
                ("VERSION", "SAVED", "TITLE"),
                [(v.number, v.created_at.isoformat(timespec="seconds"), v.title) for v in versions],
            ),
        )
        return 0
    emit(args.json, note, lambda: print(f"# {note.title}\n\n{note.content}"))
    return 0


def note_edit(services: Services, args: argparse.Namespace) -> int:
    note = _note(services, args)
    text = _text(args)
    if args.title is None and text is None:
        raise ValidationError("Nothing to change: give --title, --content or --file.", "fields")
    saved = services.notes.save(
        note.id,
        args.title if args.title is not None else note.title,
        text if text is not None else note.content,
        seen_version=note.version,
    )
    emit(args.json, saved, lambda: print(f"Saved note {saved.short_id}, version {saved.version}."))
    return 0


def _note(services: Services, args: argparse.Namespace) -> Any:
    project = None if args.personal else _project(services, args).id
    return services.notes.find(args.note, project)


def _text(args: argparse.Namespace) -> str | None:
    if args.file is None:
        return args.content
    if args.file == "-":
        return sys.stdin.read()
    path = Path(args.file)
    if not path.is_file():
        raise ValidationError(f"No file {args.file!r}: give the path of a Markdown file.", "file")
    return path.read_text(encoding="utf-8")


# PRD --------------------------------------------------------------------------------------


def prd_show(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    if args.versions:
        versions = services.prd.versions(project.id)
        emit(
            args.json,
            versions,
            lambda: table(
                ("VERSION", "SAVED"),
                [(v.number, v.created_at.isoformat(timespec="seconds")) for v in versions],
                empty="(no versions: the PRD was never saved)",
            ),
        )
        return 0
    prd = services.prd.get(project.id)
    emit(args.json, prd, lambda: print(services.prd.markdown(project.id, project.name), end=""))
    return 0


def prd_set(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    changes = {name: getattr(args, name) for name in PRD_OPTIONS if getattr(args, name) is not None}
    sections = None
    if args.section:
        sections = []
        for item in args.section:
            name, sep, text = item.partition("=")
            if not sep:
                raise ValidationError(
                    f"--section {item!r} needs NAME=TEXT, e.g. --section 'Risks=Scope creep'.",
                    "custom_sections",
                )
            sections.append((name, text))
    if not changes and sections is None:
        options = ", ".join(f"--{n.replace('_', '-')}" for n in PRD_OPTIONS)
        raise ValidationError(f"Nothing to change: give {options} or --section.", "fields")
    seen = services.prd.get(project.id).version
    prd = services.prd.save(project.id, changes, sections=sections, seen_version=seen)
    emit(args.json, prd, lambda: print(f"Saved the PRD of {project.name}, version {prd.version}."))
    return 0


def prd_export(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    path = services.prd.export(project.id, Path.cwd(), args.path, project.name)
    emit(args.json, {"path": str(path)}, lambda: print(f"Wrote {path}."))
    return 0


# Customer profiles ------------------------------------------------------------------------


def customer_add(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    profile = services.customers.add(project.id, args.name, **_profile_fields(args))
    emit(args.json, profile, lambda: print(f"Added customer {profile.short_id} {profile.name!r}."))
    return 0


def customer_list(services: Services, args: argparse.Namespace) -> int:
    project = _project(services, args)
    profiles = services.customers.ranked(project.id)

    def human() -> None:
        rows = [
            (p.short_id, "*" if p.is_selected else "", f"{p.total:g}", p.name) for p in profiles
        ]
        table(("ID", "SELECTED", "SCORE", "NAME"), rows, empty="(no customer profiles)")

    emit(args.json, profiles, human)
    return 0


def customer_show(services: Services, args: argparse.Namespace) -> int:
    profile = _profile(services, args)

    def human() -> None:
        print(f"{profile.name}{' (selected)' if profile.is_selected else ''}")
        for name in PROFILE_TEXTS:
            print(f"\n{name.title()}:\n{getattr(profile, name) or '-'}")
        scores = ", ".join(f"{k} {v:g}" for k, v in profile.scoring.items()) or "-"
        print(f"\nScoring: {scores} (total {profile.total:g})")

    emit(args.json, profile, human)
    return 0


def customer_set(services: Services, args: argparse.Namespace) -> int:
    profile = _profile(services, args)
    fields = _profile_fields(args)
    if args.name is not None:
        fields["name"] = args.name
    if not fields:
        raise ValidationError(
            "Nothing to change: give --name, --overview, --background, --problems or --scoring.",
            "fields",
        )
    changed = services.customers.update(profile.id, **fields)
    emit(args.json, changed, lambda: print(f"Changed customer {changed.name!r}."))
    return 0


def customer_select(services: Services, args: argparse.Namespace) -> int:
    chosen = services.customers.select(_profile(services, args).id)
    emit(args.json, chosen, lambda: print(f"Selected customer {chosen.name!r}."))
    return 0


def customer_unselect(services: Services, args: argparse.Namespace) -> int:
    left = services.customers.unselect(_profile(services, args).id)
    emit(args.json, left, lambda: print(f"{left.name!r} is no longer the selected customer."))
    return 0


def customer_rm(services: Services, args: argparse.Namespace) -> int:
    gone = services.customers.delete(_profile(services, args).id)
    emit(args.json, {"deleted": gone}, lambda: print(f"Deleted customer {gone.name!r}."))
    return 0


def _profile(services: Services, args: argparse.Namespace) -> Any:
    return services.customers.find(_project(services, args).id, args.profile)


def _profile_fields(args: argparse.Namespace) -> dict[str, Any]:
    names = (*PROFILE_TEXTS, "scoring")
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}
