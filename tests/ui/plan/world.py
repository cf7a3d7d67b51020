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


def seed_docs(services: Services, project: uuid.UUID) -> None:
    """A PRD, three scored customer profiles (one selected) and two notes on ``project``."""
    services.prd.save(
        project,
        {
            "problem": "Teams lose product decisions in chat threads and loose files.",
            "solution": "A plan area beside the code: board, notes, PRD and customers.",
            "target_audience": "Small teams that build with LLMs from the terminal.",
            "tech_stack": "Python, Textual, SQLite or PostgreSQL.",
            "success_metrics": "- 50 weekly active teams\n- A PRD in under ten minutes",
        },
        sections=[("Risks", "Scope creep; keep each section small.")],
        seen_version=0,
    )
    agency = services.customers.add(
        project,
        "Agency lead",
        overview="Runs five client projects at once.",
        background="Former developer, now manages a team of six.",
        problems="Context scattered across tools.",
        scoring={"budget": 9, "urgency": 6, "fit": 8},
    )
    services.customers.add(
        project, "Indie developer", overview="Ships side projects.", scoring={"budget": 3, "fit": 9}
    )
    services.customers.add(project, "Student", overview="Learns prompt design.")
    services.customers.select(agency.id)
    services.notes.add("Launch checklist", "# Launch\n\n- [ ] Pricing page\n- [ ] Docs", project)
    services.notes.add("Interview notes", "Agencies want one place for specs.", project)
