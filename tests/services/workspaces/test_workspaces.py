"""Workspaces and members: validation, roles, and who may do what."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, Forbidden, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _person(services: Services, clock: FixedClock, name: str) -> Services:
    user = create_user(services.ctx.db, name, f"{name.lower()}@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def test_create_makes_the_creator_owner(services: Services) -> None:
    ws = services.workspaces.create("Acme Corp", description="  Our team  ")
    assert (ws.name, ws.slug, ws.role, ws.description) == (
        "Acme Corp",
        "acme-corp",
        "owner",
        "Our team",
    )
    [member] = services.workspaces.members(ws.id)
    assert (member.user_id, member.role) == (services.user.id, "owner")


@pytest.mark.parametrize(
    ("name", "field"),
    [("", "name"), ("   ", "name"), ("x" * 101, "name")],
)
def test_invalid_names_are_refused_with_the_field(
    services: Services, name: str, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.workspaces.create(name)
    assert err.value.field == field
    assert services.workspaces.list() == []


@pytest.mark.parametrize("slug", ["Bad Slug", "-lead", "trail-", "a" * 65, "ünï"])
def test_invalid_slugs_are_refused(services: Services, slug: str) -> None:
    with pytest.raises(ValidationError, match="slug"):
        services.workspaces.create("Fine name", slug=slug)


def test_slugs_are_unique(services: Services) -> None:
    services.workspaces.create("Acme")
    with pytest.raises(Conflict, match="acme"):
        services.workspaces.create("ACME")


def test_list_shows_only_my_workspaces_most_recent_first(
    services: Services, clock: FixedClock
) -> None:
    older = services.workspaces.create("Older")
    newer = services.workspaces.create("Newer")
    services.projects.create(older.id, "P1")
    clock.advance(minutes=5)
    services.projects.create(newer.id, "P2")
    bob = _person(services, clock, "Bob")
    bob.workspaces.create("Bob's")
    assert [w.name for w in services.workspaces.list()] == ["Newer", "Older"]
    assert [w.name for w in bob.workspaces.list()] == ["Bob's"]
    assert services.workspaces.list()[0].project_count == 1


def test_non_members_cannot_see_a_workspace(services: Services, clock: FixedClock) -> None:
    ws = services.workspaces.create("Secret")
    bob = _person(services, clock, "Bob")
    with pytest.raises(NotFound):
        bob.workspaces.get(ws.id)
    with pytest.raises(NotFound):
        bob.projects.list(ws.id)
    with pytest.raises(NotFound):
        bob.workspaces.delete(ws.id)


def test_viewer_reads_but_cannot_edit(services: Services, clock: FixedClock) -> None:
    ws = services.workspaces.create("Acme")
    project = services.projects.create(ws.id, "Site")
    viewer = _person(services, clock, "Vera")
    services.workspaces.add_member(ws.id, "vera@example.com", "viewer")

    assert [p.name for p in viewer.projects.list(ws.id)] == ["Site"]
    with pytest.raises(Forbidden, match="you are a viewer"):
        viewer.projects.create(ws.id, "Mine")
    with pytest.raises(Forbidden):
        viewer.projects.rename(project.id, "Renamed")
    with pytest.raises(Forbidden):
        viewer.workspaces.rename(ws.id, "Renamed")
    assert services.projects.get(project.id).name == "Site"


def test_member_edits_but_cannot_manage_members_or_delete(
    services: Services, clock: FixedClock
) -> None:
    ws = services.workspaces.create("Acme")
    member = _person(services, clock, "Max")
    _person(services, clock, "Nia")
    services.workspaces.add_member(ws.id, "max@example.com", "member")

    project = member.projects.create(ws.id, "Max's project")
    assert member.projects.rename(project.id, "Renamed").name == "Renamed"
    with pytest.raises(Forbidden, match="admin or owner"):
        member.workspaces.add_member(ws.id, "nia@example.com", "viewer")
    with pytest.raises(Forbidden):
        member.projects.delete(project.id)
    with pytest.raises(Forbidden):
        member.workspaces.delete(ws.id)


def test_admin_manages_members_but_not_admins_or_the_owner(
    services: Services, clock: FixedClock
) -> None:
    ws = services.workspaces.create("Acme")
    admin = _person(services, clock, "Ada")
    other_admin = _person(services, clock, "Abe")
    viewer = _person(services, clock, "Vic")
    services.workspaces.add_member(ws.id, "ada@example.com", "admin")
    services.workspaces.add_member(ws.id, "abe@example.com", "admin")

    admin.workspaces.add_member(ws.id, "vic@example.com", "viewer")
    assert admin.workspaces.set_role(ws.id, viewer.user.id, "member").role == "member"
    with pytest.raises(Forbidden, match="Only the owner can make someone an admin"):
        admin.workspaces.set_role(ws.id, viewer.user.id, "admin")
    with pytest.raises(Forbidden, match="owner"):
        admin.workspaces.set_role(ws.id, services.user.id, "viewer")
    with pytest.raises(Forbidden):
        admin.workspaces.remove_member(ws.id, other_admin.user.id)
    assert admin.workspaces.remove_member(ws.id, viewer.user.id) == "Vic"
    with pytest.raises(NotFound):
        viewer.workspaces.get(ws.id)
    with pytest.raises(Forbidden, match="owner"):
        admin.workspaces.delete(ws.id)


def test_adding_an_existing_member_or_unknown_person_says_so(
    services: Services, clock: FixedClock
) -> None:
    ws = services.workspaces.create("Acme")
    _person(services, clock, "Bob")
    services.workspaces.add_member(ws.id, "bob@example.com", "member")
    with pytest.raises(Conflict, match="already a member"):
        services.workspaces.add_member(ws.id, "bob@example.com", "viewer")
    with pytest.raises(NotFound, match=r"nobody@example\.com"):
        services.workspaces.add_member(ws.id, "nobody@example.com", "viewer")
    with pytest.raises(ValidationError):
        services.workspaces.add_member(ws.id, "bob@example.com", "owner")


def test_deleting_a_workspace_removes_its_projects_files_and_threads(
    services: Services,
) -> None:
    ws = services.workspaces.create("Doomed")
    project = services.projects.create(ws.id, "Site")
    file = services.files.create(project.id, "index.html", "<h1>hi</h1>")
    thread = services.chat.create_thread(project_id=project.id, title="About the site")
    keep = services.workspaces.create("Keep")
    kept_project = services.projects.create(keep.id, "Kept")

    assert services.workspaces.delete(ws.id) == "Doomed"

    assert [p.id for p in services.projects.list()] == [kept_project.id]
    with pytest.raises(NotFound):
        services.projects.get(project.id)
    with pytest.raises(NotFound):
        services.files.read(file.id)
    with pytest.raises(NotFound):
        services.chat.get_thread(thread.id)


def test_adding_an_unknown_member_says_how_teams_work(services: Services) -> None:
    # Issue 13, item 18: on SQLite "No user is known as ..." left a new user guessing.
    ws = services.workspaces.create("Team")
    with pytest.raises(NotFound) as err:
        services.workspaces.add_member(ws.id, "alice@example.com")
    message = err.value.message
    assert "No user is known as 'alice@example.com'" in message
    if services.ctx.db.is_sqlite:
        assert "local SQLite file" in message and "team mode, a shared PostgreSQL" in message
        assert "--database-url postgresql+psycopg://" in message
        assert "GRANT promptterm_user" in message
    else:
        assert "own PostgreSQL role" in message
