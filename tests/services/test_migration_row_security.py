"""The row-level security SQL of migrations 0018, 0022 and 0025, built since by
``db/migrations/row_security.py``, is to the byte what those migrations ran when applied: a
database migrated before and one migrated after end up the same. The fingerprints were taken
from the migrations as they were written (each ``_row_level_security`` run against a
recorder, the statements joined)."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

import promptterm.db.migrations.row_security as row_security

VERSIONS = Path(row_security.__file__).parent / "versions"
AS_APPLIED = {
    "0018_mcp_servers": (8, "6b92050d810b0b4bc95002b07301a15f7be1c0a3b0bb6d3356ee883b4c3e7b09"),
    "0022_code_runs": (11, "8b6f667bacb1ce47ba45e6b0ea45d47f6ac1f2953da26b4970ca0ff3625df03b"),
    "0025_ai_jobs": (11, "c754a15170666e2794acdc189fe6d7e043f9dbaff306126ee2871a0a3505fd9d"),
}


class Recorder:
    """Stands for ``alembic.op``: keeps what would be executed."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def execute(self, statement: str) -> None:
        self.sql.append(str(statement))


@pytest.mark.parametrize("revision", sorted(AS_APPLIED))
def test_the_policies_and_grants_are_the_sql_the_migration_ran(
    revision: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        f"migration_{revision}", VERSIONS / f"{revision}.py"
    )
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    recorder = Recorder()
    monkeypatch.setattr(migration, "op", recorder)
    monkeypatch.setattr(row_security, "op", recorder)
    migration._row_level_security()
    fingerprint = hashlib.sha256("\n--\n".join(recorder.sql).encode()).hexdigest()
    assert (len(recorder.sql), fingerprint) == AS_APPLIED[revision]
