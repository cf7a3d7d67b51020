"""Team mode on PostgreSQL: each person's own role, and row-level security as a second wall.

The services already refuse what a person may not do; these tests go around the services
with raw SQL from a teammate's role and show that the database refuses it too.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from promptterm.db.engine import Database, create_database
from promptterm.services.context import SequentialIds
from promptterm.services.errors import Forbidden
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer

pytestmark = pytest.mark.postgres
PEOPLE = ("alice", "bob")


@pytest.fixture(scope="session")
def team_roles(pg_server: PostgresServer, _postgres_template: str) -> tuple[str, ...]:
    # The template's migrations create the promptterm_user group role granted here.
    with psycopg.connect(pg_server.url("postgres").replace("+psycopg", ""), autocommit=True) as c:
        for name in PEOPLE:
            exists = c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            if not exists:
                c.execute(f"CREATE ROLE {name} LOGIN")
            c.execute(f"GRANT promptterm_user TO {name}")
    return PEOPLE


@pytest.fixture
def team(
    database: Database, team_roles: tuple[str, ...], clock: FixedClock
) -> Iterator[dict[str, Services]]:
    """Services for Alice and Bob, each logged in to the same database with their own role."""
    owner_db = database
    people: dict[str, Services] = {}
    for name in team_roles:
        url = make_url(owner_db.url).set(username=name).render_as_string(hide_password=False)
        people[name] = Services.for_database(
            create_database(url),
            clock=clock,
            new_id=SequentialIds(1000 * (len(people) + 1)),
            migrate=False,
        )
    yield people
    for services in people.values():
        services.close()


@pytest.fixture(params=["postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    # This module is about PostgreSQL roles only: override the sqlite/postgres parameters.
    return str(request.param)


def raw(services: Services, sql: str, **params: object) -> list[tuple[object, ...]]:
    with services.ctx.db.engine.begin() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def test_each_role_is_its_own_user(team: dict[str, Services]) -> None:
    assert team["alice"].user.db_role == "alice"
    assert team["bob"].user.db_role == "bob"
    assert team["alice"].user.id != team["bob"].user.id


def test_raw_sql_sees_only_ones_own_rows(team: dict[str, Services]) -> None:
    alice, bob = team["alice"], team["bob"]
    ws = alice.workspaces.create("Alice's")
    alice.projects.create(ws.id, "Secret project")
    alice.components.create("role", "Private role", "You are Alice's assistant.")
    thread = alice.chat.create_thread(title="Private thread")
    alice.chat.add_message(thread.id, "user", "my secret question")

    for table in (
        "workspaces",
        "workspace_members",
        "projects",
        "components",
        "conversations",
        "messages",
    ):
        assert raw(bob, f"SELECT count(*) FROM {table}") == [(0,)], table
    # Writes that would touch Alice's rows touch nothing.
    assert raw(bob, "UPDATE components SET content = 'pwned' RETURNING id") == []
    assert raw(bob, "DELETE FROM projects RETURNING id") == []
    assert alice.components.list()[0].content == "You are Alice's assistant."


def test_membership_opens_a_workspace_and_roles_limit_writes(team: dict[str, Services]) -> None:
    alice, bob = team["alice"], team["bob"]
    ws = alice.workspaces.create("Shared")
    project = alice.projects.create(ws.id, "Site")
    alice.workspaces.add_member(ws.id, "bob", "viewer")

    assert [p.name for p in bob.projects.list(ws.id)] == ["Site"]
    assert raw(bob, "SELECT name FROM projects") == [("Site",)]
    with pytest.raises(Forbidden):
        bob.projects.create(ws.id, "Bob's")
    # Around the services, the database says no as well.
    with pytest.raises(ProgrammingError, match="row-level security"):
        raw(
            bob,
            "INSERT INTO projects (id, workspace_id, name, slug, visibility, settings,"
            " created_at, updated_at) VALUES (gen_random_uuid(), :ws, 'x', 'x', 'private',"
            " '{}', now(), now())",
            ws=ws.id,
        )
    # A viewer may open a project (its last_accessed_at) and change nothing else in it.
    with pytest.raises(ProgrammingError, match="viewer can open a project but not change it"):
        raw(bob, "UPDATE projects SET name = 'hacked' RETURNING id")
    assert bob.projects.open(project.id).name == "Site"
    assert raw(bob, "UPDATE workspace_members SET role = 'owner' RETURNING id") == []

    alice.workspaces.set_role(ws.id, bob.user.id, "member")
    assert bob.projects.rename(project.id, "Site v2").name == "Site v2"
    assert raw(bob, "DELETE FROM projects RETURNING id") == []  # deleting needs an admin
