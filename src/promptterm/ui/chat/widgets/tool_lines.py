"""How a tool round reads in the transcript: the calls an answer asked for (tool and
arguments on one line each), and a result folded to one line until expanded (o). What a
model or a tool sent never reaches the terminal with its control characters."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from textual.content import Content

from promptterm.services.validation import strip_controls

if TYPE_CHECKING:
    from promptterm.services.chat.threads import MessageInfo

DECISIONS = {
    "once": "approved once",
    "always": "approved always",
    "deny": "denied",
    "stopped": "stopped",
    "not run": "not run",
    "invalid": "bad arguments",
    "unknown": "unknown tool",
}
_FOLDED_MIN = 20


def one_line(text: str) -> str:
    return strip_controls(" ".join(text.split()))


def call_text(call: dict[str, Any]) -> str:
    arguments = call.get("arguments")
    shown = (
        call.get("raw") or "" if arguments is None else json.dumps(arguments, ensure_ascii=False)
    )
    return one_line(f"{call.get('label') or call.get('name')} {shown}")


def call_lines(calls: list[dict[str, Any]], width: int) -> Content:
    lines = []
    for call in calls:
        line = Content.assemble(("⚙ ", "$text-accent"), (call_text(call), "$text-accent"))
        if call.get("error"):
            line = Content.assemble(line, ("  ⚠ arguments are not JSON", "$text-error"))
        if width and line.cell_length > width:
            line = line.truncate(width, ellipsis=True)
        lines.append(line)
    return Content("\n").join(lines)


def result_head(message: MessageInfo, expanded: bool) -> Content:
    tool = message.tool or {}
    error = bool(tool.get("is_error"))
    what = ("tool error", "bold $text-error") if error else ("tool result", "bold")
    decision = DECISIONS.get(str(tool.get("decision")), str(tool.get("decision") or ""))
    seconds = tool.get("seconds") or 0
    took = f" · {seconds:.2f} s" if seconds >= 0.01 else ""
    key = "o folds" if expanded else "o expands"
    return Content.assemble(
        what,
        "  ",
        (one_line(str(tool.get("label") or "")), "$text-accent"),
        ("  " + decision + took + "  " + key, "dim"),
    )


def result_body(message: MessageInfo, expanded: bool, width: int) -> Content:
    if expanded:
        # All of it, line by line, as plain text: a tool's output is not Markdown.
        return Content("\n").join(
            Content(strip_controls(line)) for line in message.content.splitlines() or [""]
        )
    text = Content.styled("↳ " + one_line(message.content), "dim")
    if width and text.cell_length > width:
        text = text.truncate(max(width, _FOLDED_MIN), ellipsis=True)
    return text
