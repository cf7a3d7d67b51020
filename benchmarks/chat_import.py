"""Importing a large ChatGPT export through the real service layer, on SQLite.

    .venv/bin/python benchmarks/chat_import.py                       # 300 x 50 messages
    .venv/bin/python benchmarks/chat_import.py --conversations 2000  # a heavy user's export

Writes a ``conversations.json`` in ChatGPT's format (each conversation a line of
``--messages`` nodes with ~370 characters each, plus one regenerated answer, so the
version path runs too), imports it into a fresh database, then imports it again (nothing
to add: the cost of the idempotence check alone). Prints the file size, both times and
messages per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from promptterm.db.engine import create_database
from promptterm.services.facade import Services

BASE = 1_700_000_000  # a fixed Unix time: the data never depends on today


def export(conversations: int, messages: int) -> list[dict[str, Any]]:
    found = []
    for c in range(conversations):
        mapping: dict[str, Any] = {"root": {"id": "root", "message": None, "children": []}}
        parent = "root"
        for m in range(messages):
            node = f"c{c}-m{m}"
            mapping[node] = _node(node, parent, m, f"message {m} of {c} " + "lorem ipsum " * 30)
            mapping[parent]["children"].append(node)
            parent = node
        # One earlier answer to the first question: a version.
        mapping[f"c{c}-old"] = _node(f"c{c}-old", f"c{c}-m0", 1, "an earlier answer")
        mapping[f"c{c}-m0"]["children"].insert(0, f"c{c}-old")
        found.append(
            {
                "id": f"conversation-{c}",
                "title": f"Conversation {c}",
                "create_time": BASE + c * 1000,
                "mapping": mapping,
                "current_node": parent,
            }
        )
    return found


def _node(node: str, parent: str, m: int, text: str) -> dict[str, Any]:
    return {
        "id": node,
        "parent": parent,
        "children": [],
        "message": {
            "id": node,
            "author": {"role": "user" if m % 2 == 0 else "assistant"},
            "create_time": BASE + m,
            "content": {"content_type": "text", "parts": [text]},
            "metadata": {"model_slug": "gpt-4o"},
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "conversations.json"
        path.write_text(json.dumps(export(args.conversations, args.messages)), encoding="utf-8")
        services = Services.for_database(create_database(f"sqlite:///{Path(tmp) / 'db.sqlite'}"))
        print(f"export: {path.stat().st_size / 1e6:.1f} MB, {args.conversations} conversations")
        for run in ("first import", "again"):
            start = time.perf_counter()
            report = services.chat_import.import_file("chatgpt", path)
            took = time.perf_counter() - start
            rate = f", {report.messages / took:,.0f} messages/s" if report.messages else ""
            print(f"{run}: {took:.2f} s, {report.messages:,} messages added{rate}")
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
