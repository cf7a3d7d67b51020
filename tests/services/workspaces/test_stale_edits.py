"""Role changes, removals and renames made from a stale view are refused (StaleEdit, a
Conflict) instead of replacing what a teammate changed meanwhile: on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, StaleEdit
from promptterm.services.facade import Services
from promptterm.services.workspaces.service import MemberInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _person(services: Services, clock: FixedClock, name: str) -> Services:
    user = create_user(services.ctx.db, name, f"{name.lower()}@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def _member(services: Services, ws_id: uuid.UUID, user_id: uuid.UUID) -> MemberInfo:
    return next(m for m in services.workspaces.members(ws_id) if m.user_id == user_id)


def test_a_stale_role_change_is_refused_and_says_what_changed(
    services: Services, clock: FixedClock
) -> None:
    ws = services.workspaces.create("Acme")
    admin = _person(services, clock, "Ada")
    max_ = _person(services, clock, "Max")
    services.workspaces.add_member(ws.id, "ada@example.com", "admin")
    services.workspaces.add_member(ws.id, "max@example.com", "member")
    seen_by_ada = _member(admin, ws.id, max_.user.id)

    # Meanwhile the owner makes Max a viewer.
    services.workspaces.set_role(ws.id, max_.user.id, "viewer", expected=seen_by_ada)
    with pytest.raises(StaleEdit) as refused:
        admin.workspaces.set_role(ws.id, max_.user.id, "member", expected=seen_by_ada)

    assert isinstance(refused.value, Conflict)
    assert "Max's membership was changed elsewhere" in refused.value.message
    assert "role 'member' → 'viewer'" in refused.value.message
    assert "look again" in refused.value.message
    assert _member(services, ws.id, max_.user.id).role == "viewer"
    # Seen afresh, the same change goes through.
    fresh = _member(admin, ws.id, max_.user.id)
    assert admin.workspaces.set_role(ws.id, max_.user.id, "member", expected=fresh).role == "member"


def test_removing_someone_whose_role_changed_meanwhile_is_refused(
    services: Services, clock: FixedClock
) -> None:
    ws = services.workspaces.create("Acme")
    vic = _person(services, clock, "Vic")
    services.workspaces.add_member(ws.id, "vic@example.com", "viewer")
    confirmed = _member(services, ws.id, vic.user.id)

    services.workspaces.set_role(ws.id, vic.user.id, "admin")
    with pytest.raises(StaleEdit, match="role 'viewer' → 'admin'"):
        services.workspaces.remove_member(ws.id, vic.user.id, expected=confirmed)
    assert _member(services, ws.id, vic.user.id).role == "admin"


def test_a_role_change_for_someone_removed_meanwhile_says_so(
    services: Services, clock: FixedClock
) -> None:
    ws = services.workspaces.create("Acme")
    vic = _person(services, clock, "Vic")
    services.workspaces.add_member(ws.id, "vic@example.com", "viewer")
    seen = _member(services, ws.id, vic.user.id)
    services.workspaces.remove_member(ws.id, vic.user.id, expected=seen)

    with pytest.raises(StaleEdit, match=r"Vic's membership .* removed from the workspace"):
        services.workspaces.set_role(ws.id, vic.user.id, "member", expected=seen)


def test_a_stale_workspace_rename_is_refused(services: Services) -> None:
    ws = services.workspaces.create("Acme")
    services.workspaces.rename(ws.id, "Acme Corp", expected=ws)

    with pytest.raises(StaleEdit, match="name 'Acme' → 'Acme Corp'"):
        services.workspaces.rename(ws.id, "ACME", expected=ws)
    assert services.workspaces.get(ws.id).name == "Acme Corp"
    fresh = services.workspaces.get(ws.id)
    assert services.workspaces.rename(ws.id, "ACME", expected=fresh).name == "ACME"


def test_a_stale_project_rename_is_refused(services: Services) -> None:
    ws = services.workspaces.create("Acme")
    project = services.projects.create(ws.id, "Site")
    services.projects.update(project.id, description="the landing page", expected=project)

    with pytest.raises(StaleEdit, match=r"description \(none\) → 'the landing page'"):
        services.projects.rename(project.id, "Web", expected=project)
    assert services.projects.get(project.id).name == "Site"
    fresh = services.projects.get(project.id)
    assert services.projects.rename(project.id, "Web", expected=fresh).name == "Web"
