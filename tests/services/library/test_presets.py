"""Presets (seed 003): built from components, composed into a system prompt, left incomplete
(never deleted) when one of their components goes."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.library.components import ComponentInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _bob(services: Services, clock: FixedClock) -> Services:
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def _four(services: Services) -> dict[str, ComponentInfo]:
    """One component of each type, whose content says which it is."""
    return {
        kind: services.components.create(kind, f"{kind.capitalize()} One", f"{kind.upper()} TEXT")
        for kind in ("role", "style", "context", "mode")
    }


# Creating ----------------------------------------------------------------------------------


def test_create_keeps_each_component_in_its_slot(services: Services, clock: FixedClock) -> None:
    parts = _four(services)
    preset = services.presets.create(
        "  LinkedIn Pro ",
        description=" For posts ",
        role=parts["role"].id,
        mode=parts["mode"].id,
    )
    assert (preset.name, preset.description) == ("LinkedIn Pro", "For posts")
    assert preset.role == parts["role"]
    assert preset.mode == parts["mode"]
    assert preset.style is None and preset.context is None
    assert [c.type for c in preset.parts] == ["role", "mode"]
    assert preset.missing == () and preset.warning is None and not preset.is_incomplete
    assert (preset.usage_count, preset.last_used_at) == (0, None)
    assert preset.created_at == clock()
    assert services.presets.get(preset.id) == preset
    assert services.presets.find("LinkedIn Pro") == preset
    assert services.presets.find(str(preset.id)) == preset


def test_a_preset_needs_at_least_one_component(services: Services) -> None:
    with pytest.raises(ValidationError, match="at least one component") as err:
        services.presets.create("Empty")
    assert err.value.field == "components"
    with pytest.raises(ValidationError, match="at least one component"):
        services.presets.create("Empty", role=None, style=None, context=None, mode=None)
    assert services.presets.list() == []


@pytest.mark.parametrize("slot", ["role", "style", "context", "mode"])
def test_each_slot_takes_only_its_own_type(services: Services, slot: str) -> None:
    parts = _four(services)
    wrong = next(c for kind, c in parts.items() if kind != slot)
    with pytest.raises(
        ValidationError, match=f"is a {wrong.type} component; the {slot} slot"
    ) as err:
        services.presets.create("Mixed", **{slot: wrong.id})
    assert err.value.field == slot
    assert services.presets.list() == []


def test_components_must_exist_and_belong_to_the_same_user(
    services: Services, clock: FixedClock
) -> None:
    bob = _bob(services, clock)
    bobs_role = bob.components.create("role", "Bob's role", "bob")
    with pytest.raises(ValidationError, match="role component you picked does not exist") as err:
        services.presets.create("Borrowed", role=bobs_role.id)
    assert err.value.field == "role"
    with pytest.raises(ValidationError, match="style component you picked does not exist"):
        services.presets.create("Ghost", style=uuid.uuid4())
    assert services.presets.list() == []


def test_name_rules(services: Services, clock: FixedClock) -> None:
    role = services.components.create("role", "R", "r")
    with pytest.raises(ValidationError) as err:
        services.presets.create("   ", role=role.id)
    assert err.value.field == "name"
    with pytest.raises(ValidationError, match="101 characters"):
        services.presets.create("p" * 101, role=role.id)
    with pytest.raises(ValidationError, match="501 characters") as err:
        services.presets.create("Long description", description="d" * 501, role=role.id)
    assert err.value.field == "description"
    services.presets.create("p" * 100, role=role.id)
    services.presets.create("Taken", role=role.id)
    with pytest.raises(Conflict, match="already have a preset named 'Taken'"):
        services.presets.create(" Taken ", role=role.id)
    # Another user may use the same name.
    bob = _bob(services, clock)
    bob_role = bob.components.create("role", "R", "r")
    assert bob.presets.create("Taken", role=bob_role.id).name == "Taken"


def test_renaming_onto_a_taken_name_is_a_conflict(services: Services) -> None:
    role = services.components.create("role", "R", "r")
    services.presets.create("Taken", role=role.id)
    other = services.presets.create("Other", role=role.id)
    with pytest.raises(Conflict, match="'Taken'"):
        services.presets.update(other.id, name="Taken")
    assert services.presets.get(other.id).name == "Other"
    assert services.presets.update(other.id, name="Renamed").name == "Renamed"


# Composing ---------------------------------------------------------------------------------


def test_compose_orders_role_style_context_mode_with_blank_lines(services: Services) -> None:
    parts = _four(services)
    preset = services.presets.create(
        "All four",
        mode=parts["mode"].id,
        context=parts["context"].id,
        role=parts["role"].id,
        style=parts["style"].id,
    )
    composed = services.presets.compose(preset.id)
    assert composed.text == "ROLE TEXT\n\nSTYLE TEXT\n\nCONTEXT TEXT\n\nMODE TEXT"
    assert composed.parts == (
        ("role", "Role One"),
        ("style", "Style One"),
        ("context", "Context One"),
        ("mode", "Mode One"),
    )
    assert composed.preset_name == "All four"
    assert composed.warning is None

    partial = services.presets.create("Two", mode=parts["mode"].id, style=parts["style"].id)
    assert services.presets.compose(partial.id).text == "STYLE TEXT\n\nMODE TEXT"


def test_token_estimate_of_the_composed_prompt(services: Services) -> None:
    role = services.components.create("role", "Long", "x" * 400)
    mode = services.components.create("mode", "Words", "one two three four")
    assert (
        services.presets.compose(services.presets.create("A", role=role.id).id).token_estimate
        == 100
    )
    # "x"*400 + "\n\n" + "one two three four": 420 characters -> 105 tokens.
    both = services.presets.create("B", role=role.id, mode=mode.id)
    assert services.presets.compose(both.id).token_estimate == 105
    # Many short words count at least 0.75 tokens each.
    words = services.components.create("style", "Short", " ".join(["a"] * 100))
    assert (
        services.presets.compose(services.presets.create("C", style=words.id).id).token_estimate
        == 75
    )


def test_compose_uses_the_components_current_text(services: Services) -> None:
    role = services.components.create("role", "R", "before")
    preset = services.presets.create("P", role=role.id)
    services.components.update(role.id, content="after")
    assert services.presets.compose(preset.id).text == "after"


# Incomplete presets ------------------------------------------------------------------------


def test_deleting_a_component_leaves_the_preset_incomplete(services: Services) -> None:
    parts = _four(services)
    preset = services.presets.create("P", role=parts["role"].id, style=parts["style"].id)
    assert services.components.delete(parts["role"].id) == ["P"]

    after = services.presets.get(preset.id)
    assert after.role is None
    assert after.style == parts["style"]
    assert after.missing == ("role",)
    assert after.is_incomplete
    assert after.warning == "Preset incomplete: Role component missing"
    composed = services.presets.compose(preset.id)
    assert composed.text == "STYLE TEXT"
    assert composed.warning == "Preset incomplete: Role component missing"
    assert [p.name for p in services.presets.list()] == ["P"]


def test_a_preset_whose_only_component_is_deleted_still_exists(services: Services) -> None:
    role = services.components.create("role", "R", "r")
    preset = services.presets.create("Only role", role=role.id)
    services.components.delete(role.id)
    after = services.presets.get(preset.id)
    assert after.parts == []
    assert after.warning == "Preset incomplete: Role component missing"
    assert services.presets.compose(preset.id).text == ""


def test_warning_names_every_missing_slot(services: Services) -> None:
    parts = _four(services)
    preset = services.presets.create(
        "P", role=parts["role"].id, context=parts["context"].id, mode=parts["mode"].id
    )
    services.components.delete(parts["mode"].id)
    services.components.delete(parts["role"].id)
    after = services.presets.get(preset.id)
    assert after.missing == ("role", "mode")
    assert after.warning == "Preset incomplete: Role, Mode components missing"


def test_assigning_another_component_fixes_the_preset(services: Services) -> None:
    parts = _four(services)
    preset = services.presets.create("P", role=parts["role"].id, style=parts["style"].id)
    services.components.delete(parts["role"].id)
    new_role = services.components.create("role", "New role", "NEW ROLE")

    fixed = services.presets.update(preset.id, role=new_role.id)
    assert fixed.role == new_role
    assert fixed.missing == () and fixed.warning is None
    assert services.presets.compose(preset.id).text == "NEW ROLE\n\nSTYLE TEXT"


def test_changing_another_slot_keeps_the_preset_incomplete(services: Services) -> None:
    parts = _four(services)
    preset = services.presets.create("P", role=parts["role"].id, style=parts["style"].id)
    services.components.delete(parts["role"].id)
    other_style = services.components.create("style", "Style Two", "STYLE TWO")
    after = services.presets.update(preset.id, style=other_style.id, description="changed")
    assert after.style == other_style
    assert after.missing == ("role",)
    assert after.warning == "Preset incomplete: Role component missing"


def test_clearing_a_slot_with_none_removes_it_for_good(services: Services) -> None:
    parts = _four(services)
    preset = services.presets.create("P", role=parts["role"].id, style=parts["style"].id)
    services.components.delete(parts["role"].id)

    cleared = services.presets.update(preset.id, role=None)
    assert cleared.missing == () and cleared.warning is None
    assert cleared.parts == [parts["style"]]

    # Clearing a filled slot empties it; leaving a slot out leaves it alone.
    with_mode = services.presets.update(preset.id, mode=parts["mode"].id)
    assert [c.type for c in with_mode.parts] == ["style", "mode"]
    without_style = services.presets.update(preset.id, style=None)
    assert without_style.parts == [parts["mode"]]
    assert without_style.missing == ()
    # ... but never all of them.
    with pytest.raises(ValidationError, match="at least one component"):
        services.presets.update(preset.id, mode=None)
    assert services.presets.get(preset.id).mode == parts["mode"]


def test_update_checks_type_and_owner_of_new_components(
    services: Services, clock: FixedClock
) -> None:
    parts = _four(services)
    preset = services.presets.create("P", role=parts["role"].id)
    with pytest.raises(ValidationError, match="the role slot takes a role"):
        services.presets.update(preset.id, role=parts["style"].id)
    bobs = _bob(services, clock).components.create("role", "Bob's", "bob")
    with pytest.raises(ValidationError, match="does not exist"):
        services.presets.update(preset.id, role=bobs.id)
    assert services.presets.get(preset.id).role == parts["role"]


# Use and sorting ---------------------------------------------------------------------------


def test_record_use_counts_the_preset_and_its_components(
    services: Services, clock: FixedClock
) -> None:
    parts = _four(services)
    preset = services.presets.create("P", role=parts["role"].id, mode=parts["mode"].id)
    clock.advance(hours=1)
    services.presets.record_use(preset.id)
    services.presets.record_use(preset.id)

    used = services.presets.get(preset.id)
    assert used.usage_count == 2
    assert used.last_used_at == clock()
    for kind in ("role", "mode"):
        component = services.components.get(parts[kind].id)
        assert (component.usage_count, component.last_used_at) == (2, clock())
    for kind in ("style", "context"):
        component = services.components.get(parts[kind].id)
        assert (component.usage_count, component.last_used_at) == (0, None)


def test_sort_orders(services: Services, clock: FixedClock) -> None:
    role = services.components.create("role", "R", "r")
    a = services.presets.create("Alpha", role=role.id)
    b = services.presets.create("Bravo", role=role.id)
    c = services.presets.create("Charlie", role=role.id)
    services.presets.create("Delta", role=role.id)
    services.presets.record_use(b.id)
    clock.advance(minutes=1)
    services.presets.record_use(c.id)
    services.presets.record_use(c.id)
    clock.advance(minutes=1)
    services.presets.record_use(a.id)

    def names(sort: str) -> list[str]:
        return [p.name for p in services.presets.list(sort=sort)]  # type: ignore[arg-type]

    assert names("name") == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert names("most_used") == ["Charlie", "Alpha", "Bravo", "Delta"]
    # Most recently used first; never used last on both databases.
    assert names("recent") == ["Alpha", "Charlie", "Bravo", "Delta"]


# Ownership and deletion --------------------------------------------------------------------


def test_another_user_cannot_see_or_touch_my_presets(services: Services, clock: FixedClock) -> None:
    role = services.components.create("role", "R", "r")
    mine = services.presets.create("Mine", role=role.id)
    bob = _bob(services, clock)
    assert bob.presets.list() == []
    for action in (
        lambda: bob.presets.get(mine.id),
        lambda: bob.presets.find("Mine"),
        lambda: bob.presets.compose(mine.id),
        lambda: bob.presets.update(mine.id, name="Hijacked"),
        lambda: bob.presets.record_use(mine.id),
        lambda: bob.presets.delete(mine.id),
    ):
        with pytest.raises(NotFound):
            action()
    assert services.presets.get(mine.id) == mine


def test_delete_removes_the_preset_but_not_its_components(services: Services) -> None:
    role = services.components.create("role", "R", "r")
    preset = services.presets.create("Gone", role=role.id)
    assert services.presets.delete(preset.id) == "Gone"
    with pytest.raises(NotFound):
        services.presets.get(preset.id)
    with pytest.raises(NotFound, match="no preset named 'Gone'"):
        services.presets.find("Gone")
    assert services.components.get(role.id) == role
