"""A test's own SQLite database: a copy of a prepared file (migrated, or seeded too)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from promptterm.db.engine import Database, create_database


def fresh_sqlite(template: Path, tmp_path: Path) -> Iterator[Database]:
    """Yield a database opened on a copy of ``template`` in ``tmp_path``; disposed after."""
    path = tmp_path / "promptterm-test.db"
    shutil.copyfile(template, path)
    db = create_database(f"sqlite:///{path}")
    try:
        yield db
    finally:
        db.dispose()
