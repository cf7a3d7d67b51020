"""`promptterm chat import SOURCE PATH`: bring threads from ChatGPT, Claude, llm, elia or
oterm into a workspace (services/chat/importers/). Exit status 0 when every conversation
was imported or already there, 1 when some could not be (each is named, the rest imported).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import print_json

if TYPE_CHECKING:
    from promptterm.services.chat import ImportedThread, ImportReport
    from promptterm.services.facade import Services

# Kept here, not read from the service: building the parser must not import the chat domain.
SOURCES = ("chatgpt", "claude", "llm", "elia", "oterm")
TITLE_WIDTH = 48
WHERE = {
    "chatgpt": "conversations.json of the ChatGPT export (or its folder, or the .zip)",
    "claude": "conversations.json of the Claude export (or its folder, or the .zip)",
    "llm": "llm's logs.db (`llm logs path` prints where it is)",
    "elia": "elia's elia.sqlite",
    "oterm": "oterm's store.db",
}


def register(chat_actions: Any, as_json: argparse.ArgumentParser) -> None:
    parser = chat_actions.add_parser(
        "import",
        parents=[as_json],
        help="bring threads from ChatGPT, Claude, llm, elia or oterm",
        description="Import threads with their branches, models, times and token counts. "
        "Importing the same file again adds only what is new. Imported tokens do not count "
        "toward this month's usage. Paths: "
        + "; ".join(f"{s}: {w}" for s, w in WHERE.items())
        + ".",
    )
    parser.add_argument("source", choices=SOURCES, metavar="SOURCE", help=" | ".join(SOURCES))
    parser.add_argument("path", metavar="PATH", help="the export file or database")
    parser.add_argument(
        "--workspace", "-w", help="workspace slug or name (default: the one used last)"
    )
    parser.add_argument(
        "--project", "-p", help='project to put them in (default: "<Source> history")'
    )
    parser.add_argument(
        "--dry-run", "-n", action="store_true", help="say what would be imported, store nothing"
    )
    parser.set_defaults(handler=chat_import)


def chat_import(services: Services, args: argparse.Namespace) -> int:
    report = services.chat_import.import_file(
        args.source,
        args.path,
        workspace=args.workspace,
        project=args.project,
        dry_run=args.dry_run,
    )
    if args.json:
        print_json(report)
    else:
        _print(report)
    return 1 if report.problems else 0


def _print(report: ImportReport) -> None:
    verb = "Would import" if report.dry_run else "Imported"
    where = f"project {report.project!r} of {report.workspace}"
    print(f"{verb} {report.source_name} history into {where}:")
    width = min(TITLE_WIDTH, max((len(t.title) for t in report.threads), default=0))
    for thread in report.threads:
        print(f"  {_status(thread):<10} {_cut(thread.title, width)}  {_what(thread)}")
        for note in thread.notes:
            print(f"  {'':<10} ({note})")
    if report.problems:
        print()
        print(f"Not imported ({len(report.problems)}; the rest was):")
        for problem in report.problems:
            print(f"  {problem.item}: {problem.message}")
    print()
    new = report.new_threads
    summary = (
        f"{_n(new, 'new thread')}, {_n(report.messages, 'message')}"
        f"{' to add' if report.dry_run else ' added'}; {report.unchanged} already imported"
    )
    if report.problems:
        summary += f"; {_n(len(report.problems), 'problem')}"
    print(summary + ".")
    if report.dry_run:
        print("Nothing was stored (--dry-run).")


def _status(thread: ImportedThread) -> str:
    return "more" if thread.status == "added" else thread.status


def _what(thread: ImportedThread) -> str:
    if thread.status in ("unchanged", "kept"):
        return "already imported"
    parts = [_n(thread.messages, "message")]
    if thread.branches:
        parts.append(_n(thread.branches, "earlier branch", "earlier branches"))
    return ", ".join(parts)


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _cut(title: str, width: int) -> str:
    title = title if len(title) <= width else title[: width - 1] + "…"
    return f"{title:<{width}}"
