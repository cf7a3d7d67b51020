"""Seeded libraries for the library area's Pilot and snapshot tests: the same components,
presets, prompts and trash, with the same ids and times, on every run.

Imported as ``ui.library.scenarios`` (tests/ is on sys.path through the top-level conftest).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from promptterm.services.facade import Services
from support.clock import DEFAULT_NOW, FixedClock
from ui.scenarios import at


@dataclass
class Library:
    """What ``seed_library`` made, for tests to find things by name."""

    marketing: uuid.UUID  # role, used most
    reviewer: uuid.UUID  # role
    b2b: uuid.UUID  # style
    startup: uuid.UUID  # context
    ship: uuid.UUID  # mode
    linkedin: uuid.UUID  # preset with all four parts
    quick: uuid.UUID  # preset: role + mode
    folder: uuid.UUID  # "Writing"
    blog: uuid.UUID  # prompt with modules and every kind of variable


MARKETING = (
    "You are an experienced Social Media Marketing Expert with a specialization in LinkedIn "
    "and Instagram. You know current trends and give concrete, actionable recommendations."
)


def seed_library(services: Services, clock: FixedClock) -> Library:
    """Five components of all four types, two presets, a folder of prompts, and a trash."""
    c = services.components
    at(clock, 3)
    marketing = c.create(
        "role",
        "Marketing Expert",
        MARKETING,
        description="For LinkedIn and Instagram content",
        tags=["marketing", "social"],
    )
    reviewer = c.create(
        "role", "Code Reviewer", "You review code for correctness first, style second."
    )
    at(clock, 5)
    b2b = c.create("style", "Professional B2B", "Write in a clear, professional B2B tone.")
    startup = c.create(
        "context", "Tech Startup", "The audience works at a 20-person software startup."
    )
    ship = c.create("mode", "Ship Mode", "Focus on execution: give the next three steps.")
    at(clock, 8)
    linkedin = services.presets.create(
        "LinkedIn Pro",
        description="Professional LinkedIn posts",
        role=marketing.id,
        style=b2b.id,
        context=startup.id,
        mode=ship.id,
    )
    quick = services.presets.create("Quick Expert", role=marketing.id, mode=ship.id)
    at(clock, 12)
    for _ in range(3):
        services.presets.record_use(linkedin.id)
    at(clock, 14)
    services.presets.record_use(quick.id)
    folder, blog = _prompts(services, clock)
    clock.set(DEFAULT_NOW)
    return Library(
        marketing.id,
        reviewer.id,
        b2b.id,
        startup.id,
        ship.id,
        linkedin.id,
        quick.id,
        folder,
        blog,
    )


def _prompts(services: Services, clock: FixedClock) -> tuple[uuid.UUID, uuid.UUID]:
    p = services.prompts
    at(clock, 6)
    writing = p.create_folder("Writing")
    blog = p.create("Blog post", description="A post for the company blog", folder_id=writing.id)
    p.add_module(
        blog.id,
        "Intro",
        [
            "Write a blog post about {{topic}} for {{audience}}.",
            "Draft an outline of a post about {{topic}}.",
        ],
    )
    p.add_module(blog.id, "Length", ["Keep it under {{words}} words."])
    p.add_module(blog.id, "Tone", ["Use a friendly tone.", "Be formal and precise."])
    p.add_module(blog.id, "Code", ["Include code samples: {{code}}."])
    p.add_module(blog.id, "Notes", ["Editor's notes: {{notes}}"])
    p.define_variable(blog.id, "topic", "text", required=True, label="Topic")
    p.define_variable(
        blog.id, "audience", "choice", choices=["developers", "managers"], default="developers"
    )
    p.define_variable(blog.id, "words", "number", min=100, max=2000, default=600)
    p.define_variable(blog.id, "code", "boolean", default=False)
    p.define_variable(blog.id, "notes", "multiline")
    p.create("Release notes", folder_id=writing.id)
    p.create("Standup summary")
    at(clock, 10)
    old = p.create_folder("Old drafts")
    p.create("Launch email", folder_id=old.id)
    p.delete_folder(old.id)
    at(clock, 13)
    scratch = p.create("Scratch")
    p.delete(scratch.id)
    return writing.id, blog.id


def fill_components(services: Services, up_to: int) -> None:
    """Add context components until the user owns ``up_to`` (the free plan allows 20)."""
    have = sum(services.components.counts().values())
    for i in range(have, up_to):
        services.components.create("context", f"Context {i + 1:02d}", f"Background number {i}.")


def fill_presets(services: Services, up_to: int, part: uuid.UUID) -> None:
    """Add presets made of ``part`` until the user owns ``up_to`` (the free plan allows 5)."""
    kind = services.components.get(part).type
    for i in range(len(services.presets.list()), up_to):
        services.presets.create(f"Preset {i + 1}", **{kind: part})
