"""The test harness itself: each test gets a fresh, migrated, constraint-enforcing database."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, DateTime, Uuid, bindparam, text
from sqlalchemy.exc import IntegrityError

from promptterm.db.engine import Database
from promptterm.db.migrate import HEAD_REVISION, current_revision
from promptterm.locations import config_dir, data_dir
from support.clock import FixedClock

USER_ID = uuid.UUID("00000000-0000-4000-8000-00000000beef")
NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def insert_user(conn: Connection, user_id: uuid.UUID) -> None:
    statement = text(
        "INSERT INTO users (id, display_name, is_local, preferences, created_at, updated_at) "
        "VALUES (:id, 'Harness', :is_local, '{}', :now, :now)"
    ).bindparams(bindparam("id", type_=Uuid()), bindparam("now", type_=DateTime(timezone=True)))
    conn.execute(statement, {"id": user_id, "is_local": True, "now": NOW})


def test_database_is_on_the_requested_backend(database: Database, db_backend: str) -> None:
    assert database.dialect == {"sqlite": "sqlite", "postgres": "postgresql"}[db_backend]
    if db_backend == "postgres":
        with database.engine.connect() as conn:
            version = conn.execute(text("SHOW server_version_num")).scalar_one()
        assert int(version) >= 150000


def test_schema_is_at_head_with_seed_data(database: Database) -> None:
    assert current_revision(database) == HEAD_REVISION
    with database.engine.connect() as conn:
        # Seeded by a migration: proves the copy of the template carries its data too.
        assert conn.execute(text("SELECT count(*) FROM subscription_plans")).scalar_one() > 0


def test_foreign_keys_are_enforced(database: Database) -> None:
    with database.engine.begin() as conn:
        insert_user(conn, USER_ID)
    missing_workspace = uuid.UUID(int=404)
    statement = text(
        "INSERT INTO workspace_members (id, workspace_id, user_id, role, joined_at) "
        "VALUES (:id, :workspace_id, :user_id, 'member', :now)"
    ).bindparams(
        bindparam("id", type_=Uuid()),
        bindparam("workspace_id", type_=Uuid()),
        bindparam("user_id", type_=Uuid()),
        bindparam("now", type_=DateTime(timezone=True)),
    )
    params = {"id": uuid.UUID(int=1), "workspace_id": missing_workspace, "user_id": USER_ID}
    with pytest.raises(IntegrityError) as excinfo, database.engine.begin() as conn:
        conn.execute(statement, {**params, "now": NOW})
    if not database.is_sqlite:
        assert "fk_workspace_members_workspace_id_workspaces" in str(excinfo.value)


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_gets_an_empty_database(database: Database, turn: str) -> None:
    # Both turns insert the same user: whichever runs second fails if the first one's row
    # (or its primary key) is still there.
    with database.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 0
        insert_user(conn, USER_ID)
        assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 1


def test_sqlite_uses_wal_and_foreign_keys(sqlite_database: Database) -> None:
    with sqlite_database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_environment_is_isolated(tmp_path: Path) -> None:
    for name in ("PROMPTTERM_DATABASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        assert name not in os.environ
    assert config_dir() == tmp_path / "config"
    assert data_dir() == tmp_path / "data"


def test_fixed_clock(clock: FixedClock) -> None:
    assert clock() == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    assert clock() is clock()
    assert clock.advance(days=1, minutes=5) == datetime(2026, 1, 16, 9, 35, tzinfo=UTC)
    clock.set(datetime.fromisoformat("2026-03-01T12:00:00+01:00"))
    assert clock() == datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    assert clock().tzinfo is UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2026, 1, 1))
