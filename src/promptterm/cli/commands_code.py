"""`promptterm code explain|refactor|generate|analyze FILE[:LINES]`, and `code apply|discard
JOB` for a proposed change kept from an earlier run.

The answer streams as it comes. A refactor or generation then prints its proposed change as a
unified diff; `--apply` stores it as the file's next version (and on disk in a bound project).
Exit status: 0, or 1 when the model failed or its answer was no change (the answer is kept
and printed), 3 at a plan limit or budget, 4 when the file changed since the job read it
(both sides are printed), 130 after Ctrl+C (the text so far is kept, the job canceled).
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from typing import TYPE_CHECKING, Any

from promptterm.cli import exit_codes
from promptterm.cli.output import emit, to_jsonable
from promptterm.services.errors import StaleEdit, ValidationError

if TYPE_CHECKING:
    from promptterm.services.code import AiJobInfo, ProposedChange
    from promptterm.services.facade import Services

ACTIONS = ("explain", "refactor", "generate", "analyze")

EPILOG = """\
examples:
  promptterm code explain src/app.py:10-30
  promptterm code analyze src/app.py --aspect security
  promptterm code refactor src/app.py:10-30 -i "split it in two" --apply
  promptterm code generate src/app.py:42 -i "a function that parses the config"
  promptterm code apply JOB-ID          apply a change proposed earlier
  promptterm code use --model gpt-4o-mini --preset Reviewer   the project's defaults
"""


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--project", "-p", help="project slug, name or id (default: the current folder's)"
    )
    where.add_argument("--workspace", "-w", help="workspace slug or name")

    code = commands.add_parser(
        "code",
        help="ask the model about a file: explain, refactor, generate, analyze",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = code.add_subparsers(dest="code_command", metavar="ACTION", required=True)
    for action in ACTIONS:
        ask = sub.add_parser(action, parents=[as_json, where], help=_HELP[action])
        ask.add_argument("target", metavar="FILE[:LINES]", help="a file, or lines: app.py:10-30")
        ask.add_argument("--instruction", "-i", help="what you want (needed by generate)")
        if action == "analyze":
            ask.add_argument(
                "--aspect",
                "-a",
                choices=("complexity", "security", "performance"),
                default="complexity",
                help="what to look at: complexity (default), security or performance",
            )
        if action in ("refactor", "generate"):
            ask.add_argument(
                "--apply", action="store_true", help="store the change as the next version"
            )
        ask.add_argument("--provider", help="provider entry (default: the project's, or the only)")
        ask.add_argument("--model", "-m", help="model (default: the project's, or the provider's)")
        ask.add_argument("--preset", help="preset name or id (default: the project's)")
        ask.set_defaults(handler=code_ask, action=action)
    use = sub.add_parser(
        "use", parents=[as_json, where], help="the project's default provider, model and preset"
    )
    use.add_argument("--provider", help="provider entry")
    use.add_argument("--model", "-m", help="model")
    use.add_argument("--preset", help="preset name or id")
    use.set_defaults(handler=code_use)
    for verb, what in (("apply", "apply"), ("discard", "discard")):
        act = sub.add_parser(verb, parents=[as_json], help=f"{what} a change a job proposed")
        act.add_argument("job", help="the job's id")
        act.set_defaults(handler=code_apply if verb == "apply" else code_discard)


_HELP = {
    "explain": "explain a file or lines",
    "refactor": "propose a refactor of a file or lines (a diff; --apply to keep it)",
    "generate": "propose new code at a line, from --instruction (a diff; --apply to keep it)",
    "analyze": "analyse complexity, security or performance",
}


def split_target(target: str) -> tuple[str, str | None]:
    """``app.py:10-30`` → (``app.py``, ``10-30``); a path without a line part is whole."""
    match = re.fullmatch(r"(.+?):(\d+(?:-\d+)?)", target)
    return (match.group(1), match.group(2)) if match else (target, None)


def code_ask(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_files import _file
    from promptterm.services.code import AiRequest, parse_lines

    path, lines = split_target(args.target)
    args.path = path
    file = _file(services, args)
    request = AiRequest(
        file.id,
        args.action,
        lines=parse_lines(lines) if lines else None,
        instruction=args.instruction,
        aspect=getattr(args, "aspect", None),
        provider=args.provider,
        model=args.model,
        preset=args.preset,
    )
    on_text = None if args.json else _write
    try:
        job = services.ai_jobs.run(request, on_text=on_text)
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        print("promptterm: stopped; the text so far is kept with the job.", file=sys.stderr)
        return exit_codes.INTERRUPTED
    if not args.json and job.output and not job.output.endswith("\n"):
        sys.stdout.write("\n")
    change = None
    if job.change_state == "proposed":
        change = services.ai_changes.proposed(job.id)
    applied = None
    if change is not None and getattr(args, "apply", False):
        applied = _apply(services, change, args.json)
    data = _data(job, change, applied)
    if args.json:
        emit(True, data, lambda: None)
    else:
        if change is not None:
            sys.stdout.write(change.unified())
        _footer(job, applied)
    return exit_codes.OK if job.status == "completed" and job.change_state != "invalid" else 1


def code_apply(services: Services, args: argparse.Namespace) -> int:
    change = services.ai_changes.proposed(_job_id(args.job))
    applied = _apply(services, change, args.json)
    emit(
        args.json,
        {"job": str(change.job.id), "applied_version": applied},
        lambda: print(f"Applied to {change.job.path} as version {applied}."),
    )
    return exit_codes.OK


def code_discard(services: Services, args: argparse.Namespace) -> int:
    job = services.ai_changes.discard(_job_id(args.job))
    emit(args.json, _data(job, None, None), lambda: print("Discarded; the answer stays."))
    return exit_codes.OK


def code_use(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.commands_files import _project

    project = _project(services, args)
    if args.preset:
        services.presets.find(args.preset)  # a typo is said now, not at the next job
    if args.provider:
        services.providers.get(args.provider)
    services.ai_jobs.set_project_defaults(
        project.id, provider=args.provider, model=args.model, preset=args.preset
    )
    chosen = {"provider": args.provider, "model": args.model, "preset": args.preset}
    words = ", ".join(f"{k} {v}" for k, v in chosen.items() if v) or "no defaults (the provider's)"
    emit(
        args.json,
        {"project": project.name, **chosen},
        lambda: print(f"AI jobs in {project.name} now use {words}."),
    )
    return exit_codes.OK


def _apply(services: Services, change: ProposedChange, as_json: bool) -> int:
    try:
        return services.ai_changes.apply(change.job.id).number
    except StaleEdit:
        # Show both: the file as it is now against the proposal, before the refusal.
        if not as_json and change.job.file_id is not None:
            from promptterm.services.files import unified

            now = services.files.read(change.job.file_id).text
            path = change.job.path
            sys.stdout.write(unified(now, change.after, f"{path}@now", f"{path}@AI"))
        raise


def _write(text: str) -> None:
    sys.stdout.write(text)  # model output: its controls are shown, not acted on (main.py)
    sys.stdout.flush()


def _footer(job: AiJobInfo, applied: int | None) -> None:
    tokens = (job.tokens_in or 0) + (job.tokens_out or 0)
    cost = "" if job.cost_usd is None else f", ${job.cost_usd:.4f}"
    line = f"{job.kind} · {job.model} · {tokens} tokens{cost} · job {job.id}"
    if job.status != "completed":
        line = f"{job.status}: {job.error or 'no answer'} · job {job.id}"
    elif job.change_state == "invalid":
        line = f"{job.error} · job {job.id}"
    elif job.change_state == "proposed" and applied is None:
        line += f"\nApply it with: promptterm code apply {job.id}"
    elif applied is not None:
        line += f"\nApplied to {job.path} as version {applied}."
    print(line, file=sys.stderr)


def _data(job: AiJobInfo, change: ProposedChange | None, applied: int | None) -> dict[str, Any]:
    data = to_jsonable(job)
    data["diff"] = change.unified() if change is not None else None
    data["applied_version"] = applied
    return data


def _job_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a job id (the id the command printed).") from None
