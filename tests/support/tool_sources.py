"""A ToolSource made of plain Python functions: the test double for the MCP side only (the
provider side stays real HTTP over loopback). Each call is recorded."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from promptterm.services.chat.tools.source import ToolResult, ToolSpec

PATH_SCHEMA = {
    "type": "object",
    "properties": {"path": {"type": "string", "description": "a file's path"}},
    "required": ["path"],
}


class FunctionTools:
    """``FunctionTools("files", read=fn, ...)``: each function takes the arguments as keywords
    and returns text (or raises: an error result); async functions are awaited."""

    def __init__(
        self, name: str, schema: dict[str, Any] | None = None, **tools: Callable[..., Any]
    ) -> None:
        self.name = name
        self.schema = schema or PATH_SCHEMA
        self.tools = tools
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def definitions(self) -> list[ToolSpec]:
        return [
            ToolSpec(name, (fn.__doc__ or name).strip(), self.schema, self.name)
            for name, fn in self.tools.items()
        ]

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        self.calls.append((name, arguments))
        value = self.tools[name](**arguments)
        if inspect.isawaitable(value):
            value = await value
        return value if isinstance(value, ToolResult) else ToolResult(str(value))


def read_file(path: str) -> str:
    """Read a file"""
    return f"contents of {path}"


async def never_answers(path: str) -> str:
    """A tool that hangs"""
    await asyncio.Event().wait()
    return "unreachable"
