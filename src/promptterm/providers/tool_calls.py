"""Tool calls as they stream: pieces of a call's JSON arguments gathered per call, in any
cut (a delta may end mid-string, mid-escape, mid-number), and parsed once the call is
complete. Arguments that are not a JSON object make a call with ``error`` set, never an
exception: the model gets the error back as the call's result and may try again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from promptterm.providers.base import ToolCall

# Where an arguments error quotes what the model sent: enough to see the fault.
_QUOTE = 200


@dataclass
class PendingCall:
    id: str = ""
    name: str = ""
    parts: list[str] = field(default_factory=list)

    def finish(self, label: str) -> ToolCall:
        raw = "".join(self.parts)
        arguments, error = parse_arguments(raw, self.name, label)
        return ToolCall(self.id, self.name, arguments, raw, error)


def parse_arguments(raw: str, name: str, label: str) -> tuple[dict[str, Any] | None, str | None]:
    """(arguments, None), or (None, what is wrong) for arguments that are not an object."""
    if not raw.strip():
        return {}, None  # a tool without parameters: some models send nothing at all
    try:
        value = json.loads(raw)
    except ValueError as exc:
        quoted = raw if len(raw) <= _QUOTE else raw[:_QUOTE] + "…"
        return None, (
            f"{label} asked for tool {name!r} with arguments that are not valid JSON "
            f"({exc.msg} at character {exc.pos}): {quoted}"
        )
    if not isinstance(value, dict):
        return None, (
            f"{label} asked for tool {name!r} with arguments that are not a JSON object "
            f"(got {type(value).__name__})."
        )
    return value, None
