"""A seeded catalog for the catalog's Pilot tests and snapshots: Alice, an approved seller in
the local user's workspace, publishes a priced and a free component; Bob reviews them."""

from __future__ import annotations

import uuid

from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def seed_catalog(services: Services, clock: FixedClock) -> dict[str, uuid.UUID]:
    db = services.ctx.db
    alice_id = create_user(db, "Alice", "alice@example.com", clock(), uuid.UUID(int=901)).id
    bob_id = create_user(db, "Bob", "bob@example.com", clock(), uuid.UUID(int=902)).id
    alice, bob = services.as_user(alice_id), services.as_user(bob_id)
    ws = services.workspaces.create("Shop")
    services.workspaces.add_member(ws.id, "alice@example.com")
    application = alice.sellers.apply(name="Alice", email="alice@example.com")
    services.sellers.decide(application.id, approve=True)
    alice.sellers.set_profile("alice_prompts", "https://example.com/alice.png")
    alice.components.create(
        "role", "Pirate", "You are a pirate.\nSpeak in rhymes.\nNever break character.\nSecret."
    )
    alice.components.create("style", "Terse", "Answer in one line.")
    pirate = alice.catalog.publish(
        "component", "Pirate", title="Pirate captain", price=499, tags=["fun", "roleplay"],
        description="A role that keeps to character.",
        image_urls=["https://example.com/pirate.png"],
    )  # fmt: skip
    clock.advance(minutes=5)
    terse = alice.catalog.publish(
        "component", "Terse", title="Terse answers", tags=["style"],
        description="One line, no fluff.",
    )  # fmt: skip
    bob.catalog_reviews.review(pirate.id, 5, "Arr, great.")
    bob.catalog_reviews.review(terse.id, 3)
    return {"pirate": pirate.id, "terse": terse.id}
