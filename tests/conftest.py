"""Shared fixtures: fresh migrated databases on SQLite and PostgreSQL, a fixed clock, services.

PostgreSQL tests run against a real server that this file starts from the machine's binaries
(one per pytest-xdist worker; see support/postgres.py). Without the binaries they fail,
unless PROMPTTERM_TEST_POSTGRES=0, which skips them.

Migrating for every test would be slow, so each session migrates once into a template (a
SQLite file, a PostgreSQL template database) and every test gets its own copy.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import hypothesis
import pytest
import textual._wait as textual_wait
import textual.screen

from promptterm.db.engine import Database, create_database
from promptterm.db.migrate import ensure_schema
from promptterm.services.context import SequentialIds
from support import pilot_keys, shared_sql
from support.cli_process import MigratedSqlite
from support.clock import FixedClock
from support.postgres import SHM_MIN_FREE, PostgresServer, PostgresUnavailable, find_bin_dir
from support.sqlite_copies import fresh_sqlite
from support.template_copies import TemplateCopies

if TYPE_CHECKING:
    from promptterm.services.facade import Services

# Fixtures for the send/stream tests (a local LLM server and services pointed at it), and the
# MCP test server's (one HTTP server a process, an in-memory keyring).
pytest_plugins = ("support.chat_fixtures", "support.mcp_fixtures")

# Pilot waits after every key and pause until the app looks idle: it samples the process's
# CPU time over 20 ms sleeps and goes on once a sample used under 1 ms of it (textual._wait).
# Sampling every 4 ms, a key still waits for the work it set off, but an app that is already
# idle answers in 4 ms instead of 20-40: a third of the Pilot tiers' time. A sample counts as
# idle under 0.5 ms: waking from a 4 ms sleep alone costs this machine 0.1-0.4 ms of CPU (a
# bare asyncio loop, measured; more under load), so the 0.2 ms that kept Textual's ratio read
# most idle samples as busy (the library's Pilot and snapshot tests took 1.7-2.6 times the
# samples needed, the more the busier the machine). An app at work uses far more: a frame
# alone is 5 ms or more.
textual_wait.SLEEP_GRANULARITY = 0.004
textual_wait.SLEEP_IDLE = 0.0005

# Pilot draws a frame itself at the end of every pause (Pilot.pause), so what a test looks at
# after a press or a settle is drawn whatever the frame rate; between pauses the app's own
# timer draws at most every UPDATE_PERIOD. Textual's 60 a second spends the Pilot tiers' CPU
# on frames no test looks at; 20 a second still draws every change. A test that counted on a
# frame coming within some time, instead of waiting for the change, already raced a loaded
# machine (which draws far fewer): such a test is fixed at its wait, not by a faster rate.
textual.screen.UPDATE_PERIOD = 1 / 20

# pilot.press returns once the app has taken the keys, not only once it looks idle.
pilot_keys.install()

# The engines of a test process share their compiled SQL: each test's new engine no longer
# compiles again every statement the earlier tests did (support/shared_sql.py).
shared_sql.install()

# Property tests draw the same examples every run, and how fast the machine is decides none
# of them: a run's outcome is the commit's, not its seed's or its load's. (Hypothesis's 200 ms
# deadline per example and its too-slow check failed on a loaded machine; a random seed once
# hit the filter-too-much check on a strategy since fixed.)
hypothesis.settings.register_profile(
    "promptterm",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.load_profile("promptterm")

PG_TEMPLATE = "promptterm_template"
_pg_database_numbers = itertools.count(1)


def _postgres_switched_off() -> bool:
    return os.environ.get("PROMPTTERM_TEST_POSTGRES", "").strip().lower() in {"0", "no", "false"}


# -- environment ----------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """With PYTHONDONTWRITEBYTECODE set, every CLI process a test starts would compile our
    modules from source again (~0.15 s each): compile them once, before workers start."""
    if not hasattr(config, "workerinput"):
        _temporary_folders_in_ram(config)
    if sys.dont_write_bytecode and not hasattr(config, "workerinput"):
        import compileall

        compileall.compile_dir(Path(__file__).parents[1] / "src", quiet=2)


def _temporary_folders_in_ram(config: pytest.Config) -> None:
    """Tests' tmp_path in RAM (/dev/shm) when there is room, as the PostgreSQL server's files
    are (support/postgres.py): every SQLite database, CLI home and saved file of a test lives
    there. On this machine's disk an fsync takes ~6 ms, and SQLite syncs on closing a
    database, the app on every save: a services test waited ~20 ms on them, for files that
    no test reads after its session. The code under test still calls every fsync it did.

    pytest's own numbered folders (pytest-of-USER/pytest-N, the last three kept) only move
    to another root; --basetemp or PYTEST_DEBUG_TEMPROOT still win, and xdist's workers get
    their folders from this process."""
    if config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return
    try:
        shm = os.statvfs("/dev/shm")
    except OSError:
        return
    if shm.f_bavail * shm.f_frsize >= SHM_MIN_FREE and os.access("/dev/shm", os.W_OK):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = "/dev/shm"


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[object]:
    """Pytest rewrites the asserts of every test module it imports, and keeps the result in
    __pycache__ only when bytecode may be written: with PYTHONDONTWRITEBYTECODE set, each run
    and each xdist worker rewrote all of them again, ~9 s of CPU before the first test (the
    collection took 15 s instead of 5). Modules read from an up-to-date cache are the same
    code: pytest checks each cached file against its source's mtime and size."""
    if not sys.dont_write_bytecode:
        return (yield)
    sys.dont_write_bytecode = False
    try:
        return (yield)
    finally:
        sys.dont_write_bytecode = True


@pytest.fixture(autouse=True)
def _pinned_prices_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """genai-prices' figures move between its releases (and by date), so a test that reaches
    its table fails at once, unless it is marked ``genai_prices`` (the adapter's own tests).
    Give the services support.prices.pinned_pricing() instead."""
    if request.node.get_closest_marker("genai_prices") is not None:
        return
    from promptterm.services.chat.pricing import GenaiPrices

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(
            "this test reached genai-prices' table, whose prices move between releases: "
            "give its services support.prices.pinned_pricing()"
        )

    monkeypatch.setattr(GenaiPrices, "version", refuse)
    monkeypatch.setattr(GenaiPrices, "quote", refuse)


@pytest.fixture(autouse=True)
def _own_sql_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked ``own_sql_cache`` counts what its engines compile: they keep their own
    caches, as in the app (autouse, so before any fixture of the test makes an engine)."""
    if request.node.get_closest_marker("own_sql_cache") is None:
        yield
        return
    shared_sql.sharing(False)
    try:
        yield
    finally:
        shared_sql.sharing(True)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the developer's config, data, database and API keys."""
    monkeypatch.setenv("PROMPTTERM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PROMPTTERM_DATA_DIR", str(tmp_path / "data"))
    for name in ("PROMPTTERM_DATABASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)


# -- PostgreSQL server ----------------------------------------------------------------------


def _start_pg_server() -> PostgresServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "No PostgreSQL server binaries found (looked at PROMPTTERM_PG_BIN, "
            "`pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH). Install the "
            "PostgreSQL server (Debian: apt-get install postgresql-15), point "
            "PROMPTTERM_PG_BIN at its bin directory, or set PROMPTTERM_TEST_POSTGRES=0 "
            "to skip the PostgreSQL tests."
        )
    server = PostgresServer(bin_dir)
    server.start()
    return server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL server of this process (each xdist worker starts its own)."""
    if _postgres_switched_off():
        pytest.skip("PostgreSQL tests are switched off (PROMPTTERM_TEST_POSTGRES=0)")
    problem = None
    try:
        server = _start_pg_server()
    except PostgresUnavailable as exc:
        problem = str(exc)
    if problem is not None:
        # Failed outside the except block, so the report is the message, not a chain of them.
        pytest.fail(problem, pytrace=False)
    try:
        yield server
    finally:
        server.stop()


# -- templates: migrated once per session ---------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    db = create_database(f"sqlite:///{path}")
    try:
        ensure_schema(db)
    finally:
        # Closing the last connection checkpoints the WAL into the file, so that copying the
        # file alone copies everything.
        db.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_template(pg_server: PostgresServer) -> str:
    pg_server.create_database(PG_TEMPLATE)
    db = create_database(pg_server.url(PG_TEMPLATE))
    try:
        ensure_schema(db)
    finally:
        db.dispose()
    # CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template.
    pg_server.freeze_template(PG_TEMPLATE)
    return PG_TEMPLATE


@pytest.fixture(scope="session")
def _postgres_copies(
    pg_server: PostgresServer, _postgres_template: str
) -> Iterator[TemplateCopies]:
    copies = TemplateCopies(pg_server, _postgres_template, "test")
    try:
        yield copies
    finally:
        copies.close()


def _fresh_postgres(server: PostgresServer, copies: TemplateCopies) -> Iterator[Database]:
    name = copies.take()
    try:
        db = create_database(server.url(name))
        try:
            yield db
        finally:
            db.dispose()
    finally:
        copies.give_back(name)


# -- databases for tests --------------------------------------------------------------------


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_backend(request: pytest.FixtureRequest) -> str:
    """The backend's name, "sqlite" or "postgres": tests using it (or ``database``) run on both."""
    return str(request.param)


@pytest.fixture
def database(db_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, empty (but for seed data), fully migrated database of its own for each test."""
    if db_backend == "sqlite":
        yield from fresh_sqlite(request.getfixturevalue("_sqlite_template"), tmp_path)
    else:
        # Looked up here rather than declared, so SQLite-only runs never start PostgreSQL.
        server: PostgresServer = request.getfixturevalue("pg_server")
        yield from _fresh_postgres(server, request.getfixturevalue("_postgres_copies"))


@pytest.fixture
def empty_database(
    db_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    """A database with no tables at all (not a copy of the migrated template), for tests that
    migrate it themselves, step by step."""
    if db_backend == "sqlite":
        db = create_database(f"sqlite:///{tmp_path / 'empty.db'}")
        yield db
        db.dispose()
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"empty_{next(_pg_database_numbers)}"
    server.create_database(name)
    db = create_database(server.url(name))
    try:
        yield db
    finally:
        db.dispose()
        server.drop_database(name)


@pytest.fixture
def sqlite_database(_sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh, fully migrated SQLite database, for tests about SQLite only."""
    yield from fresh_sqlite(_sqlite_template, tmp_path)


@pytest.fixture(scope="session")
def migrated_sqlite(_sqlite_template: Path) -> MigratedSqlite:
    """``migrated_sqlite(path)`` puts a fresh, fully migrated SQLite database at ``path`` and
    returns its URL, for code that opens a database by URL (the CLI, here or in a child).

    Opening a new file migrates it from scratch: about 0.4 s of CPU in this process and a
    second in a child (which imports Alembic and every migration too), the larger part of
    most CLI tests. Tests about that first open itself use a path of their own instead."""

    def make(path: Path) -> str:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_sqlite_template, path)
        return f"sqlite:///{path}"

    return make


# -- services -------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    """Stands at 2026-01-15 09:30:00 UTC until the test calls ``advance`` or ``set``."""
    return FixedClock()


@pytest.fixture
def services(database: Database, clock: FixedClock) -> Services:
    """The service facade for a bootstrapped user on ``database`` (so: on both backends), on
    the fixed clock and the pinned price table."""
    # Imported here: importing every service module is slow, and tests that only need a
    # database should not break when one of them does not import.
    from promptterm.services.facade import Services
    from support.prices import pinned_pricing

    return Services.for_database(
        database, clock=clock, new_id=SequentialIds(), migrate=False, pricing=pinned_pricing()
    )
