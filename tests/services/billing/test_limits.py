"""Plan limits (seed 003 PLAN_LIMITS): free 20 components, 5 presets, 10 projects; paid plans
unlimited; a downgrade keeps what exists and only blocks new items."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import LimitReached, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock

UPGRADE = "promptterm billing plan set pro"


def _fill_components(services: Services, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.components.create("role", f"Role {i:02d}", f"content {i}")


def _fill_presets(services: Services, n: int, start: int = 0) -> None:
    """``n`` presets, all of one role component (made on first use)."""
    try:
        role = services.components.find("Limit role")
    except NotFound:
        role = services.components.create("role", "Limit role", "r")
    for i in range(start, start + n):
        services.presets.create(f"Preset {i:02d}", role=role.id)


def test_free_plan_allows_20_components(services: Services) -> None:
    _fill_components(services, 20)
    with pytest.raises(LimitReached) as err:
        services.components.create("style", "One too many", "c")
    assert (err.value.limit, err.value.plan) == ("max_components", "free")
    message = err.value.message
    assert "The Free plan allows 20 components and you have 20." in message
    assert UPGRADE in message
    assert len(services.components.list()) == 20
    assert services.components.search("One too many") == []


def test_free_plan_allows_5_presets(services: Services) -> None:
    _fill_presets(services, 5)
    with pytest.raises(LimitReached) as err:
        _fill_presets(services, 1, start=5)
    assert (err.value.limit, err.value.plan) == ("max_presets", "free")
    assert "The Free plan allows 5 presets and you have 5." in err.value.message
    assert UPGRADE in err.value.message
    assert len(services.presets.list()) == 5


def test_free_plan_allows_10_projects_across_own_workspaces(services: Services) -> None:
    first = services.workspaces.create("First")
    second = services.workspaces.create("Second")
    for i in range(6):
        services.projects.create(first.id, f"P{i}")
    for i in range(4):
        services.projects.create(second.id, f"Q{i}")
    with pytest.raises(LimitReached) as err:
        services.projects.create(second.id, "Eleventh")
    assert (err.value.limit, err.value.plan) == ("max_projects", "free")
    assert "The Free plan allows 10 projects and you have 10." in err.value.message
    assert UPGRADE in err.value.message
    assert len(services.projects.list()) == 10


def test_projects_count_against_the_workspace_owners_plan(
    services: Services, clock: FixedClock
) -> None:
    """A member adding a project to my workspace uses my allowance, not theirs."""
    bob_info = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(bob_info.id)
    ws = services.workspaces.create("Mine")
    services.workspaces.add_member(ws.id, "bob@example.com", "member")
    for i in range(10):
        bob.projects.create(ws.id, f"P{i}")
    with pytest.raises(LimitReached, match="Free plan allows 10 projects"):
        bob.projects.create(ws.id, "Eleventh")
    # Bob's own allowance is untouched.
    bobs_ws = bob.workspaces.create("Bob's")
    assert bob.projects.create(bobs_ws.id, "His first").name == "His first"


def test_limits_are_per_user(services: Services, clock: FixedClock) -> None:
    _fill_components(services, 20)
    bob_info = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(bob_info.id)
    assert bob.components.create("role", "Bob's first", "c").name == "Bob's first"


def test_validation_errors_come_before_the_limit(services: Services) -> None:
    """A full plan does not hide what is wrong with the input."""
    _fill_components(services, 20)
    with pytest.raises(ValidationError):
        services.components.create("bogus", "X", "c")


@pytest.mark.parametrize("plan", ["pro", "business"])
def test_paid_plans_have_no_component_or_preset_limit(services: Services, plan: str) -> None:
    summary = services.billing.set_plan(plan)
    assert summary.plan.slug == plan
    _fill_components(services, 25)
    _fill_presets(services, 8)
    ws = services.workspaces.create("W")
    for i in range(12):
        services.projects.create(ws.id, f"P{i}")
    assert len(services.components.list()) == 26  # 25 + the presets' role
    assert len(services.presets.list()) == 8
    assert len(services.projects.list()) == 12
    after = services.billing.summary()
    for key in ("max_components", "max_presets", "max_projects"):
        assert after.line(key).limit is None
        assert after.line(key).state == "ok"


def test_downgrade_keeps_everything_and_only_blocks_new_items(services: Services) -> None:
    services.billing.set_plan("pro")
    _fill_components(services, 24)
    _fill_presets(services, 7)

    summary = services.billing.set_plan("free", at_period_end=False)
    assert summary.plan.slug == "free"
    assert len(services.components.list()) == 25
    assert len(services.presets.list()) == 7
    assert summary.line("max_components").used == 25
    assert summary.line("max_components").state == "full"

    with pytest.raises(LimitReached, match="allows 20 components and you have 25"):
        services.components.create("mode", "New", "c")
    with pytest.raises(LimitReached, match="allows 5 presets and you have 7"):
        _fill_presets(services, 1, start=7)
    # Existing rows stay usable: edits, uses and compositions still work.
    first = services.presets.list(sort="name")[0]
    services.presets.record_use(first.id)
    assert services.presets.compose(first.id).text == "r"
    edited = services.components.update(
        services.components.find("Role 00").id, content="still mine"
    )
    assert edited.content == "still mine"

    # Only when below the limit again may the user add one.
    for i in range(5):
        services.components.delete(services.components.find(f"Role {i:02d}").id)
    with pytest.raises(LimitReached, match="you have 20"):
        services.components.create("mode", "New", "c")
    services.components.delete(services.components.find("Role 05").id)
    assert services.components.create("mode", "New", "c").name == "New"


def test_upgrading_lifts_the_limit_at_once(services: Services) -> None:
    _fill_presets(services, 5)
    with pytest.raises(LimitReached):
        _fill_presets(services, 1, start=5)
    services.billing.set_plan("pro")
    _fill_presets(services, 1, start=5)
    assert len(services.presets.list()) == 6
