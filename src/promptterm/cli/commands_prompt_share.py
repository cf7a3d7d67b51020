"""`promptterm prompt share|unshare|copy|shared`: a prompt shared with a workspace (read-only
for its other members), taken back, copied into one's own library, and the prompts others
share with you."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table, when

if TYPE_CHECKING:
    from promptterm.services.facade import Services


def register(sub: Any, as_json: argparse.ArgumentParser) -> None:
    from promptterm.cli.commands_prompts import _prompt_ref

    share = sub.add_parser(
        "share",
        parents=[as_json],
        help="let a workspace's members read and copy a prompt of yours (not change it)",
    )
    _prompt_ref(share)
    share.add_argument("workspace", metavar="WORKSPACE", help="its slug, name or id")
    share.set_defaults(handler=prompt_share)

    unshare = sub.add_parser(
        "unshare", parents=[as_json], help="take a shared prompt back (their copies stay)"
    )
    _prompt_ref(unshare)
    unshare.set_defaults(handler=prompt_unshare)

    copy = sub.add_parser(
        "copy",
        parents=[as_json],
        help="copy a prompt (one shared with you, or yours) into your library, to change",
    )
    _prompt_ref(copy)
    copy.add_argument("--name", dest="new_name", help="the copy's name (default: the same)")
    copy.add_argument("--into", metavar="FOLDER", help="file the copy in this folder of yours")
    copy.set_defaults(handler=prompt_copy)

    shared = sub.add_parser(
        "shared", parents=[as_json], help="prompts others share with your workspaces"
    )
    shared.set_defaults(handler=prompt_shared)


def prompt_share(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_prompts import _find_prompt

    info = _find_prompt(services, args)
    workspace = services.workspaces.get(_workspace_ref(args.workspace))
    shared = services.prompts.sharing.share(info.id, workspace.id)
    emit(
        args.json,
        shared,
        lambda: print(
            f"Shared {shared.name!r} with {shared.workspace!r}: its members can read and copy "
            "it; only you can change it."
        ),
    )
    return 0


def prompt_unshare(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_prompts import _find_prompt

    info = _find_prompt(services, args)
    shared = services.prompts.sharing.unshare(info.id)
    emit(args.json, shared, lambda: print(f"{shared.name!r} is yours alone again."))
    return 0


def prompt_copy(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_prompts import _find_prompt, _folder_id

    source = _find_prompt(services, args)
    folder_id = _folder_id(services, args.into) if args.into else None
    copy = services.prompts.sharing.copy(source.id, name=args.new_name, folder_id=folder_id)
    emit(
        args.json,
        copy,
        lambda: print(f"Copied {source.name!r} into your library as {copy.name!r} (v1)."),
    )
    return 0


def prompt_shared(services: Services, args: argparse.Namespace) -> int:
    items = services.prompts.sharing.shared_with_me()
    emit(
        args.json,
        items,
        lambda: table(
            ("NAME", "OWNER", "WORKSPACE", "UPDATED"),
            [(p.name, p.owner, p.workspace, when(p.updated_at)) for p in items],
            empty="Nobody shares prompts with your workspaces yet.",
        ),
    )
    return 0


def _workspace_ref(ref: str) -> Any:
    import uuid

    try:
        return uuid.UUID(ref)
    except ValueError:
        return ref
