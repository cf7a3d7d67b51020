"""`promptterm chat list|show|search|export`: read, find and export chat threads from scripts,
through the same services as the chat screen.

A thread is named by its id or by the first characters of it (at least four, as long as
they name one thread), as `chat list` shows them.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli import colour, commands_chat_import
from promptterm.cli.hyperlinks import Link, file_url, write_parts
from promptterm.cli.output import emit, print_json, table, when
from promptterm.cli.terminal_text import json_safe, visible, write_trusted
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.words import plural

if TYPE_CHECKING:
    from promptterm.db.lean import LeanRead
    from promptterm.services.chat.search import SearchHit
    from promptterm.services.chat.threads import MessageInfo, ThreadInfo
    from promptterm.services.facade import Services

SHORT_ID = 8
MIN_PREFIX = 4
TITLE_WIDTH = 40
ROLES = {"user": "You", "assistant": "Assistant", "system": "System"}


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    chat = commands.add_parser("chat", help="chat threads: list, show, search, export, import")
    sub = chat.add_subparsers(dest="chat_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", parents=[as_json], help="threads, most recently active first")
    listing.add_argument("--archived", action="store_true", help="the archived threads instead")
    listing.add_argument("--limit", type=int, metavar="N", help="at most N threads")
    listing.set_defaults(handler=thread_list, lean=thread_list_lean)
    show = sub.add_parser(
        "show", parents=[as_json], help="a thread's messages (--json: as `chat export`)"
    )
    show.add_argument("thread", metavar="THREAD_ID", help="the id, or its first characters")
    show.add_argument("--last", type=int, metavar="N", help="only the last N messages")
    show.set_defaults(handler=thread_show, lean=thread_show_lean)
    search = sub.add_parser(
        "search",
        parents=[as_json],
        help="find messages in every thread",
        description="Messages that contain every word; the last word also matches as a "
        "prefix. Case and accents do not matter.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="the words to find")
    search.add_argument("--limit", type=int, default=50, metavar="N", help="default 50")
    search.add_argument("--active", action="store_true", help="leave out archived threads")
    search.set_defaults(handler=thread_search)
    export = sub.add_parser("export", help="a thread as Markdown or JSON")
    export.add_argument("thread", metavar="THREAD_ID", help="the id, or its first characters")
    export.add_argument(
        "--format", "-f", choices=("md", "json"), default="md", help="Markdown (default) or JSON"
    )
    export.add_argument("--output", "-o", metavar="FILE", help="write here (default: stdout)")
    export.set_defaults(handler=thread_export)
    commands_chat_import.register(sub, as_json)


def find_thread(services: Services, ref: str) -> ThreadInfo:
    """The thread ``ref`` names: a whole id, or a prefix of exactly one of the user's ids."""
    ref = ref.strip().lower()
    try:
        return services.chat.get_thread(uuid.UUID(ref))
    except ValueError:
        pass
    if len(ref) < MIN_PREFIX or any(c not in "0123456789abcdef-" for c in ref):
        raise ValidationError(
            f"{ref!r} is not a thread id: give the id or at least its first {MIN_PREFIX} "
            "characters, as `promptterm chat list` shows them.",
            "thread",
        )
    threads = services.chat.list_threads() + services.chat.list_threads(archived=True)
    found = [t for t in threads if str(t.id).startswith(ref)]
    if not found:
        raise NotFound(f"No thread of yours has an id starting with {ref!r}.")
    if len(found) > 1:
        raise ValidationError(
            f"{len(found)} threads have ids starting with {ref!r}: give more characters.",
            "thread",
        )
    return found[0]


def thread_list(services: Services, args: argparse.Namespace) -> int:
    return _print_threads(
        args, services.chat.list_threads(archived=args.archived, limit=args.limit)
    )


def thread_list_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same list without SQLAlchemy, when db/lean.py allows (most starts)."""
    from promptterm.services.chat import lean_thread_list

    return _print_threads(args, lean_thread_list(read, archived=args.archived, limit=args.limit))


def _print_threads(args: argparse.Namespace, threads: list[ThreadInfo]) -> int:
    empty = "No archived threads." if args.archived else 'No threads yet: promptterm ask "..."'
    emit(
        args.json,
        threads,
        lambda: table(
            ("ID", "TITLE", "MODEL", "TOKENS", "LAST ACTIVE"),
            [
                (
                    str(t.id)[:SHORT_ID],
                    _cut(t.title, TITLE_WIDTH),
                    t.model or "-",
                    f"{t.total_tokens:,}",
                    when(t.updated_at),
                )
                for t in threads
            ],
            empty=empty,
        ),
    )
    return 0


def thread_show(services: Services, args: argparse.Namespace) -> int:
    thread = find_thread(services, args.thread)
    if args.json:
        sys.stdout.write(json_safe(services.chat_export.to_json(thread.id)))
        return 0
    total = services.chat.message_count(thread.id)
    count = total if args.last is None else max(0, min(args.last, total))
    messages = services.chat.messages(thread.id, limit=count) if count else []
    return _print_thread(args, thread, total, count, messages)


def thread_show_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same thread without SQLAlchemy, when db/lean.py allows (most starts); a reference
    that names no thread of the user's, or several, is the services' to explain."""
    from datetime import UTC, datetime

    from promptterm.db.lean import Declined
    from promptterm.services.chat import (
        lean_export_json,
        lean_message_count,
        lean_messages,
        lean_thread,
        lean_thread_list,
    )

    ref = args.thread.strip().lower()
    try:
        thread = lean_thread(read, uuid.UUID(ref))
    except ValueError:
        if len(ref) < MIN_PREFIX or any(c not in "0123456789abcdef-" for c in ref):
            raise Declined("not an id") from None
        threads = [
            t
            for archived in (False, True)
            for t in lean_thread_list(read, archived=archived, limit=None)
            if str(t.id).startswith(ref)
        ]
        if len(threads) != 1:
            raise Declined("no thread or several") from None
        thread = threads[0]
    if args.json:
        document = lean_export_json(read, thread.id, datetime.now(UTC))
        sys.stdout.write(json_safe(document))
        return 0
    total = lean_message_count(read, thread.id)
    count = total if args.last is None else max(0, min(args.last, total))
    messages = lean_messages(read, thread.id, count) if count else []
    return _print_thread(args, thread, total, count, messages)


def _print_thread(
    args: argparse.Namespace,
    thread: ThreadInfo,
    total: int,
    count: int,
    messages: list[MessageInfo],
) -> int:
    model = " / ".join(p for p in (thread.provider, thread.model) if p) or "no model yet"
    print(f"{thread.title}  ({thread.id})" + ("  [archived]" if thread.is_archived else ""))
    print(
        f"{model} · {plural(total, 'message')} · {plural(thread.total_tokens, 'token')} · "
        f"{when(thread.updated_at)}"
    )
    if count < total:
        print(f"(the last {count} of {plural(total, 'message')})")
    for message in messages:
        print()
        print(_message_header(message))
        print(message.content if message.content else "(empty)")
    return 0


def thread_search(services: Services, args: argparse.Namespace) -> int:
    hits = services.chat_search.search(
        " ".join(args.query), limit=args.limit, include_archived=not args.active
    )
    if args.json:
        print_json(hits)
        return 0
    if not hits:
        print("No messages match.")
        return 0
    styled = colour.wanted()
    for hit in hits:
        role = ROLES.get(hit.role, hit.role)
        archived = " [archived]" if hit.thread_archived else ""
        print(
            f"{str(hit.thread_id)[:SHORT_ID]}  {_cut(hit.thread_title, TITLE_WIDTH)}{archived}"
            f" · #{hit.seq} {role} · {when(hit.created_at)}"
        )
        if styled:
            write_trusted("  " + _highlight(hit) + "\n")
        else:
            print("  " + hit.snippet)
    return 0


def thread_export(services: Services, args: argparse.Namespace) -> int:
    thread = find_thread(services, args.thread)
    export = services.chat_export
    document = export.to_json(thread.id) if args.format == "json" else export.to_markdown(thread.id)
    if not args.output or args.output == "-":
        # JSON stays exact (escaped); Markdown to a terminal shows its control characters.
        sys.stdout.write(json_safe(document) if args.format == "json" else document)
        return 0
    path = Path(args.output).expanduser()
    try:
        path.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"Cannot write {path}: {exc.strerror or exc}.", "output") from exc
    where = Link(str(path), file_url(path.resolve()))
    write_parts([f"Exported {thread.title!r} to ", where, "."], file=sys.stderr)
    return 0


def _message_header(m: MessageInfo) -> str:
    parts = [f"[{m.seq}] {ROLES.get(m.role, m.role)}"]
    if m.role == "assistant" and m.model:
        parts.append(" / ".join(p for p in (m.provider, m.model) if p))
    if m.tokens_in is not None or m.tokens_out is not None:
        mark = " (estimated)" if m.tokens_estimated else ""
        parts.append(f"{m.tokens_in or 0:,} in, {m.tokens_out or 0:,} out{mark}")
    if m.cost_usd is not None:
        parts.append(f"${m.cost_usd:.6f}")
    if m.status != "complete":
        parts.append(m.status)
    parts.append(when(m.created_at))
    return " · ".join(parts)


def _highlight(hit: SearchHit) -> str:
    """The snippet with its matches in bold (for a terminal; pipes get plain text). Only
    the bold is ours: the snippet's own control characters are made visible."""
    out, at = [], 0
    for start, end in hit.spans:
        out += [visible(hit.snippet[at:start]), colour.BOLD, visible(hit.snippet[start:end])]
        out.append(colour.RESET)
        at = end
    return "".join(out) + visible(hit.snippet[at:])


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
