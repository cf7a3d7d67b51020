"""`promptterm db upgrade|info`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, fail

if TYPE_CHECKING:
    from promptterm.db.lean import LeanRead
    from promptterm.services.facade import Services

# A URL whose every character is one of these is shown as is (no password to hide, nothing
# for SQLAlchemy's rendering to change); any other goes the ordinary way.
_PLAIN_URL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:+~")


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="database: upgrade the schema, show where data lives")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    sub.add_parser("upgrade", parents=[as_json], help="upgrade to the newest schema").set_defaults(
        handler=upgrade
    )
    sub.add_parser("info", parents=[as_json], help="URL, schema revision, user").set_defaults(
        handler=info, lean=info_lean
    )


def _info(services: Services) -> dict[str, Any]:
    from promptterm.db.engine import describe_url
    from promptterm.db.migrate import HEAD_REVISION, current_revision

    db = services.ctx.db
    revision = current_revision(db)
    return {
        "url": describe_url(db.url),
        "dialect": db.dialect,
        "revision": revision,
        "head": HEAD_REVISION,
        "up_to_date": revision == HEAD_REVISION,
        "user": services.user.display_name,
        "user_id": str(services.user.id),
    }


def upgrade(services: Services, args: argparse.Namespace) -> int:
    from promptterm.db.migrate import ensure_schema

    # Opening the database already upgraded it; this runs again for an explicit, scriptable
    # answer (and is a no-op when the schema is current).
    from promptterm.db.setup_errors import grants_problem

    ensure_schema(services.ctx.db)
    data = _info(services)
    with services.ctx.db.engine.connect() as conn:
        data["team_access_problem"] = grants_problem(conn)
    if data["team_access_problem"]:
        # The schema is current, but teammates cannot use it: not a success to report.
        emit(args.json, data, lambda: None)
        return fail(data["team_access_problem"])
    emit(args.json, data, lambda: print(f"Database at {data['revision']} (newest)."))
    return 0


def info(services: Services, args: argparse.Namespace) -> int:
    return _print_info(args, _info(services))


def info_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same without SQLAlchemy, when db/lean.py allows (most starts): it opens only a
    SQLite file at the newest revision, whose local user it knows."""
    from promptterm.db.lean import Declined
    from promptterm.db.revisions import HEAD_REVISION

    if not read.url or not set(read.url) <= _PLAIN_URL:
        raise Declined("a URL SQLAlchemy renders")
    user = read.one("SELECT display_name FROM users WHERE id = ?", read.user_id.hex)
    if user is None:
        raise Declined("no user")
    data = {
        "url": read.url,
        "dialect": "sqlite",
        "revision": HEAD_REVISION,  # open_lean read it
        "head": HEAD_REVISION,
        "up_to_date": True,
        "user": user["display_name"],
        "user_id": str(read.user_id),
    }
    return _print_info(args, data)


def _print_info(args: argparse.Namespace, data: dict[str, Any]) -> int:
    def human() -> None:
        for key in ("url", "dialect", "revision", "head", "user"):
            print(f"{key:<9} {data[key]}")

    emit(args.json, data, human)
    return 0
