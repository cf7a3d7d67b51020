"""A small marketplace for the catalog tests: the local user owns a workspace, Alice (an
approved seller) and Bob (a buyer) are its members."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


@dataclass
class Shop:
    owner: Services
    alice: Services
    bob: Services


def person(services: Services, clock: FixedClock, name: str) -> Services:
    user = create_user(services.ctx.db, name, f"{name.lower()}@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def open_shop(services: Services, clock: FixedClock) -> Shop:
    alice, bob = person(services, clock, "Alice"), person(services, clock, "Bob")
    ws = services.workspaces.create("Shop")
    for who in ("alice@example.com", "bob@example.com"):
        services.workspaces.add_member(ws.id, who)
    application = alice.sellers.apply(name="Alice", email="alice@example.com")
    services.sellers.decide(application.id, approve=True)
    return Shop(services, alice, bob)


def publish_component(
    seller: Services, name: str, content: str, *, price: int = 0, tags: list[str] | None = None
) -> uuid.UUID:
    seller.components.create("role", name, content)
    return seller.catalog.publish(
        "component", name, title=name, description=f"About {name}", tags=tags, price=price
    ).id
