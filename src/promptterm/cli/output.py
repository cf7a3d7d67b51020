"""Printing results: aligned text for people, JSON for scripts (`--json`)."""

from __future__ import annotations

import dataclasses
import json
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from promptterm.cli.hyperlinks import Link, write_parts
from promptterm.cli.terminal_text import json_safe


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        # Properties that people rely on (is_incomplete, warning...) are part of the output.
        for name in ("is_incomplete", "warning", "state", "fraction", "active"):
            if hasattr(type(value), name) and isinstance(getattr(type(value), name), property):
                data[name] = to_jsonable(getattr(value, name))
        return data
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    return value


def print_json(value: Any) -> None:
    # json_safe: the controls JSON leaves raw are escaped too, so the data stays exact.
    sys.stdout.write(json_safe(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False)))
    sys.stdout.write("\n")


def emit(as_json: bool, value: Any, human: Callable[[], None]) -> None:
    if as_json:
        print_json(value)
    else:
        human()


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], empty: str = "(none)") -> None:
    if not rows:
        print(empty)
        return
    cells: list[list[str | Link]] = [[str(h) for h in headers]]
    cells += [[c if isinstance(c, Link) else "" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        if not any(isinstance(c, Link) for c in row):
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        else:
            # A link cell (a file path): its padding stays outside the link.
            parts: list[str | Link] = []
            for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
                last = i == len(row) - 1
                pad = "" if last else " " * (width - len(str(cell))) + "  "
                parts += [cell, pad]
            while parts and isinstance(parts[-1], str) and not parts[-1].strip():
                parts.pop()
            write_parts(parts)
        if n == 0:
            print("  ".join("-" * w for w in widths).rstrip())


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def fail(message: str, code: int = 1) -> int:
    print(f"promptterm: {message}", file=sys.stderr)
    return code
