"""Fixtures for the CLI tests, which run the real entry point (`main`) in this process.

``Services.open`` is what the CLI and the tests' own seeding open the database with; here
it prices calls with the pinned table (genai-prices' figures move between its releases),
and on request runs on the test's fixed clock.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from promptterm.services.facade import Services
from support.cli_process import MigratedSqlite
from support.clock import FixedClock
from support.prices import pinned_pricing


@pytest.fixture(autouse=True)
def _pinned_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = Services.open

    def open_pinned(database_url: str, **kwargs: Any) -> Services:
        kwargs.setdefault("pricing", pinned_pricing())
        return real_open(database_url, **kwargs)

    monkeypatch.setattr(Services, "open", open_pinned)


@pytest.fixture
def url(migrated_sqlite: MigratedSqlite, tmp_path: Path) -> str:
    """The test's own database, migrated already (the CLI would migrate a new file first)."""
    return migrated_sqlite(tmp_path / "cli.db")


@pytest.fixture
def fixed_clock(
    _pinned_prices: None, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> FixedClock:
    """Every ``Services.open`` in the test (the CLI's own, and the test's seeding) runs on the
    test's fixed clock, so that the periods, invoices and days shown are the same on any date.
    The user's first period starts when the database is first opened: 2026-01-15 09:30 UTC."""
    open_pinned: Callable[..., Services] = Services.open

    def open_fixed(database_url: str, **kwargs: Any) -> Services:
        kwargs.setdefault("clock", clock)
        return open_pinned(database_url, **kwargs)

    monkeypatch.setattr(Services, "open", open_fixed)
    return clock
