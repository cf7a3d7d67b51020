"""`promptterm run [-- CMD…|FILE]`, `promptterm run history` and `promptterm env set|list|rm`.

A run streams its output as it comes (colours kept on a terminal, every other control
removed, secret variables masked) and exits with the program's own exit status; the codes
it adds are in ``RUN_EPILOG``. Nothing runs but the command or file given.
"""

from __future__ import annotations

import argparse
import getpass
import shlex
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli import exit_codes
from promptterm.cli.output import emit, table, when
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.code import RunInfo
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo

RUN_EPILOG = f"""\
promptterm run exits with the program's own exit status, or:
  {exit_codes.RUN_TIMED_OUT:<5}the time limit (--timeout) ended it
  {exit_codes.RUN_NOT_STARTED:<5}it could not be started (no such program)
  128+N  signal N ended it; {exit_codes.INTERRUPTED} after Ctrl+C (the run is killed)
  1-4  promptterm's own errors before the run (see `promptterm --help`)

examples:
  promptterm run -- pytest -x        run a command in the project's folder
  promptterm run src/app.py          run a file with its language's interpreter
  promptterm run history --search pytest
"""


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--project", "-p", help="project slug, name or id (default: the current folder's)"
    )
    where.add_argument("--workspace", "-w", help="workspace slug or name")

    run = commands.add_parser(
        "run",
        parents=[as_json, where],
        help="run a command or file in a bound project; `run history` lists past runs",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--timeout", "-t", type=float, metavar="S", help="stop it after S seconds")
    run.add_argument(
        "--search", "-s", help="with `history`: only runs whose command or output has this"
    )
    run.add_argument("--limit", type=int, default=20, help="with `history`: how many (20)")
    run.add_argument(
        "words",
        nargs=argparse.REMAINDER,
        metavar="-- CMD… | FILE | history",
        help="a command after --, a file of the project, or `history`",
    )
    run.set_defaults(handler=run_command)

    env = commands.add_parser("env", help="a project's environment variables, applied to runs")
    sub = env.add_subparsers(dest="env_command", metavar="ACTION", required=True)
    eset = sub.add_parser("set", parents=[as_json, where], help="set a variable")
    eset.add_argument("name")
    eset.add_argument("value", nargs="?", help="the value (a secret is read from stdin/a prompt)")
    eset.add_argument(
        "--secret", action="store_true", help="keep the value in the OS keyring, never show it"
    )
    eset.set_defaults(handler=env_set)
    elist = sub.add_parser("list", parents=[as_json, where], help="names and plain values")
    elist.set_defaults(handler=env_list)
    erm = sub.add_parser("rm", parents=[as_json, where], help="remove a variable")
    erm.add_argument("name")
    erm.set_defaults(handler=env_rm)


# -- run -----------------------------------------------------------------------------------


def run_command(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_files import _project
    from promptterm.config import load_run_interpreters

    words = list(args.words)
    if words[:1] == ["history"]:
        return _history(services, args, words[1:])
    if words[:1] == ["--"]:
        words = words[1:]
        file = None
    else:
        file = words[0] if len(words) == 1 and Path(words[0]).is_file() else None
    if not words:
        raise ValidationError(
            "What should run? Give a command after -- (promptterm run -- pytest -x) or a file.",
            "command",
        )
    project = _project(services, args)
    services.runs.interpreters = load_run_interpreters()
    on_text = None if args.json else _writer()
    if file is not None:
        active = services.runs.start_file(
            project.id, _project_path(project, file), timeout_s=args.timeout, on_text=on_text
        )
    else:
        command = words[0] if len(words) == 1 else shlex.join(words)
        active = services.runs.start_command(
            project.id, command, timeout_s=args.timeout, on_text=on_text
        )
    try:
        info = services.runs.finish(active)
    except KeyboardInterrupt:
        # The program is in a session of its own, so Ctrl+C reached only us: stop it too.
        active.handle.kill()
        info = services.runs.finish(active)
        _summary(info, active.handle.outcome.error if active.handle.outcome else None)
        return exit_codes.INTERRUPTED
    error = active.handle.outcome.error if active.handle.outcome else None
    if args.json:
        emit(True, {**_jsonable(info), "output": services.runs.output(info.id)}, lambda: None)
    else:
        sys.stdout.flush()
        _summary(info, error)
    return _status(info)


def _writer() -> Any:
    from promptterm.cli.terminal_text import write_trusted
    from promptterm.services.code import without_colours

    colours = sys.stdout.isatty()

    def write(text: str) -> None:
        # Already cleaned by the runner: only colour sequences are left to pass on.
        write_trusted(text if colours else without_colours(text))
        sys.stdout.flush()

    return write


def _status(info: RunInfo) -> int:
    if info.status == "timeout":
        return exit_codes.RUN_TIMED_OUT
    if info.status == "error":
        return exit_codes.RUN_NOT_STARTED
    code = info.exit_code or 0
    if code < 0:
        return 128 - code
    return code


def _summary(info: RunInfo, error: str | None) -> None:
    from promptterm.services.code import RunOutcome, describe_outcome

    outcome = RunOutcome(
        info.status, info.exit_code, info.duration_ms or 0, info.memory_kb, info.output_bytes
    )
    line = error or describe_outcome(outcome)
    if info.status == "killed" and info.exit_code:
        line += f" ({signal.Signals(-info.exit_code).name})"
    print(f"promptterm: {line} · full output: {info.output_path}", file=sys.stderr)


def _project_path(project: ProjectInfo, file: str) -> str:
    if project.root_path:
        on_disk = Path(file).expanduser().resolve()
        root = Path(project.root_path)
        if on_disk.is_relative_to(root):
            return on_disk.relative_to(root).as_posix()
    return file


def _history(services: Services, args: argparse.Namespace, rest: list[str]) -> int:
    from promptterm.cli.commands_files import _project

    if rest:
        # `run history --json`: the options after `history` were taken as its words.
        late = argparse.ArgumentParser(prog="promptterm run history", add_help=False)
        late.add_argument("--json", action="store_true")
        late.add_argument("--search", "-s")
        late.add_argument("--limit", type=int)
        late.add_argument("--project", "-p")
        late.add_argument("--workspace", "-w")
        extra, unknown = late.parse_known_args(rest)
        if unknown:
            raise ValidationError(
                f"`run history` does not take {' '.join(unknown)!r}: it takes --search WORD, "
                "--limit N, --project P and --json.",
                "command",
            )
        for name, value in vars(extra).items():
            if value not in (None, False):
                setattr(args, name, value)
    project = _project(services, args)
    runs = services.runs.history(project.id, args.search, limit=args.limit)
    emit(
        args.json,
        [_jsonable(r) for r in runs],
        lambda: table(
            ["when", "status", "exit", "time", "command"],
            [
                (
                    when(r.created_at),
                    r.status,
                    "" if r.exit_code is None else r.exit_code,
                    "" if r.duration_ms is None else f"{r.duration_ms} ms",
                    r.command,
                )
                for r in runs
            ],
            empty="No runs yet: promptterm run -- CMD",
        ),
    )
    return 0


def _jsonable(info: RunInfo) -> dict[str, Any]:
    from promptterm.cli.output import to_jsonable

    return dict(to_jsonable(info))


# -- env -----------------------------------------------------------------------------------


def env_set(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_files import _project

    project = _project(services, args)
    if args.secret:
        if args.value is not None:
            raise ValidationError(
                "A secret is not given on the command line (it would stay in your shell's "
                "history): leave it out and type it at the prompt, or pipe it in.",
                "value",
            )
        value = _read_secret(args.name)
    elif args.value is None:
        raise ValidationError("Give a value, or --secret to type it hidden.", "value")
    else:
        value = args.value
    info = services.env.set(project.id, args.name, value, secret=args.secret)
    emit(
        args.json,
        _env_json(info),
        lambda: print(f"Set {info.key} = {info.shown} in {project.name}."),
    )
    return 0


def _read_secret(name: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(f"{name} (input hidden): ")


def env_list(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_files import _project

    project = _project(services, args)
    found = services.env.list(project.id)
    emit(
        args.json,
        [_env_json(v) for v in found],
        lambda: table(
            ["name", "value", "secret"],
            [(v.key, v.shown, "yes" if v.is_secret else "") for v in found],
            empty="No variables: promptterm env set NAME VALUE",
        ),
    )
    return 0


def env_rm(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_files import _project

    project = _project(services, args)
    services.env.remove(project.id, args.name)
    emit(args.json, {"removed": args.name}, lambda: print(f"Removed {args.name}."))
    return 0


def _env_json(info: Any) -> dict[str, Any]:
    # The value a script may see: the plain one, or the mask; never the secret.
    return {
        "name": info.key,
        "value": info.shown,
        "secret": info.is_secret,
        "updated_at": info.updated_at.isoformat(),
    }
