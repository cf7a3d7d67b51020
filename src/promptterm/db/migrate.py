"""Create or upgrade the schema with Alembic, from code (no alembic.ini to ship or find)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from promptterm.db.engine import Database
from promptterm.db.errors import DatabaseUnavailable
from promptterm.db.revisions import HEAD_REVISION as HEAD_REVISION
from promptterm.db.revisions import MIGRATIONS_DIR as MIGRATIONS_DIR
from promptterm.db.revisions import head_revision as head_revision
from promptterm.db.revisions import known_revisions as known_revisions

if TYPE_CHECKING:
    from alembic.config import Config


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
    """Run the migrations up to ``revision`` as one transaction: all of them or none."""
    from alembic import command

    config = alembic_config(database)
    if not database.is_sqlite:
        with database.engine.begin() as conn:  # PostgreSQL's DDL is transactional as is
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        return
    # Python's sqlite3 (before 3.12) commits on its own before every CREATE or ALTER, so a
    # migration that failed half way (or a killed process) left tables of a version the
    # database does not record, and every later upgrade stopped at "table already exists".
    # With the driver's transaction handling off, one BEGIN IMMEDIATE ... COMMIT covers the
    # whole upgrade: SQLite's DDL is transactional, so a failure leaves the old schema.
    with database.engine.connect() as conn:
        driver = conn.connection.dbapi_connection
        assert driver is not None
        previous = driver.isolation_level  # type: ignore[attr-defined]
        driver.isolation_level = None  # type: ignore[attr-defined]
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
        finally:
            driver.isolation_level = previous  # type: ignore[attr-defined]


def ensure_schema(database: Database) -> bool:
    """Bring the database to the newest schema; True when a migration ran."""
    current = current_revision(database)
    if current == HEAD_REVISION:
        return False
    if current is not None and current not in known_revisions():
        raise DatabaseUnavailable(
            f"The database is at schema revision {current!r}, which a newer promptterm "
            f"made; this one knows revisions up to {HEAD_REVISION!r}. Upgrade promptterm "
            "(the same version your team uses) to open it."
        )
    if database.read_only is not None:
        # Reading an older schema with newer code is not safe, and upgrading is a write.
        raise DatabaseUnavailable(
            f"{database.read_only} It also needs upgrading to this promptterm's schema "
            f"({current or 'none yet'} → {HEAD_REVISION}), which writes to it."
        )
    if not database.is_sqlite:
        from promptterm.db.setup_errors import role_problem, upgrade_owner_problem

        with database.engine.connect() as conn:
            problem = role_problem(conn)
            if problem is None and current is not None:
                problem = upgrade_owner_problem(conn, current, HEAD_REVISION)
        if problem:
            raise DatabaseUnavailable(problem)
    upgrade(database)
    return True
