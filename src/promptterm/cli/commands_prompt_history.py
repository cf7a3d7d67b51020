"""`promptterm prompt history|diff|restore`: a prompt's versions, the diff of two versions'
rendered text, and an earlier version made current again (as a new version)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from promptterm.cli.output import emit, table, when

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.prompt_info import PromptInfo


def prompt_of(services: Services, args: argparse.Namespace) -> PromptInfo:
    from promptterm.cli.commands_prompts import _find_prompt

    return _find_prompt(services, args)


def prompt_history(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    states = services.prompt_edits.versions(info.id)
    rows = [
        {
            "version": s.version,
            "current": s.is_current,
            "name": s.name,
            "modules": len(s.state.modules),
            "variables": len(s.state.variables),
            "saved_at": s.saved_at,
            "replaced_at": s.replaced_at,
        }
        for s in states
    ]
    emit(
        args.json,
        rows,
        lambda: table(
            ("VERSION", "NAME", "MODULES", "VARIABLES", "SAVED"),
            [
                (s.label, s.name, r["modules"], r["variables"], when(s.saved_at))
                for s, r in zip(states, rows, strict=True)
            ],
        ),
    )
    return 0


def prompt_diff(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    text = services.prompt_edits.diff(info.id, args.old, args.new)
    emit(
        args.json,
        {"prompt": info.name, "old": args.old, "new": args.new, "diff": text},
        lambda: print(text, end="") if text else print("The rendered text is the same."),
    )
    return 0


def prompt_restore(services: Services, args: argparse.Namespace) -> int:
    info = prompt_of(services, args)
    after = services.prompt_edits.restore(
        info.id, args.version, expected_version=args.expect_version
    )
    said = f"Restored {args.version} as a new version"
    emit(args.json, after, lambda: print(f"{said} ({after.name!r} is now v{after.version})."))
    return 0
