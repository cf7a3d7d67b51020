"""`promptterm log list|show|export`: the activity log (every provider call and every error
the app caught) for scripts, through the same service as the app's Activity log screen.

``--since`` takes a date or time (2026-01-15, 2026-01-15T09:30, in UTC unless it says
otherwise) or an age: 30m, 12h, 7d, 2w. An entry is named by its id or its first characters.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table, when
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.activity import ActivityFilter, EntryInfo
    from promptterm.services.facade import Services

DEFAULT_LIMIT = 50


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    log = commands.add_parser("log", help="the activity log: provider calls and errors")
    sub = log.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--kind", choices=("api", "error"), help="provider calls or errors")
    filters.add_argument("--since", metavar="WHEN", help="a date or time (UTC), or an age: 7d, 12h")
    filters.add_argument("--provider", metavar="NAME", help="only this provider entry's calls")
    filters.add_argument("--model", metavar="MODEL", help="only calls to this model")
    filters.add_argument("--status", metavar="STATUS", help="ok, error, stopped, 429...")
    filters.add_argument("--text", metavar="TEXT", help="in the message, type, endpoint, model")
    listing = sub.add_parser("list", parents=[as_json, filters], help="entries, newest first")
    listing.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, metavar="N", help=f"default {DEFAULT_LIMIT}"
    )
    listing.set_defaults(handler=log_list)
    show = sub.add_parser("show", parents=[as_json], help="one entry, whole")
    show.add_argument("entry", metavar="ENTRY_ID", help="the id, or its first characters")
    show.set_defaults(handler=log_show)
    export = sub.add_parser("export", parents=[filters], help="entries as JSON Lines or CSV")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="default jsonl")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout)")
    export.set_defaults(handler=log_export)


def _filter(services: Services, args: argparse.Namespace) -> ActivityFilter:
    from promptterm.services.activity import ActivityFilter, parse_when

    since = parse_when(args.since, services.ctx.now(), "--since") if args.since else None
    return ActivityFilter(
        kind=args.kind,
        provider=args.provider,
        model=args.model,
        status=args.status,
        text=args.text,
        since=since,
    )


def log_list(services: Services, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise ValidationError("--limit must be 1 or more.", "limit")
    entries = services.activity.list(_filter(services, args), limit=args.limit).entries

    def human() -> None:
        rows = [
            (
                str(e.id),
                when(e.at),
                e.kind,
                e.status,
                " ".join(p for p in (e.provider, e.model) if p) or "-",
                f"{e.duration_ms} ms" if e.duration_ms is not None else "",
                _clip(e.message or e.error_type or "", 50),
            )
            for e in entries
        ]
        table(("ID", "WHEN", "KIND", "STATUS", "WHAT", "TOOK", "MESSAGE"), rows, "(no entries)")

    emit(args.json, entries, human)
    return 0


def log_show(services: Services, args: argparse.Namespace) -> int:
    entry = services.activity.find(args.entry)
    emit(args.json, entry, lambda: _print_entry(entry))
    return 0


def log_export(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.activity import write_export

    entries = services.activity.iterate(_filter(services, args))
    if args.output is None:
        # Exact text to a pipe or file; to a terminal, VisibleControls shows the controls.
        write_export(entries, sys.stdout, args.format)
        return 0
    path = Path(args.output)
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            count = write_export(entries, out, args.format)
    except OSError as exc:
        raise ValidationError(f"Cannot write {path}: {exc.strerror}.", "output") from exc
    print(f"Wrote {count} entr{'y' if count == 1 else 'ies'} to {path}.")
    return 0


def _print_entry(entry: EntryInfo) -> None:
    fields: list[tuple[str, object]] = [
        ("id", entry.id),
        ("when", entry.at.isoformat()),
        ("kind", entry.kind),
        ("status", entry.status),
        ("provider", entry.provider),
        ("model", entry.model),
        ("endpoint", entry.endpoint),
        ("took", f"{entry.duration_ms} ms" if entry.duration_ms is not None else None),
        ("tokens", _tokens(entry)),
        ("cost", f"${entry.cost_usd}" if entry.cost_usd is not None else None),
        ("thread", entry.thread_id),
        ("message id", entry.message_id),
        ("type", entry.error_type),
        ("message", entry.message),
    ]
    fields += [(str(k), v) for k, v in entry.context.items()]
    width = max(len(name) for name, _ in fields)
    for name, value in fields:
        if value is not None and value != "":
            print(f"{name:<{width}}  {value}")
    for title, text in (
        ("Traceback", entry.traceback),
        ("Request", entry.request_body),
        ("Response", entry.response_body),
    ):
        if text:
            print(f"\n{title}:\n{text}")


def _tokens(entry: EntryInfo) -> str | None:
    if entry.tokens_in is None and entry.tokens_out is None:
        return None
    return f"{entry.tokens_in or 0} in, {entry.tokens_out or 0} out"


def _clip(text: str, width: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
