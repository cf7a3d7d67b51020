"""Entry point: parse the command line, open the database, dispatch."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from promptterm import __version__
from promptterm.cli.output import fail
from promptterm.cli.terminal_text import visible_controls

if TYPE_CHECKING:
    from promptterm.config import Settings
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo


def build_parser() -> argparse.ArgumentParser:
    from promptterm.cli import (
        commands_billing,
        commands_chat,
        commands_db,
        commands_files,
        commands_library,
        commands_prompts,
        commands_threads,
        commands_workspace,
    )

    parser = argparse.ArgumentParser(
        prog="promptterm",
        description="A keyboard-driven terminal workspace for people who build with LLMs. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"promptterm {__version__}")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="sqlite:///PATH or postgresql+psycopg://USER@HOST/DB "
        "(default: $PROMPTTERM_DATABASE_URL, the config file, then a SQLite file in your data dir)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON for scripts")
    for module in (
        commands_db,
        commands_workspace,
        commands_files,
        commands_library,
        commands_prompts,
        commands_billing,
        commands_chat,
        commands_threads,
    ):
        module.register(commands, as_json)
    return parser


def _parse_app_only(argv: list[str]) -> argparse.Namespace | None:
    """Plain `promptterm [--database-url URL]` (the full-screen app) without building every
    subcommand's parser: start-up is measured in frames. None means "parse it all"."""
    rest = list(argv)
    url = None
    if rest[:1] == ["--database-url"] and len(rest) >= 2:
        url, rest = rest[1], rest[2:]
    elif rest[:1] and rest[0].startswith("--database-url="):
        url, rest = rest[0].split("=", 1)[1], rest[1:]
    if rest:
        return None
    return argparse.Namespace(command=None, database_url=url)


def open_services(settings: Settings, *, recover: bool = True) -> Services:
    """The services, after closing and metering answers a killed process left "streaming"
    (every start does it, CLI or TUI; ``db`` commands leave the data alone)."""
    from promptterm.services.facade import Services

    services = Services.open(settings.database_url)
    if recover:
        recover_interrupted(services)
    return services


def recover_interrupted(services: Services) -> None:
    import contextlib

    from sqlalchemy.exc import SQLAlchemyError

    from promptterm.services.errors import ServiceError

    # Best effort (a read-only database still opens): the next start tries again.
    with contextlib.suppress(SQLAlchemyError, ServiceError):
        services.chat_send.recover_interrupted()


def main(argv: Sequence[str] | None = None) -> int:
    from promptterm.config import ConfigError, load_settings
    from promptterm.db.errors import DatabaseUnavailable
    from promptterm.services.errors import ServiceError

    args = _parse_app_only(sys.argv[1:] if argv is None else list(argv))
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.database_url)
        if args.command is None:
            return run_app(settings)
        services = open_services(settings, recover=args.command != "db")
    except (ConfigError, DatabaseUnavailable) as exc:
        return fail(str(exc), 2)
    # Names, contents and answers come from outside: their control characters are shown,
    # never acted on by the terminal (terminal_text says how, and where exact bytes go).
    with visible_controls():
        try:
            return int(args.handler(services, args) or 0)
        except ServiceError as exc:
            return fail(exc.message)
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            # `promptterm ... | head` closing the pipe early is not an error worth a traceback.
            sys.stderr.close()
            return 0
        except Exception as exc:
            # A setup problem met mid-command (no grants on a table, a full disk) in words.
            from promptterm.db.setup_errors import explain

            words = explain(exc, services.ctx.db.url)
            if words is None:
                raise
            return fail(words)
        finally:
            services.close()


def cwd() -> Path | None:
    """The folder promptterm was started in (None if it no longer exists)."""
    try:
        return Path.cwd()
    except OSError:
        return None


def run_app(
    settings: Settings,
    *,
    services: Services | None = None,
    project: ProjectInfo | None = None,
) -> int:
    """The full-screen app. It draws its first frame before the database is open (SQLAlchemy
    takes longer to import than Textual takes to draw), so the common mistakes are caught
    first by a quick standard-library check, while a message can still go to stderr.

    ``promptterm open PATH`` passes the services it already opened and the project to
    start on, in the editor."""
    from promptterm.app import PromptTermApp

    if services is None:
        from promptterm.db.precheck import precheck

        precheck(settings.database_url)
    source = services if services is not None else (lambda: open_services(settings))
    # Started inside a bound folder, the app opens on that project (as `open` does).
    app = PromptTermApp(services=source, settings=settings, project=project, start_folder=cwd())
    app.run()
    return app.return_code or 0
