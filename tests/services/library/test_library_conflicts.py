"""An edit made from a stale form is refused, not saved over the edit made meanwhile
(another window, another process): components and presets, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from promptterm.services.errors import Conflict
from promptterm.services.facade import Services


def test_a_stale_component_edit_is_refused_and_the_other_edit_survives(
    services: Services,
) -> None:
    made = services.components.create("role", "Editor", "You edit prose.")
    opened_here = services.components.get(made.id)
    opened_there = services.components.get(made.id)

    services.components.update(made.id, content="You edit prose, tersely.", expected=opened_there)
    with pytest.raises(Conflict, match="changed elsewhere since you opened it"):
        services.components.update(made.id, content="You edit poems.", expected=opened_here)

    assert services.components.get(made.id).content == "You edit prose, tersely."
    # Reopened, the same edit goes through.
    fresh = services.components.get(made.id)
    services.components.update(made.id, content="You edit poems.", expected=fresh)
    assert services.components.get(made.id).content == "You edit poems."


def test_an_unchanged_component_takes_the_edit(services: Services) -> None:
    made = services.components.create("style", "Short", "Be brief.")
    edited = services.components.update(made.id, name="Shorter", expected=made)
    assert edited.name == "Shorter"


def test_a_stale_preset_edit_is_refused_and_the_other_edit_survives(services: Services) -> None:
    role = services.components.create("role", "Editor", "You edit prose.")
    other = services.components.create("role", "Critic", "You criticise.")
    preset = services.presets.create("Daily", description="for every day", role=role.id)
    opened_here = services.presets.get(preset.id)

    services.presets.update(preset.id, role=other.id, expected=services.presets.get(preset.id))
    with pytest.raises(Conflict, match="changed elsewhere since you opened it"):
        services.presets.update(preset.id, description="stale", expected=opened_here)

    after = services.presets.get(preset.id)
    assert after.role is not None and after.role.id == other.id
    assert after.description == "for every day"
