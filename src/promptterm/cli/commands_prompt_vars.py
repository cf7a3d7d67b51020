"""`promptterm prompt var add|edit|rm`: a prompt's variables, their type and settings; a
rename can take the variable's {{uses}} in the texts along (--rename-uses)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.prompt_info import PromptInfo


def prompt_of(services: Services, args: argparse.Namespace) -> PromptInfo:
    from promptterm.cli.commands_prompts import _find_prompt

    return _find_prompt(services, args)


def done(args: argparse.Namespace, info: PromptInfo, said: str) -> int:
    from promptterm.cli.output import emit

    emit(args.json, info, lambda: print(f"{said} ({info.name!r} is now v{info.version})."))
    return 0


def _settings(args: argparse.Namespace, *, editing: bool) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for key in ("default", "min", "max", "label"):
        value = getattr(args, key)
        if value is not None:
            given[key] = int(value) if key in ("min", "max") and value.is_integer() else value
        elif editing and getattr(args, f"no_{key}"):
            given[key] = None
    if args.choices:
        given["choices"] = args.choices
    if args.required:
        given["required"] = True
    elif editing and args.optional:
        given["required"] = None
    return given


def var_add(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.add_variable(
        info.id,
        args.name,
        args.type,
        expected_version=args.expect_version,
        **_settings(args, editing=False),
    )
    return done(args, after, f"Added the variable {{{{{args.name}}}}}")


def var_edit(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    version = args.expect_version
    after = info
    changes = _settings(args, editing=True)
    if args.type is not None or changes:
        after = services.prompt_edits.edit_variable(
            info.id, args.name, args.type, expected_version=version, **changes
        )
        version = after.version if version is not None else None
    said = f"Edited {{{{{args.name}}}}}"
    if args.rename:
        after = services.prompt_edits.rename_variable(
            info.id,
            args.name,
            args.rename,
            rename_uses=args.rename_uses,
            expected_version=version,
        )
        said = f"Renamed {{{{{args.name}}}}} to {{{{{args.rename}}}}}"
        if args.rename_uses:
            said += " and its uses"
    return done(args, after, said)


def var_rm(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.delete_variable(
        info.id, args.name, force=args.force, expected_version=args.expect_version
    )
    return done(args, after, f"Removed {{{{{args.name}}}}}")
