"""The tools of one send: every source's definitions under names the providers accept,
and a call run with a timeout and a bound on what comes back."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from promptterm.services.chat.tools.source import ToolResult, ToolSource, ToolSpec
from promptterm.services.tokens import estimate_tokens

if TYPE_CHECKING:
    from promptterm.providers.base import ToolDefinition

# Both APIs accept tool names matching ^[a-zA-Z0-9_-]{1,64}$; "server:tool" does not.
_NOT_ALLOWED = re.compile(r"[^a-zA-Z0-9_-]")
_WIRE_MAX = 64
# A tool that returns megabytes would fill the context (and the database): the model and
# the transcript get this much, with a note saying what was cut.
MAX_RESULT_CHARS = 100_000


@dataclass(frozen=True)
class Ran:
    result: ToolResult
    seconds: float


class Toolbox:
    def __init__(self, sources: Sequence[ToolSource], *, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._specs: dict[str, tuple[ToolSource, ToolSpec]] = {}
        for source in sources:
            for spec in source.definitions():
                if not spec.source:
                    spec = ToolSpec(spec.name, spec.description, spec.parameters, source.name)
                self._specs[self._wire_name(spec.label)] = (source, spec)

    def __bool__(self) -> bool:
        return bool(self._specs)

    def _wire_name(self, label: str) -> str:
        base = _NOT_ALLOWED.sub("_", label.replace(":", "__"))[:_WIRE_MAX] or "tool"
        name, n = base, 2
        while name in self._specs:
            suffix = f"_{n}"
            name, n = base[: _WIRE_MAX - len(suffix)] + suffix, n + 1
        return name

    def definitions(self) -> list[ToolDefinition]:
        from promptterm.providers.base import ToolDefinition

        return [
            ToolDefinition(wire, spec.description or spec.label, _schema(spec.parameters))
            for wire, (_, spec) in self._specs.items()
        ]

    def labels(self) -> list[str]:
        return [spec.label for _, spec in self._specs.values()]

    def label(self, wire_name: str) -> str | None:
        """The "server:tool" of a name the model used; None for a tool it was not offered."""
        found = self._specs.get(wire_name)
        return found[1].label if found else None

    def estimate_tokens(self) -> int:
        """What the definitions cost in the prompt: counted before every round's send."""
        if not self._specs:
            return 0
        wire = [
            {"name": d.name, "description": d.description, "parameters": d.parameters}
            for d in self.definitions()
        ]
        return estimate_tokens(json.dumps(wire))

    async def run(self, wire_name: str, arguments: dict[str, Any]) -> Ran:
        """The call's result; a timeout, a failure or an unknown tool is an error result."""
        started = time.perf_counter()
        found = self._specs.get(wire_name)
        if found is None:
            return Ran(ToolResult(f"There is no tool called {wire_name!r} here.", True), 0.0)
        source, spec = found
        try:
            async with asyncio.timeout(self.timeout):
                result = await source.call(spec.name, arguments)
        except TimeoutError:
            text = f"{spec.label} did not answer within {self.timeout:g} s; it was given up."
            result = ToolResult(text, True)
        except Exception as exc:  # a tool's failure is the model's to hear, never a crash
            result = ToolResult(f"{spec.label} failed: {type(exc).__name__}: {exc}", True)
        if not isinstance(result, ToolResult):
            result = ToolResult(f"{spec.label} returned no result.", True)
        text = result.text
        if len(text) > MAX_RESULT_CHARS:
            cut = len(text) - MAX_RESULT_CHARS
            text = text[:MAX_RESULT_CHARS] + f"\n[… {cut} more characters were cut]"
            result = ToolResult(text, result.is_error)
        return Ran(result, time.perf_counter() - started)


def _schema(parameters: dict[str, Any] | None) -> dict[str, Any]:
    # Both APIs want an object schema; a tool without parameters still needs one.
    if not isinstance(parameters, dict) or parameters.get("type") != "object":
        return {"type": "object", "properties": {}}
    return parameters
