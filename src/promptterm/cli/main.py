"""Entry point: parse the command line, open the database, dispatch."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from promptterm import __version__
from promptterm.cli import exit_codes, hyperlinks
from promptterm.cli.error_log import log_failure
from promptterm.cli.output import fail
from promptterm.cli.terminal_text import visible_controls

if TYPE_CHECKING:
    from promptterm.config import Settings
    from promptterm.services.context import ServiceContext
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo


# Every top-level command word and the module of promptterm.cli whose ``register`` adds it.
# `promptterm WORD ...` imports and registers only WORD's module, so a command pays for its
# own parser and imports, not for every other command's; `--help`, completion and a word not
# listed here build them all, in this order (the order `--help` lists them).
#
# A new command module (commands_<domain>.py): add its words here (a test checks that
# each module registers exactly its words). At its top import only what parsing needs
# (argparse, cli.output, db.vocab, services.errors); import services, SQLAlchemy and
# anything heavy inside the handlers. A handler gets the ``Services`` (opened lazily: a
# service is made on first use). A read that must answer in a blink may also set
# ``lean=`` (see commands_workspace.workspace_list_lean and db/lean.py). The whole pattern:
# docs/architecture.md, Start-up.
COMMANDS: dict[str, str] = {
    "db": "commands_db",
    "workspace": "commands_workspace",
    "project": "commands_workspace",
    "demo": "commands_workspace",
    "open": "commands_files",
    "file": "commands_files",
    "component": "commands_library",
    "preset": "commands_library",
    "prompt": "commands_prompts",
    "library": "commands_prompts",
    "usage": "commands_billing",
    "billing": "commands_billing",
    "catalog": "commands_catalog",
    "seller": "commands_catalog",
    "task": "commands_plan",
    "bug": "commands_plan",
    "feature": "commands_plan",
    "note": "commands_plan_docs",
    "prd": "commands_plan_docs",
    "customer": "commands_plan_docs",
    "flow": "commands_flow",
    "provider": "commands_chat",
    "key": "commands_chat",
    "ask": "commands_chat",
    "chat": "commands_threads",
    "run": "commands_run",
    "env": "commands_run",
    "code": "commands_code",
    "mcp": "commands_mcp",
    "log": "commands_log",
    "config": "commands_config",
    "completion": "completion",
    "serve": "commands_serve",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or, given a word of ``COMMANDS``, only of that one."""
    import importlib

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
    wanted = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in wanted:
        importlib.import_module(f"promptterm.cli.{name}").register(commands, as_json)
    return parser


def _command_word(argv: list[str]) -> str | None:
    """The command word of ``[--database-url URL] WORD ...`` (None: none, or an option)."""
    _url, rest = _leading_database_url(argv)
    return rest[0] if rest and not rest[0].startswith("-") else None


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


def connect_chat_tools(get_ctx: Callable[[], ServiceContext]) -> None:
    """The chat's tool names (a thread's, `ask --tools`) reach the MCP server registry; the
    chat itself never imports MCP."""
    from promptterm.services.mcp.tool_source import connect_chat_tools as connect

    connect(get_ctx)


def close_mcp_sessions() -> None:
    """MCP sessions the chat's tool calls kept open (stdio servers are child processes)."""
    if "promptterm.services.mcp.pool" in sys.modules:  # none was ever opened otherwise
        from promptterm.services.mcp.pool import close_shared_pool

        close_shared_pool()


def recover_interrupted(services: Services) -> None:
    import contextlib

    from sqlalchemy.exc import SQLAlchemyError

    from promptterm.services.chat import has_interrupted_answers
    from promptterm.services.errors import ServiceError

    if services.read_only is not None:
        return  # nothing can be marked or metered: the next writable start does it
    # Best effort: the next start tries again. Asked first in one query, so that a start
    # with nothing to close (most) loads no send stack.
    with contextlib.suppress(SQLAlchemyError, ServiceError):
        if has_interrupted_answers(services.ctx):
            services.chat_send.recover_interrupted()


def purge_trash(services: Services) -> None:
    """Empty what has been in the prompt trash for 30 days (the app also does it daily)."""
    import contextlib

    from sqlalchemy.exc import SQLAlchemyError

    from promptterm.services.errors import ServiceError
    from promptterm.services.library import trash_due

    # Best effort, like recover_interrupted: a read-only database still opens.
    with contextlib.suppress(SQLAlchemyError, ServiceError):
        if trash_due(services.ctx):
            services.prompts.purge_trash()


def main(argv: Sequence[str] | None = None) -> int:
    from promptterm.config import ConfigError, load_settings
    from promptterm.db.errors import DatabaseUnavailable

    words = sys.argv[1:] if argv is None else list(argv)
    hidden = _parse_hidden_complete(words)
    if hidden is not None:
        from promptterm.cli.completion import names

        return names.run(*hidden)
    args = _parse_app_only(words)
    if args is None:
        args = build_parser(_command_word(words)).parse_args(words)
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
        if getattr(args, "lean", None) is not None:
            answered = _answer_lean(settings, args)
            if answered is not None:
                return answered
        if hasattr(args, "without_services"):
            # A command that opens the database itself, if at all (`serve`).
            return int(args.without_services(settings, args))
        services = open_services(settings, recover=args.command != "db")
        connect_chat_tools(lambda: services.ctx)
        hyperlinks.configure(settings.hyperlinks)
    except (ConfigError, DatabaseUnavailable) as exc:
        return fail(str(exc), exit_codes.USAGE)
    try:
        return _answer(
            lambda: args.handler(services, args),
            services.ctx.db.url,
            on_failure=lambda exc, severity: log_failure(services, exc, args, severity),
        )
    finally:
        close_mcp_sessions()
        services.close()


def _answer_lean(settings: Settings, args: argparse.Namespace) -> int | None:
    """The command's lean read (db/lean.py), or None when it needs the ordinary path."""
    from promptterm.db.lean import open_lean

    with open_lean(settings.database_url) as read:
        if read is None:
            return None
        hyperlinks.configure(settings.hyperlinks)
        try:
            return _answer(lambda: args.lean(read, args), settings.database_url, lean=True)
        except Exception:
            # Not this read's to answer (Declined: an option it leaves to the services), a
            # refusal (NotFound...: the services say it and tell the activity log, which
            # has no writer here), or changed under us (a migration, a lock held too long):
            # the ordinary path knows how to wait and what to say. Nothing was printed:
            # handlers print last.
            return None


def _answer(
    handler: Callable[[], int | None],
    url: str,
    *,
    lean: bool = False,
    on_failure: Callable[[BaseException, str], None] | None = None,
) -> int:
    """Run a command's handler, its failures said in one line with the right exit status
    (and, given ``on_failure``, told to the activity log with their severity)."""
    from promptterm.db.errors import DatabaseUnavailable
    from promptterm.services.errors import ServiceError

    # Names, contents and answers come from outside: their control characters are shown,
    # never acted on by the terminal (terminal_text says how, and where exact bytes go).
    with visible_controls():
        try:
            return int(handler() or 0)
        except ServiceError as exc:
            if lean:
                raise  # a lean read's refusal: the ordinary path says it and logs it
            if on_failure is not None:
                on_failure(exc, "warning")
            return fail(exc.message, exit_codes.for_error(exc))
        except DatabaseUnavailable as exc:  # e.g. a write to a read-only data folder
            return fail(str(exc))
        except KeyboardInterrupt:
            return exit_codes.INTERRUPTED
        except BrokenPipeError:
            # `promptterm ... | head` closing the pipe early is not an error worth a traceback.
            # What is still buffered goes to /dev/null, or flushing it at exit fails again
            # (Python's documented recipe for SIGPIPE).
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
        except Exception as exc:
            if lean:
                raise  # e.g. a lean read's sqlite3 error: the caller takes the ordinary path
            # A setup problem met mid-command (no grants on a table, a full disk) in words.
            from promptterm.db.setup_errors import explain

            words = explain(exc, url)
            if on_failure is not None:
                on_failure(exc, "error" if words else "fatal")
            if words is None:
                raise
            return fail(words)


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
    # A thread's tools are looked up when a send starts, in a worker: by then the services
    # are open (app.services waits for them in a thread).
    connect_chat_tools(lambda: app.services.ctx)
    try:
        app.run()
    finally:
        close_mcp_sessions()
    return app.return_code or 0
