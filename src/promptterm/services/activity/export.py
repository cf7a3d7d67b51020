"""The log as a file: JSON Lines (one whole entry a line) or CSV (the list's columns plus the
traceback), for a script or a spreadsheet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any, TextIO

from promptterm.services.activity.model import EntryInfo

EXPORT_FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "id", "at", "kind", "status", "provider", "model", "endpoint", "duration_ms", "tokens_in",
    "tokens_out", "cost_usd", "thread_id", "message_id", "error_type", "message", "traceback",
)  # fmt: skip


def entry_json(entry: EntryInfo) -> dict[str, Any]:
    data = asdict(entry)
    for key, value in data.items():
        if value is not None and not isinstance(value, str | int | dict | list | bool):
            data[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def write_export(entries: Iterable[EntryInfo], out: TextIO, fmt: str) -> int:
    """Write ``entries`` to ``out`` as ``fmt``; how many were written."""
    count = 0
    if fmt == "jsonl":
        for entry in entries:
            out.write(json.dumps(entry_json(entry), ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry_json(entry))
        count += 1
    return count
