"""Pilot tests: the shared fixtures live in fixtures.py (the snapshot tests use them too)."""

from ui.fixtures import (
    _seeded_world,
    anyio_backend,
    make_app,
    sqlite_database,
    ui_services,
    world,
)

__all__ = [
    "_seeded_world",
    "anyio_backend",
    "make_app",
    "sqlite_database",
    "ui_services",
    "world",
]
