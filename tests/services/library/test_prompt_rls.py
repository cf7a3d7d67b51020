"""Row-level security on the prompt tables of issue 15, tried in raw SQL by teammates' own
PostgreSQL roles: versions, tags and uses are their owner's alone, versions and uses cannot be
rewritten, and only someone who edits in a project may file a prompt under it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("pe_alice", "pe_bob", "pe_vera")
REFUSED = "row-level security|permission denied|only members of a project"


@pytest.fixture(params=["postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def team(
    database: Database, pg_server: PostgresServer, _postgres_template: str, clock: FixedClock
) -> Iterator[dict[str, Services]]:
    ensure_login_roles(pg_server, PEOPLE)
    people = {name: log_in(database, name, clock, 1000 * (n + 1)) for n, name in enumerate(PEOPLE)}
    yield people
    for services in people.values():
        services.close()


def _count(services: Services, sql: str, **params: object) -> int:
    [(n,)] = raw(services, sql, **params)
    assert isinstance(n, int)
    return n


def _alices_prompt(alice: Services) -> uuid.UUID:
    made = alice.prompts.create("Secret")
    alice.prompt_edits.add_module(made.id, "Role", ["classified"])
    alice.prompt_edits.set_tags(made.id, ["private"])
    alice.prompt_usage.record(made.id, "copy", values={})
    return made.id


def test_others_cannot_read_or_forge_versions_tags_or_uses(team: dict[str, Services]) -> None:
    alice, bob = team["pe_alice"], team["pe_bob"]
    prompt_id = _alices_prompt(alice)
    for table in ("prompt_versions", "prompt_tags", "prompt_usage"):
        assert _count(alice, f"SELECT count(*) FROM {table}") >= 1
        assert _count(bob, f"SELECT count(*) FROM {table}") == 0
    forgeries = (
        "INSERT INTO prompt_versions (id, prompt_id, user_id, version, snapshot, created_at)"
        " VALUES (:id, :pid, :uid, 99, '{}', now())",
        "INSERT INTO prompt_tags (prompt_id, tag, user_id) VALUES (:pid, 'forged', :uid)",
        "INSERT INTO prompt_usage (id, user_id, prompt_id, action, meta, created_at)"
        " VALUES (:id, :uid, :pid, 'send', '{}', now())",
    )
    for uid in (alice.user.id, bob.user.id):  # in Alice's name, or in his own
        for sql in forgeries:
            with pytest.raises(DBAPIError, match=REFUSED):
                raw(bob, sql, id=uuid.uuid4(), pid=prompt_id, uid=uid)
    assert [s.version for s in alice.prompt_edits.versions(prompt_id)] == [3, 2, 1]
    assert alice.prompts.get(prompt_id).tags == ("private",)


def test_versions_and_uses_cannot_be_rewritten_even_by_their_owner(
    team: dict[str, Services],
) -> None:
    alice = team["pe_alice"]
    _alices_prompt(alice)
    for sql in (
        "UPDATE prompt_versions SET snapshot = '{}'",
        "DELETE FROM prompt_versions",
        "UPDATE prompt_usage SET action = 'render'",
        "DELETE FROM prompt_usage",
    ):
        with pytest.raises(DBAPIError, match="permission denied"):
            raw(alice, sql)
    # Tags are hers to change, as the app does.
    assert raw(alice, "DELETE FROM prompt_tags RETURNING tag") == [("private",)]
    assert _count(alice, "SELECT count(*) FROM prompt_tags") == 0


def test_only_an_editor_of_a_project_files_prompts_under_it(team: dict[str, Services]) -> None:
    alice, bob, vera = team["pe_alice"], team["pe_bob"], team["pe_vera"]
    ws = alice.workspaces.create("Team")
    project = alice.projects.create(ws.id, "Site")
    alice.workspaces.add_member(ws.id, "pe_bob", "member")
    alice.workspaces.add_member(ws.id, "pe_vera", "viewer")
    verb = "UPDATE prompts SET project_id = :project WHERE id = :id RETURNING id"

    veras = vera.prompts.create("Vera's").id
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(vera, verb, project=project.id, id=veras)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(
            vera,
            "INSERT INTO prompts (id, user_id, project_id, name, version, usage_count,"
            " created_at, updated_at) VALUES (:id, :uid, :project, 'x', 1, 0, now(), now())",
            id=uuid.uuid4(),
            uid=vera.user.id,
            project=project.id,
        )
    # What a viewer may still do with her prompt: everything else.
    assert raw(vera, "UPDATE prompts SET name = 'Renamed' WHERE id = :id RETURNING id", id=veras)

    bobs = bob.prompts.create("Bob's").id
    assert raw(bob, verb, project=project.id, id=bobs) == [(bobs,)]
    # Nobody files someone else's prompt: the row is not theirs to see.
    assert raw(bob, verb, project=project.id, id=veras) == []
    # And the services refuse what the database refuses.
    assert bob.prompts.get(bobs).project_id == project.id
