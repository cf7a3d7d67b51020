"""Pilot tests: the shared fixtures live in fixtures.py (the snapshot tests use them too)."""

from ui.fixtures import anyio_backend, make_app, ui_services, world

__all__ = ["anyio_backend", "make_app", "ui_services", "world"]
