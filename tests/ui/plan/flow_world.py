"""A seeded user flow for the plan area's Pilot tests and snapshots: five pages of a web
product on the Website project, laid out as a canvas would place them, with arrows."""

from __future__ import annotations

import uuid

from promptterm.services.facade import Services

# (name, status, x, y, features)
PAGES = (
    ("Landing", "done", 0, 0, "hero, pricing teaser"),
    ("Sign up", "in_progress", 300, 0, "email form, oauth"),
    ("Pricing", "done", 0, 200, "plan table"),
    ("Dashboard", "not_started", 600, 0, "projects list"),
    ("Settings", "not_started", 600, 200, "profile, billing"),
)
ARROWS = (
    ("Landing", "Sign up"),
    ("Landing", "Pricing"),
    ("Sign up", "Dashboard"),
    ("Dashboard", "Settings"),
    ("Pricing", "Sign up"),
)


def seed_flow(services: Services, project: uuid.UUID) -> dict[str, uuid.UUID]:
    ids = {}
    for name, status, x, y, features in PAGES:
        page = services.flows.add_page(
            project, name, implementation_status=status, x=x, y=y, features=features
        )
        ids[name] = page.id
    for source, target in ARROWS:
        services.flows.connect(ids[source], ids[target])
    return ids
