"""What a job asks the model, and how a refactor's or generation's answer becomes a change.

The model is asked for the new lines in one fenced code block. A refactor replaces the
selected lines (or the whole file) with the block; a generation inserts it before the
cursor's line. An answer without a block is not a change: the job keeps the answer and says
so (InvalidChange).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from promptterm.services.errors import ValidationError

KINDS = ("explain", "refactor", "generate", "analyze")
AI_KINDS = KINDS
ASPECTS = ("complexity", "security", "performance")
CHANGING = ("refactor", "generate")

_FENCE = re.compile(r"^```[^\n`]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)

_SYSTEM = (
    "You are a careful senior engineer helping inside a code editor. Be precise and brief; "
    "refer to line numbers when it helps."
)
_CHANGE_RULE = (
    "Reply with the new code in exactly one fenced code block (```), with nothing elided, "
    "then at most three sentences on what changed and why."
)


class InvalidChange(ValidationError):
    """The model's answer holds no change that can be applied; the answer itself is kept."""


@dataclass(frozen=True)
class Lines:
    """1-based, inclusive."""

    first: int
    last: int

    def __str__(self) -> str:
        return f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"


def parse_lines(spec: str) -> Lines:
    """``12`` or ``12-30`` (the part after ``FILE:``)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:[-:,]\s*(\d+))?\s*", spec)
    if not match:
        raise ValidationError(
            f"{spec!r} is not a line range: give a line (12) or a range (12-30).", "lines"
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first < 1 or last < first:
        raise ValidationError(
            f"The range {spec!r} is empty: lines count from 1, first before last.", "lines"
        )
    return Lines(first, last)


def check_lines(lines: Lines, text: str, *, inserting: bool = False) -> None:
    count = len(text.splitlines())
    top = count + 1 if inserting else count
    if lines.last > max(top, 1):
        raise ValidationError(
            f"Line {lines.last} is past the end of the file ({count} lines).", "lines"
        )


def selection(text: str, lines: Lines | None) -> str:
    if lines is None:
        return text
    return "".join(text.splitlines(keepends=True)[lines.first - 1 : lines.last])


def build(
    kind: str,
    path: str,
    text: str,
    lines: Lines | None,
    instruction: str | None,
    aspect: str | None,
) -> tuple[str, str]:
    """(system prompt, question) for one job."""
    where = f"{path} lines {lines}" if lines else path
    whole = f"The file {path}:\n```\n{text}\n```\n"
    part = selection(text, lines)
    focus = f"\nThe part in question ({where}):\n```\n{part}\n```\n" if lines else ""
    wish = (instruction or "").strip()
    note = f"\nThe user adds: {wish}\n" if wish else ""
    if kind == "explain":
        ask = f"Explain what {where} does, how, and anything surprising in it."
    elif kind == "analyze":
        ask = {
            "complexity": f"Analyse the complexity of {where}: time and space complexity of "
            "its functions, hard-to-follow control flow, and how to simplify it.",
            "security": f"Review {where} for security problems: injection, unsafe input "
            "handling, secrets, unsafe defaults. Rate each finding and say how to fix it.",
            "performance": f"Review {where} for performance: hot paths, needless work, "
            "allocations, I/O, and what to change first.",
        }[aspect or "complexity"]
    elif kind == "refactor":
        target = f"lines {lines} of {path}" if lines else f"the whole of {path}"
        ask = (
            f"Refactor {target} for clarity without changing behaviour. The code block must "
            f"hold the complete replacement for {target} and nothing else. {_CHANGE_RULE}"
        )
    elif kind == "generate":
        at = lines.first if lines else len(text.splitlines()) + 1
        ask = (
            f"Write new code to insert at line {at} of {path} (before the line now there). "
            f"The code block must hold only the new lines. {_CHANGE_RULE}"
        )
    else:
        raise ValidationError(f"{kind!r} is not a job: {', '.join(KINDS)}.", "kind")
    return _SYSTEM, f"{whole}{focus}{note}\n{ask}"


def proposed_text(kind: str, text: str, lines: Lines | None, answer: str) -> str:
    """The whole file as the answer would leave it; InvalidChange if the answer holds none."""
    blocks = _FENCE.findall(answer)
    if not blocks:
        raise InvalidChange(
            "The model's answer holds no code block, so there is no change to apply. "
            "The answer is kept: read it, or ask again."
        )
    new = blocks[0]
    if new and not new.endswith("\n"):
        new += "\n"
    old = text.splitlines(keepends=True)
    if old and not old[-1].endswith("\n"):
        old[-1] += "\n"  # so an insertion after the last line starts on a line of its own
    if kind == "generate":
        at = (lines.first if lines else len(old) + 1) - 1
        result = "".join(old[:at]) + new + "".join(old[at:])
    elif lines is None:
        result = new
    else:
        result = "".join(old[: lines.first - 1]) + new + "".join(old[lines.last :])
    if not text.endswith("\n") and result.endswith("\n") and kind == "refactor" and not lines:
        result = result[:-1]
    if result == text:
        raise InvalidChange("The model's answer changes nothing in the file; the answer is kept.")
    return result
