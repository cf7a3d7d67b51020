"""Create or upgrade the schema with Alembic, from code (no alembic.ini to ship or find)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from promptterm.db.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision. Start-up compares the database with this constant and loads Alembic
# (slow to import) only when they differ; a test keeps it equal to Alembic's own head.
HEAD_REVISION = "0003_row_level_security"


def alembic_config(database: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(database: Database, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(database)
    with database.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def ensure_schema(database: Database) -> bool:
    """Bring the database to the newest schema; True when a migration ran."""
    if current_revision(database) == HEAD_REVISION:
        return False
    upgrade(database)
    return True
