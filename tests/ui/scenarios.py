"""Seeded worlds for the UI tests and snapshots: the same rows, ids and times on every run.

Imported as ``ui.scenarios`` (tests/ is on sys.path through the top-level conftest).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from promptterm.config import Settings
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import DEFAULT_NOW, FixedClock

SMALL = (80, 24)
LARGE = (120, 40)


@dataclass
class World:
    """What ``seed_explorer`` made, for tests to find things by name."""

    acme: uuid.UUID
    website: uuid.UUID
    mobile: uuid.UUID
    side: uuid.UUID
    partner: uuid.UUID  # owned by Bea; the local user is only a viewer there
    bea: uuid.UUID


def at(clock: FixedClock, day: int, hour: int = 10) -> None:
    clock.set(datetime(2026, 1, day, hour, 0, tzinfo=UTC))


def seed_explorer(services: Services, clock: FixedClock) -> World:
    """Three workspaces of the local user, one shared by someone else, files and a thread."""
    db = services.ctx.db
    at(clock, 2)
    acme = services.workspaces.create("Acme", description="Client work for Acme Corp.")
    website = services.projects.create(
        acme.id,
        "Website",
        language="Python",
        framework="FastAPI",
        visibility="team",
        description="The public site and its API.",
    )
    at(clock, 5)
    mobile = services.projects.create(acme.id, "Mobile App", language="Kotlin")
    at(clock, 6)
    side = services.workspaces.create("Side projects")
    services.projects.create(side.id, "Blog", language="Markdown")
    at(clock, 8)
    services.files.create(website.id, "README.md", "# Website\n", "First notes")
    services.files.create(website.id, "app/main.py", "print('hi')\n", "Entry point")
    thread = services.chat.create_thread(project_id=website.id, title="API design review")
    services.chat.add_message(thread.id, "user", "Review the routes, please.", tokens_in=120)
    bea = create_user(db, "Bea Stone", "bea@example.com", clock(), services.ctx.new_id())
    services.workspaces.add_member(acme.id, "bea@example.com", "viewer")
    as_bea = services.as_user(bea.id)
    at(clock, 9)
    partner = as_bea.workspaces.create("Partner Co")
    as_bea.projects.create(partner.id, "Shared Specs", language="Markdown")
    as_bea.workspaces.add_member(
        partner.id, services.user.email or services.user.display_name, "viewer"
    )
    at(clock, 14)
    services.projects.open(website.id)
    clock.set(DEFAULT_NOW)
    return World(acme.id, website.id, mobile.id, side.id, partner.id, bea.id)


def settings_for(services: Services, **overrides: object) -> Settings:
    return Settings(database_url=services.ctx.db.url, **overrides)  # type: ignore[arg-type]
