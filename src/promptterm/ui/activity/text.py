"""An entry as the log view shows it: one row in the list, or the whole of it as text.
Everything here came from outside (model names, server messages, tracebacks), so control
characters are stripped before it reaches the terminal; line breaks stay."""

from __future__ import annotations

from datetime import datetime

from promptterm.services.activity import EntryInfo
from promptterm.services.validation import strip_controls


def clean(text: str | None) -> str:
    if not text:
        return ""
    lines = text.replace("\t", "    ").replace("\r\n", "\n").split("\n")
    return "\n".join(strip_controls(line) for line in lines)


def one_line(text: str | None, width: int) -> str:
    line = " ".join(clean(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"


def row(entry: EntryInfo, now: datetime) -> tuple[str, ...]:
    same_day = entry.at.date() == now.date()
    when = entry.at.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M")
    what = " ".join(p for p in (entry.provider, entry.model) if p) or entry.error_type or ""
    took = f"{entry.duration_ms} ms" if entry.duration_ms is not None else ""
    tokens = (
        f"{entry.tokens_in or 0}/{entry.tokens_out or 0}"
        if entry.tokens_in is not None or entry.tokens_out is not None
        else ""
    )
    detail = entry.message if entry.kind == "error" or entry.message else entry.endpoint
    return (when, entry.kind, entry.status, one_line(what, 32), took, tokens, one_line(detail, 60))


def whole(entry: EntryInfo) -> str:
    """Every field of an entry, then its traceback and bodies, as plain text."""
    fields: list[tuple[str, object]] = [
        ("When", entry.at.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("Kind", "provider call" if entry.kind == "api" else "error"),
        ("Status" if entry.kind == "api" else "Severity", entry.status),
        ("Provider", entry.provider),
        ("Model", entry.model),
        ("Endpoint", entry.endpoint),
        ("Took", f"{entry.duration_ms} ms" if entry.duration_ms is not None else None),
        ("Tokens in", entry.tokens_in),
        ("Tokens out", entry.tokens_out),
        ("Cost", f"${entry.cost_usd}" if entry.cost_usd is not None else None),
        ("Thread", entry.thread_id),
        ("Message", entry.message_id),
        ("Type", entry.error_type),
        ("What", entry.message),
    ]
    fields += [(str(k).capitalize(), v) for k, v in entry.context.items()]
    lines = [f"{name:<11} {clean(str(value))}" for name, value in fields if value not in (None, "")]
    for title, text in (
        ("Traceback", entry.traceback),
        ("Request", entry.request_body),
        ("Response", entry.response_body),
    ):
        if text:
            lines += ["", f"{title}:", clean(text)]
    return "\n".join(lines)
