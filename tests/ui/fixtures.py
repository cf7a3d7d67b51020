"""Fixtures shared by the Pilot and snapshot tests: services over a fresh SQLite database,
a seeded world, and the app on them. Both conftests import them from here."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from promptterm.app import PromptTermApp
from promptterm.db.engine import Database, create_database
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.prices import pinned_pricing
from support.sqlite_copies import fresh_sqlite
from ui.helpers import record_notifications
from ui.scenarios import World, seed_explorer, settings_for

AppFactory = Callable[..., PromptTermApp]

# The local user is named after the login; fix it so tests read the same everywhere.
LOGIN = "ada"


@dataclasses.dataclass(frozen=True)
class _SeededWorld:
    """``seed_explorer`` run once per test process into a database file that each test using
    ``world`` gets a copy of (seeding through the services took ~0.4 s a test), and the first
    id the services had left to give, so ids made after the copy are those made after a seed."""

    path: Path
    world: World
    next_id: int


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run with anyio's pytest plugin (anyio comes with httpx), on asyncio."""
    return "asyncio"


def _services(db: Database, clock: FixedClock, new_id: SequentialIds) -> Services:
    return Services.for_database(
        db, clock=clock, new_id=new_id, migrate=False, pricing=pinned_pricing()
    )


@pytest.fixture(scope="session")
def _seeded_world(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> _SeededWorld:
    path = tmp_path_factory.mktemp("ui-world") / "world.db"
    shutil.copyfile(_sqlite_template, path)
    db = create_database(f"sqlite:///{path}")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("LOGNAME", LOGIN)
            ids = SequentialIds()
            clock = FixedClock()
            world = seed_explorer(_services(db, clock, ids), clock)
            # SequentialIds gives 00000000-0000-4000-8000-<n as 12 decimal digits>.
            next_id = int(str(ids())[-12:])
    finally:
        # Closing the last connection checkpoints the WAL, so copying the file copies all.
        db.dispose()
    return _SeededWorld(path, world, next_id)


@pytest.fixture
def sqlite_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, fully migrated SQLite database of the test's own; already seeded with
    ``seed_explorer``'s world when the test uses ``world``."""
    if "world" in request.fixturenames:
        template = request.getfixturevalue("_seeded_world").path
    else:
        template = request.getfixturevalue("_sqlite_template")
    yield from fresh_sqlite(template, tmp_path)


@pytest.fixture
def ui_services(
    sqlite_database: Database,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Services:
    monkeypatch.setenv("LOGNAME", LOGIN)
    first_id = 1
    if "world" in request.fixturenames:
        # The user is in the copy already; the one id ``for_database`` takes for it is then
        # spent on nothing, so start one early to go on where the seeding stopped.
        first_id = request.getfixturevalue("_seeded_world").next_id - 1
    return _services(sqlite_database, clock, SequentialIds(first_id))


@pytest.fixture
def world(ui_services: Services, _seeded_world: _SeededWorld) -> World:
    """The seeded world (in ``ui_services``' database, see ``sqlite_database``)."""
    return dataclasses.replace(_seeded_world.world)


@pytest.fixture
def make_app(ui_services: Services) -> AppFactory:
    def make(**settings: object) -> PromptTermApp:
        app = PromptTermApp(
            services=ui_services, settings=settings_for(ui_services, **settings), cursor_blink=False
        )
        record_notifications(app)
        return app

    return make
