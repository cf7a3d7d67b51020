"""Entry point: parse the command line, open the database, dispatch."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from promptterm import __version__
from promptterm.cli import exit_codes, hyperlinks
from promptterm.cli.error_log import log_failure
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
        commands_config,
        commands_db,
        commands_files,
        commands_library,
        commands_log,
        commands_prompts,
        commands_serve,
        commands_threads,
        commands_workspace,
        completion,
    )

    parser = argparse.ArgumentParser(
        prog="promptterm",
        description="A keyboard-driven terminal workspace for people who build with LLMs.\n"
        "With no command, opens the full-screen app.",
        epilog=exit_codes.epilog(),
        # Keeps the exit status table a table (argparse would reflow it into one paragraph).
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
        commands_config,
        commands_log,
        completion,
        commands_serve,
    ):
        module.register(commands, as_json)
    return parser


def _parse_app_only(argv: list[str]) -> argparse.Namespace | None:
    """Plain `promptterm [--database-url URL]` (the full-screen app) without building every
    subcommand's parser: start-up is measured in frames. None means "parse it all"."""
    url, rest = _leading_database_url(argv)
    if rest:
        return None
    return argparse.Namespace(command=None, database_url=url)


def _leading_database_url(argv: list[str]) -> tuple[str | None, list[str]]:
    """A ``--database-url URL`` (or ``=URL``) at the start, and the words after it."""
    if argv[:1] == ["--database-url"] and len(argv) >= 2:
        return argv[1], argv[2:]
    if argv[:1] and argv[0].startswith("--database-url="):
        return argv[0].split("=", 1)[1], argv[1:]
    return None, list(argv)


def _parse_hidden_complete(argv: list[str]) -> tuple[list[str], str | None] | None:
    """``[--database-url URL] __complete KIND``, which the completion scripts run on every
    tab: answered before any parser is built. None for any other command line."""
    url, rest = _leading_database_url(argv)
    if rest[:1] != ["__complete"]:
        return None
    return rest[1:], url


def open_services(settings: Settings, *, recover: bool = True) -> Services:
    """The services, after closing and metering answers a killed process left "streaming"
    (every start does it, CLI or TUI; ``db`` commands leave the data alone)."""
    from promptterm.services.facade import Services

    services = Services.open(settings.database_url)
    if recover:
        recover_interrupted(services)
        purge_trash(services)
    return services


def recover_interrupted(services: Services) -> None:
    import contextlib

    from sqlalchemy.exc import SQLAlchemyError

    from promptterm.services.errors import ServiceError

    if services.read_only is not None:
        return  # nothing can be marked or metered: the next writable start does it
    # Best effort: the next start tries again.
    with contextlib.suppress(SQLAlchemyError, ServiceError):
        services.chat_send.recover_interrupted()


def purge_trash(services: Services) -> None:
    """Empty what has been in the prompt trash for 30 days (the app also does it daily)."""
    import contextlib

    from sqlalchemy.exc import SQLAlchemyError

    from promptterm.services.errors import ServiceError

    # Best effort, like recover_interrupted: a read-only database still opens.
    with contextlib.suppress(SQLAlchemyError, ServiceError):
        services.prompts.purge_trash()


def main(argv: Sequence[str] | None = None) -> int:
    from promptterm.config import ConfigError, load_settings
    from promptterm.db.errors import DatabaseUnavailable
    from promptterm.services.errors import ServiceError

    words = sys.argv[1:] if argv is None else list(argv)
    hidden = _parse_hidden_complete(words)
    if hidden is not None:
        from promptterm.cli.completion import names

        return names.run(*hidden)
    args = _parse_app_only(words)
    if args is None:
        args = build_parser().parse_args(words)
    try:
        if getattr(args, "plain", None) is not None:
            # Commands that need no database (config, completion), so that they work when
            # it cannot be opened; what they print is shown as any other output is.
            with visible_controls():
                return int(args.plain(args) or 0)
        settings = load_settings(args.database_url)
        if args.command is None:
            return run_app(settings)
        _report_unknown_keymap_ids(settings)
        if hasattr(args, "without_services"):
            # A command that opens the database itself, if at all (`serve`).
            return int(args.without_services(settings, args))
        services = open_services(settings, recover=args.command != "db")
        hyperlinks.configure(settings.hyperlinks)
    except (ConfigError, DatabaseUnavailable) as exc:
        return fail(str(exc), exit_codes.USAGE)
    # Names, contents and answers come from outside: their control characters are shown,
    # never acted on by the terminal (terminal_text says how, and where exact bytes go).
    with visible_controls():
        try:
            return int(args.handler(services, args) or 0)
        except ServiceError as exc:
            log_failure(services, exc, args, "warning")
            return fail(exc.message, exit_codes.for_error(exc))
        except DatabaseUnavailable as exc:  # e.g. a write to a read-only data folder
            return fail(str(exc))
        except KeyboardInterrupt:
            return exit_codes.INTERRUPTED
        except BrokenPipeError:
            # `promptterm ... | head` closing the pipe early is not an error worth a traceback.
            sys.stderr.close()
            return 0
        except Exception as exc:
            # A setup problem met mid-command (no grants on a table, a full disk) in words.
            from promptterm.db.setup_errors import explain

            words = explain(exc, services.ctx.db.url)
            log_failure(services, exc, args, "error" if words else "fatal")
            if words is None:
                raise
            return fail(words)
        finally:
            services.close()


def _report_unknown_keymap_ids(settings: Settings) -> None:
    """A typo in [keymap] is said on every start, here on stderr (the app notifies)."""
    from promptterm import locations
    from promptterm.keymap_ids import unknown_ids_message, unknown_keymap_ids

    unknown = unknown_keymap_ids(settings.keymap)
    if unknown:
        where = settings.config_file or locations.config_file()
        print(f"promptterm: {unknown_ids_message(unknown, where)}", file=sys.stderr)


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
    notices: Sequence[str] = (),
) -> int:
    """The full-screen app. It draws its first frame before the database is open (SQLAlchemy
    takes longer to import than Textual takes to draw), so the common mistakes are caught
    first by a quick standard-library check, while a message can still go to stderr.

    ``promptterm open PATH`` passes the services it already opened, the project to start
    on, in the editor, and what its scan must tell the user (``notices``)."""
    from promptterm.app import PromptTermApp

    if services is None:
        from promptterm.db.precheck import precheck

        precheck(settings.database_url)
    source = services if services is not None else (lambda: open_services(settings))
    # Started inside a bound folder, the app opens on that project (as `open` does).
    app = PromptTermApp(
        services=source, settings=settings, project=project, notices=notices, start_folder=cwd()
    )
    app.run()
    return app.return_code or 0
