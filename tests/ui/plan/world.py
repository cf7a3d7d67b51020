"""A seeded board for the plan area's Pilot tests and snapshots: the explorer's world plus
cards of every kind, status and priority on the Website project."""

from __future__ import annotations

import uuid

from promptterm.services.facade import Services

# (kind, title, status, priority)
CARDS = (
    ("task", "Write the onboarding guide", "not_started", "medium"),
    ("bug", "Login fails on Safari 17", "not_started", "urgent"),
    ("feature", "Dark mode for the dashboard", "not_started", "not-prioritized"),
    ("task", "Set up error tracking", "not_started", "low"),
    ("feature", "Export reports as CSV", "in_progress", "high"),
    ("task", "Review the API routes", "in_progress", "medium"),
    ("bug", "Typo on the pricing page", "done", "low"),
    ("task", "Choose a hosting provider", "done", "high"),
)


def seed_board(services: Services, project: uuid.UUID) -> list[uuid.UUID]:
    ids = []
    for kind, title, status, priority in CARDS:
        bug_url = "https://bugs.example.com/1" if kind == "bug" else None
        card = services.plan.add(
            project, kind, title, status=status, priority=priority, bug_url=bug_url
        )
        ids.append(card.id)
    return ids
