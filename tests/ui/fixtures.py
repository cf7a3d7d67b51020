"""Fixtures shared by the Pilot and snapshot tests: services over a fresh SQLite database,
a seeded world, and the app on them. Both conftests import them from here."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from promptterm.app import PromptTermApp
from promptterm.db.engine import Database
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.prices import pinned_pricing
from ui.helpers import record_notifications
from ui.scenarios import World, seed_explorer, settings_for

AppFactory = Callable[..., PromptTermApp]


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run with anyio's pytest plugin (anyio comes with httpx), on asyncio."""
    return "asyncio"


@pytest.fixture
def ui_services(
    sqlite_database: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> Services:
    # The local user is named after the login; fix it so tests read the same everywhere.
    monkeypatch.setenv("LOGNAME", "ada")
    return Services.for_database(
        sqlite_database,
        clock=clock,
        new_id=SequentialIds(),
        migrate=False,
        pricing=pinned_pricing(),
    )


@pytest.fixture
def world(ui_services: Services, clock: FixedClock) -> World:
    return seed_explorer(ui_services, clock)


@pytest.fixture
def make_app(ui_services: Services) -> AppFactory:
    def make(**settings: object) -> PromptTermApp:
        app = PromptTermApp(
            services=ui_services, settings=settings_for(ui_services, **settings), cursor_blink=False
        )
        record_notifications(app)
        return app

    return make
