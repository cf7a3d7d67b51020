"""`promptterm ask --tools NAME[:TOOL] --approve`: the tools a question may use, and who
says yes to each call. On a terminal the user is asked (y: once, a: always in this thread,
n: no); without a terminal a call runs only with --approve, which is never implied."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from promptterm.services.validation import strip_controls

if TYPE_CHECKING:
    from promptterm.services.chat import Approver, Decision, ToolRequest, ToolSource
    from promptterm.services.chat.stream import SendEvent

_ANSWERS: dict[str, Decision] = {
    "y": "once",
    "yes": "once",
    "a": "always",
    "always": "always",
    "n": "deny",
    "no": "deny",
    "": "deny",
}
_SHOWN_ARGUMENTS = 300  # characters of a call's arguments on its line


def tool_sources(refs: Sequence[str]) -> list[ToolSource]:
    """The sources named by --tools, through the registry hook (NotFound when unknown)."""
    from promptterm.services.chat import resolve_tools

    sources = resolve_tools(refs)
    for source in sources:
        source.definitions()  # "server:tool" naming no tool of it: refused before a thread
    return sources


def call_line(request: ToolRequest) -> str:
    if request.arguments is None:
        shown = request.raw_arguments
    else:
        shown = json.dumps(request.arguments, ensure_ascii=False)
    if len(shown) > _SHOWN_ARGUMENTS:
        shown = shown[:_SHOWN_ARGUMENTS] + "…"
    return strip_controls(f"{request.label} {shown}")


def approver(approve_all: bool) -> Approver:
    async def approve(request: ToolRequest) -> Decision:
        line = call_line(request)
        if approve_all:
            print(f"[tool] {line} (approved by --approve)", file=sys.stderr)
            return "once"
        if not sys.stdin.isatty():
            print(
                f"promptterm: refused the tool call {line}: not at a terminal to ask; "
                "pass --approve to let the model run tools.",
                file=sys.stderr,
            )
            return "deny"
        while True:
            print(
                f"[tool] {line}\nRun it? [y]es once, [a]lways in this thread, [n]o: ",
                end="",
                file=sys.stderr,
                flush=True,
            )
            answer = await asyncio.to_thread(sys.stdin.readline)
            if not answer:  # end of input: nobody to say yes
                return "deny"
            decision = _ANSWERS.get(answer.strip().lower())
            if decision is not None:
                return decision
            print("Answer y, a or n.", file=sys.stderr)

    return approve


def report(event: SendEvent) -> None:
    """A tool's result, folded to one line on stderr (the answer goes to stdout)."""
    from promptterm.services.chat import ToolCallAnswered

    if isinstance(event, ToolCallAnswered):
        tool = event.message.tool or {}
        text = strip_controls(" ".join(event.message.content.split()))
        what = "error" if tool.get("is_error") else "result"
        cut = text if len(text) <= 120 else text[:120] + "…"
        print(f"[tool {what}] {tool.get('label')}: {cut}", file=sys.stderr)
