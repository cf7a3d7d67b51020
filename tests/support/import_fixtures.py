"""The chat import fixtures (tests/services/chat/import_fixtures/): hand-written exports in
each source's documented format, and the SQLite sources built from their .sql scripts."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "services" / "chat" / "import_fixtures"
CHATGPT = FIXTURES / "chatgpt_conversations.json"
CLAUDE = FIXTURES / "claude_conversations.json"


def sqlite_source(tmp_path: Path, script: str) -> Path:
    """A database made from ``import_fixtures/<script>.sql`` (llm_logs, elia, oterm)."""
    path = tmp_path / f"{script}.db"
    with closing(sqlite3.connect(path)) as db:
        db.executescript((FIXTURES / f"{script}.sql").read_text(encoding="utf-8"))
        db.commit()
    return path
