"""Opening databases: clear messages for the ways it goes wrong; SQLite settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from promptterm.db.engine import (
    Database,
    DatabaseUnavailable,
    create_database,
    describe_url,
    normalise_url,
)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_database: Database) -> None:
    with sqlite_database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_the_sqlite_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "data.db"
    db = create_database(f"sqlite:///{path}")
    db.dispose()
    assert path.parent.is_dir()


def test_an_unopenable_sqlite_path_names_the_file() -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        create_database("sqlite:////proc/promptterm/x.db")
    assert "/proc/promptterm" in str(err.value)


def test_a_server_that_is_down_is_reported_with_what_to_check() -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        create_database("postgresql://someone:hunter2@127.0.0.1:1/promptterm")
    message = str(err.value)
    assert "server is running" in message
    assert "hunter2" not in message  # passwords never reach a message


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url at all"])
def test_unsupported_or_malformed_urls_say_what_works(url: str) -> None:
    with pytest.raises(DatabaseUnavailable, match="sqlite:///"):
        create_database(url)


def test_postgres_urls_use_psycopg_3() -> None:
    assert normalise_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_url("postgresql://a@b/c") == "postgresql+psycopg://a@b/c"
    assert describe_url("postgresql+psycopg://a:secret@b/c") == "postgresql+psycopg://a:***@b/c"
