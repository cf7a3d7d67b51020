"""Engine and sessions for SQLite (default) and PostgreSQL (team mode)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import Session

from promptterm import locations
from promptterm.db import private_files, text_guard
from promptterm.db.errors import DatabaseUnavailable

__all__ = ["Database", "DatabaseUnavailable", "create_database"]

# NUL in text from outside is stored as a visible marker on both databases (text_guard.py).
text_guard.install()

SQLITE_BUSY_TIMEOUT_MS = 5000


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (``postgres://``, ``postgresql://``) and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and `db info`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable across application crashes in WAL mode and much faster than FULL.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


@dataclass
class Database:
    """An engine plus the way to open short sessions on it."""

    url: str
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def create_database(url: str, *, echo: bool = False) -> Database:
    """Make an engine for ``url`` and check that the database answers."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(
            f"The database URL {url!r} is not valid. Use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DBNAME (--database-url, PROMPTTERM_DATABASE_URL "
            "or [database] url in the config file)."
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = _sqlite_engine(url, parsed.database, echo)
    elif backend == "postgresql":
        engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)
    else:
        raise DatabaseUnavailable(
            f"promptterm stores its data in SQLite or PostgreSQL, not {backend!r}: "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DBNAME."
        )
    database = Database(url=url, engine=engine)
    _check_connection(database)
    return database


def _sqlite_engine(url: str, path: str | None, echo: bool) -> Engine:
    if path and path != ":memory:":
        file = Path(path).expanduser()
        try:
            private_files.make_folder(file.parent)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"Cannot create the folder {file.parent} for the database: {exc.strerror}. "
                "Choose another place with --database-url sqlite:///PATH."
            ) from exc
        # Other local users must not read the chats: a new database is the owner's alone.
        private_files.create_file(file)
        if file == locations.default_database_path():
            private_files.tighten(file)
    # SQLAlchemy's default QueuePool hands each thread its own connection, so the pragmas run
    # once per connection, not once per unit of work.
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _check_connection(database: Database) -> None:
    shown = describe_url(database.url)
    try:
        with database.engine.connect() as conn:
            if database.is_sqlite:
                # Catches a file we can read but not write before the user types anything.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.exec_driver_sql("ROLLBACK")
    except OperationalError as exc:
        database.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if database.is_sqlite:
            hint = "Check that the file and its folder are writable, or choose another file."
        else:
            hint = (
                "Check that the server is running and reachable, that the user, password and "
                "database name are right, and that pg_hba.conf lets you in."
            )
        raise DatabaseUnavailable(f"Cannot open the database {shown}: {reason}. {hint}") from exc
