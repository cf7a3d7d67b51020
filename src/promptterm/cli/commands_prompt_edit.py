"""`promptterm prompt create|rm|rename|describe|move|category|tag|module …|option …|var …|
history|diff|restore`: a modular prompt edited in place, every verb with --json.

Modules and options are named by name or by number (1 is the first). Every edit takes
``--expect-version N``: when the prompt is no longer at version N (someone edited it since
the script read it) the edit is refused instead of replacing theirs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli import commands_prompt_history as history
from promptterm.cli import commands_prompt_vars as variables
from promptterm.cli.output import emit
from promptterm.db.vocab import VARIABLE_TYPES
from promptterm.services.errors import NotFound

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.prompt_info import ModuleInfo, OptionInfo, PromptInfo


def register(sub: Any, as_json: argparse.ArgumentParser) -> None:
    from promptterm.cli.commands_prompts import _prompt_ref

    def verb(name: str, help: str, handler: Any, parent: Any = sub) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = parent.add_parser(name, parents=[as_json], help=help)
        _prompt_ref(parser)
        parser.add_argument(
            "--expect-version",
            type=int,
            metavar="N",
            help="refuse the edit unless the prompt is still at version N",
        )
        parser.set_defaults(handler=handler)
        return parser

    create = sub.add_parser("create", parents=[as_json], help="a new, empty prompt")
    create.add_argument("name")
    create.add_argument("--description", "-d", help="what the prompt is for")
    create.add_argument("--folder", help="file it in this folder")
    create.add_argument("--category", help="a category to file it under (e.g. writing)")
    create.add_argument("--tag", action="append", dest="tags", help="a tag (repeatable)")
    create.set_defaults(handler=prompt_create)

    verb("rm", "move a prompt to the trash (emptied after 30 days)", prompt_rm)
    verb("rename", "rename a prompt", prompt_rename).add_argument("new_name", metavar="NEW_NAME")
    verb("describe", "set the description ('' clears it)", prompt_describe).add_argument(
        "description", metavar="TEXT"
    )
    verb("move", "file it in another folder (none: in no folder)", prompt_move).add_argument(
        "to", metavar="FOLDER", nargs="?"
    )
    verb("category", "set the category (none: clear it)", prompt_category).add_argument(
        "category", nargs="?"
    )
    verb("tag", "set the tags (none: clear them)", prompt_tag).add_argument("tags", nargs="*")
    project = verb("project", "make it a project's prompt (none: the library's)", prompt_project)
    project.add_argument("project", metavar="PROJECT", nargs="?", help="its slug, name or id")
    project.add_argument("--workspace", "-w", help="the project's workspace, when ambiguous")

    module = sub.add_parser("module", help="add, edit, remove or move a module")
    msub = module.add_subparsers(dest="module_command", metavar="ACTION", required=True)
    madd = verb("add", "append a module (its first option is the default)", module_add, msub)
    madd.add_argument("name", metavar="MODULE")
    madd.add_argument("--option", "-o", action="append", required=True, help="an option's text")
    madd.add_argument("--at", type=int, metavar="POSITION", help="put it here (1 is first)")
    medit = verb("edit", "rename, hide or show a module", module_edit, msub)
    medit.add_argument("module", metavar="MODULE", help="its name or number")
    medit.add_argument("--name", dest="new_name", help="rename it")
    seen = medit.add_mutually_exclusive_group()
    seen.add_argument("--hide", action="store_true", help="leave it out of the rendered text")
    seen.add_argument("--show", action="store_true", help="put it back in")
    verb("rm", "remove a module and its options", module_rm, msub).add_argument("module")
    mmove = verb("move", "put a module at another position", module_move, msub)
    mmove.add_argument("module")
    mmove.add_argument("position", type=int, metavar="POSITION", help="1 is first")

    option = sub.add_parser("option", help="add, edit, remove or pick the default option")
    osub = option.add_subparsers(dest="option_command", metavar="ACTION", required=True)
    oadd = verb("add", "add an option to a module", option_add, osub)
    oadd.add_argument("module")
    oadd.add_argument("content", metavar="TEXT")
    oadd.add_argument("--name", help="the option's name (default: Option N)")
    oadd.add_argument("--default", action="store_true", help="make it the default")
    oedit = verb("edit", "change an option's text or name", option_edit, osub)
    oedit.add_argument("module")
    oedit.add_argument("option", metavar="OPTION", help="its name or number")
    oedit.add_argument("--content", "-c", metavar="TEXT", help="the option's new text")
    oedit.add_argument("--name", dest="new_name", help="rename the option")
    orm = verb("rm", "remove an option (not a module's last)", option_rm, osub)
    orm.add_argument("module")
    orm.add_argument("option", metavar="OPTION")
    odef = verb("default", "make an option its module's default", option_default, osub)
    odef.add_argument("module")
    odef.add_argument("option", metavar="OPTION")

    var = sub.add_parser("var", help="add, edit or remove a variable")
    vsub = var.add_subparsers(dest="var_command", metavar="ACTION", required=True)
    vadd = verb("add", "define a variable", variables.var_add, vsub)
    vadd.add_argument("name", metavar="VARIABLE")
    vadd.add_argument(
        "--type", "-t", choices=VARIABLE_TYPES, default="text", help="what the value is"
    )
    _var_settings(vadd)
    vedit = verb("edit", "change a variable's type, settings or name", variables.var_edit, vsub)
    vedit.add_argument("name", metavar="VARIABLE")
    vedit.add_argument("--type", "-t", choices=VARIABLE_TYPES, help="change what the value is")
    _var_settings(vedit)
    vedit.add_argument("--optional", action="store_true", help="no longer required")
    for key in ("default", "min", "max", "label"):
        vedit.add_argument(f"--no-{key}", action="store_true", help=f"clear the {key}")
    vedit.add_argument("--rename", metavar="NEW_NAME", help="rename the variable")
    vedit.add_argument(
        "--rename-uses", action="store_true", help="with --rename: rename its {{uses}} too"
    )
    vrm = verb("rm", "remove a variable", variables.var_rm, vsub)
    vrm.add_argument("name", metavar="VARIABLE")
    vrm.add_argument("--force", action="store_true", help="even while the texts still use it")

    hist = sub.add_parser("history", parents=[as_json], help="a prompt's versions, newest first")
    _prompt_ref(hist)
    hist.set_defaults(handler=history.prompt_history)
    diff = sub.add_parser("diff", parents=[as_json], help="compare two versions' rendered text")
    _prompt_ref(diff)
    diff.add_argument("old", metavar="OLD", help="a version number (3 or v3) or 'current'")
    diff.add_argument("new", metavar="NEW", nargs="?", default="current", help="default: current")
    diff.set_defaults(handler=history.prompt_diff)
    restore = verb(
        "restore", "make an earlier version current (as a new version)", history.prompt_restore
    )
    restore.add_argument("version", metavar="VERSION")


def _var_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--default", help="the value used when none is given")
    parser.add_argument("--required", action="store_true", help="a value must be given")
    parser.add_argument("--choice", action="append", dest="choices", help="(repeatable)")
    parser.add_argument("--min", type=float, help="the smallest number allowed")
    parser.add_argument("--max", type=float, help="the largest number allowed")
    parser.add_argument("--label", help="what forms show instead of the name")


# Finding what a verb names ---------------------------------------------------------------------


def prompt_of(services: Services, args: argparse.Namespace) -> PromptInfo:
    from promptterm.cli.commands_prompts import _find_prompt

    return _find_prompt(services, args)


def _module(info: PromptInfo, ref: str) -> ModuleInfo:
    found = next((m for m in info.modules if m.name == ref), None)
    if found is None and ref.isdigit() and 1 <= int(ref) <= len(info.modules):
        found = info.modules[int(ref) - 1]
    if found is None:
        names = ", ".join(m.name for m in info.modules) or "none yet"
        raise NotFound(f"{info.name!r} has no module {ref!r}; its modules: {names}.")
    return found


def _option(module: ModuleInfo, ref: str) -> OptionInfo:
    found = next((o for o in module.options if o.name == ref), None)
    if found is None and ref.isdigit() and 1 <= int(ref) <= len(module.options):
        found = module.options[int(ref) - 1]
    if found is None:
        raise NotFound(
            f"The module {module.name!r} has no option {ref!r}: give its name or a number "
            f"from 1 to {len(module.options)}."
        )
    return found


def done(args: argparse.Namespace, info: PromptInfo, said: str) -> int:
    emit(args.json, info, lambda: print(f"{said} ({info.name!r} is now v{info.version})."))
    return 0


# The prompt ------------------------------------------------------------------------------------


def prompt_create(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_prompts import _folder_id

    folder_id = _folder_id(services, args.folder) if args.folder else None
    info = services.prompts.create(
        args.name,
        description=args.description,
        folder_id=folder_id,
        category=args.category,
        tags=args.tags,
    )
    return done(args, info, f"Created {info.name!r}")


def prompt_rm(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    _check_version(info, args)
    services.prompts.delete(info.id)
    emit(
        args.json,
        {"id": info.id, "name": info.name, "trashed": True},
        lambda: print(f"Moved {info.name!r} to the trash; it is emptied after 30 days."),
    )
    return 0


def _check_version(info: PromptInfo, args: argparse.Namespace) -> None:
    from promptterm.services.errors import Conflict

    if args.expect_version is not None and args.expect_version != info.version:
        raise Conflict(
            f"{info.name!r} is at v{info.version}, not v{args.expect_version}: it was changed "
            "since you read it. Read it again and retry."
        )


def prompt_rename(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.rename(
        info.id, args.new_name, expected_version=args.expect_version
    )
    return done(args, after, f"Renamed {info.name!r} to {after.name!r}")


def prompt_describe(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.describe(
        info.id, args.description, expected_version=args.expect_version
    )
    return done(args, after, "Description cleared" if not after.description else "Described")


def prompt_move(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_prompts import _folder_id

    info = prompt_of(services, args)
    folder_id = _folder_id(services, args.to) if args.to else None
    after = services.prompt_edits.move(info.id, folder_id, expected_version=args.expect_version)
    return done(args, after, f"Moved to {args.to!r}" if args.to else "Moved out of its folder")


def prompt_category(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.set_category(
        info.id, args.category, expected_version=args.expect_version
    )
    return done(args, after, f"Category {after.category!r}" if after.category else "No category")


def prompt_tag(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.set_tags(info.id, args.tags, expected_version=args.expect_version)
    return done(args, after, "Tags: " + (", ".join(after.tags) or "none"))


def prompt_project(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    project = services.projects.find(args.project, args.workspace) if args.project else None
    after = services.prompt_edits.set_project(
        info.id, project.id if project else None, expected_version=args.expect_version
    )
    said = f"Filed under the project {project.name!r}" if project else "Back in the library only"
    return done(args, after, said)


# Modules and options ---------------------------------------------------------------------------


def module_add(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.add_module(
        info.id,
        args.name,
        args.option,
        position=None if args.at is None else args.at - 1,
        expected_version=args.expect_version,
    )
    return done(args, after, f"Added the module {args.name.strip()!r}")


def module_edit(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    module = _module(info, args.module)
    version = args.expect_version
    after = info
    # One command, one or two edits: each names the version the one before it left.
    if args.new_name is not None:
        after = services.prompt_edits.rename_module(
            info.id, module.id, args.new_name, expected_version=version
        )
        version = after.version if version is not None else None
    if args.hide or args.show:
        after = services.prompt_edits.set_module_visible(
            info.id, module.id, args.show, expected_version=version
        )
    return done(args, after, f"Edited the module {module.name!r}")


def module_rm(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    module = _module(info, args.module)
    after = services.prompt_edits.delete_module(
        info.id, module.id, expected_version=args.expect_version
    )
    return done(args, after, f"Removed the module {module.name!r}")


def module_move(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    module = _module(info, args.module)
    after = services.prompt_edits.move_module(
        info.id, module.id, args.position - 1, expected_version=args.expect_version
    )
    return done(args, after, f"Moved {module.name!r} to position {args.position}")


def option_add(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    module = _module(info, args.module)
    after = services.prompt_edits.add_option(
        info.id,
        module.id,
        args.content,
        name=args.name,
        make_default=args.default,
        expected_version=args.expect_version,
    )
    return done(args, after, f"Added an option to {module.name!r}")


def option_edit(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    option = _option(_module(info, args.module), args.option)
    after = services.prompt_edits.edit_option(
        info.id,
        option.id,
        content=args.content,
        name=args.new_name,
        expected_version=args.expect_version,
    )
    return done(args, after, f"Edited the option {option.name!r}")


def option_rm(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    module = _module(info, args.module)
    option = _option(module, args.option)
    after = services.prompt_edits.delete_option(
        info.id, option.id, expected_version=args.expect_version
    )
    said = f"Removed the option {option.name!r}"
    if option.is_default:
        kept = next(m for m in after.modules if m.id == module.id)
        heir = next(o for o in kept.options if o.is_default)
        said += f"; {heir.name!r} is the default now"
    return done(args, after, said)


def option_default(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    module = _module(info, args.module)
    option = _option(module, args.option)
    after = services.prompt_edits.set_default_option(
        info.id, option.id, expected_version=args.expect_version
    )
    return done(args, after, f"{option.name!r} is the default of {module.name!r}")
