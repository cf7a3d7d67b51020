"""The migrations' revisions, read from their files' headers: no SQLAlchemy, no Alembic.

Start-up compares the database with ``HEAD_REVISION`` and loads Alembic (slow to import)
only when they differ; the CLI's lean reads (db/lean.py) check it with plain sqlite3.
"""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION_RE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*['\"]?([\w]+)?['\"]?", re.M)


def head_revision() -> str:
    """The newest revision, read from the migration files' headers without importing Alembic.

    Start-up compares the database with this and loads Alembic (slow to import) only when
    they differ; a test keeps it equal to Alembic's own answer.
    """
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_RE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            down = found.get("down_revision")
            revisions[found["revision"]] = down if down and down != "None" else None
    parents = {down for down in revisions.values() if down}
    heads = sorted(set(revisions) - parents)
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {heads}")
    return heads[0]


HEAD_REVISION = head_revision()


def known_revisions() -> set[str]:
    """Every revision this promptterm has a migration for."""
    found = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        revision = dict(_REVISION_RE.findall(path.read_text(encoding="utf-8"))).get("revision")
        if revision:
            found.add(revision)
    return found
