"""Engine and sessions for SQLite (default) and PostgreSQL (team mode)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import Session

from promptterm import locations
from promptterm.db import private_files, read_only, text_guard
from promptterm.db.errors import DatabaseUnavailable, ReadOnlyDatabase

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


def _sqlite_read_only_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Setting the journal mode is a write: a read-only database keeps the one it has.
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


@dataclass
class Database:
    """An engine plus the way to open short sessions on it."""

    url: str
    engine: Engine
    # Set when the database can only be read (a read-only data folder): the words that say
    # so. Reads work; a write raises ReadOnlyDatabase with them.
    read_only: str | None = None

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
            # Services that would write on the side while reading (a billing period rolled
            # forward) work it out in memory instead.
            session.info["read_only"] = self.read_only is not None
            try:
                yield session
                session.commit()
            except OperationalError as exc:
                session.rollback()
                if read_only.is_read_only_error(exc):
                    raise ReadOnlyDatabase(self.read_only or _read_only_words(self.url)) from exc
                raise
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for a read of plain rows, with no ORM session around it.

        A session and its commit cost more than the query for a page of 50 short rows
        (0.25 of 0.85 ms; benchmarks/run.py "list components of a type"). The connection's
        transaction is rolled back when the block ends, which ends a read the same way.
        """
        with self.engine.connect() as connection:
            yield connection

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
    reason = None
    if backend == "sqlite":
        engine, reason = _sqlite_engine(url, parsed.database, echo)
    elif backend == "postgresql":
        engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)
    else:
        raise DatabaseUnavailable(
            f"promptterm stores its data in SQLite or PostgreSQL, not {backend!r}: "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DBNAME."
        )
    database = Database(url=url, engine=engine, read_only=reason)
    _check_connection(database)
    return database


def _sqlite_engine(url: str, path: str | None, echo: bool) -> tuple[Engine, str | None]:
    """The engine, and the words saying the database is read-only when it is."""
    if path and path != ":memory:":
        file = Path(path).expanduser()
        reason = read_only.read_only_reason(file)
        if reason is not None:
            engine = create_engine(
                read_only.read_only_url(file), echo=echo, connect_args={"check_same_thread": False}
            )
            event.listen(engine, "connect", _sqlite_read_only_pragmas)
            return engine, reason
        refused = read_only.cannot_create(file)
        if refused is not None:
            raise DatabaseUnavailable(refused)
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
    return engine, None


def _check_connection(database: Database) -> None:
    shown = describe_url(database.url)
    try:
        with database.engine.connect() as conn:
            if database.read_only is not None:
                conn.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1")
            elif database.is_sqlite:
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


def _read_only_words(url: str) -> str:
    # Read-only without our knowing at open (a PostgreSQL replica, a file made read-only
    # while running): the same words without the file's name.
    return (
        f"The data folder is read-only: {describe_url(url)} cannot be written, so nothing was "
        "saved. Make it writable, or choose another database with --database-url."
    )
