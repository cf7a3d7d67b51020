"""Row-level security on shared prompts (migration 0017), tried in raw SQL by teammates' own
PostgreSQL roles: a workspace's members read what is shared with it and write none of it,
outsiders see nothing, and the services refuse exactly what the database refuses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database
from promptterm.services.errors import Forbidden, NotFound
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import attempt, ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("ps_alice", "ps_bob", "ps_sam")
REFUSED = "row-level security|permission denied|only members of a workspace|only come from"


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


def _shared(team: dict[str, Services]) -> tuple[uuid.UUID, uuid.UUID]:
    """Alice's prompt, shared with a workspace Bob is a viewer of; Sam is outside it."""
    alice = team["ps_alice"]
    ws = alice.workspaces.create("Team")
    alice.workspaces.add_member(ws.id, "ps_bob", "viewer")
    made = alice.prompts.create("Review")
    alice.prompt_edits.add_module(made.id, "Role", ["You review code.", "You are strict."])
    alice.prompt_edits.add_variable(made.id, "lang")
    alice.prompt_edits.set_tags(made.id, ["team"])
    alice.prompts.sharing.share(made.id, ws.id)
    return made.id, ws.id


def _count(services: Services, sql: str, **params: object) -> int:
    [(n,)] = raw(services, sql, **params)
    assert isinstance(n, int)
    return n


READS = {
    "prompts": "SELECT count(*) FROM prompts WHERE id = :pid",
    "prompt_modules": "SELECT count(*) FROM prompt_modules WHERE prompt_id = :pid",
    "module_options": "SELECT count(*) FROM module_options o JOIN prompt_modules m"
    " ON m.id = o.module_id WHERE m.prompt_id = :pid",
    "prompt_variables": "SELECT count(*) FROM prompt_variables WHERE prompt_id = :pid",
    "prompt_tags": "SELECT count(*) FROM prompt_tags WHERE prompt_id = :pid",
    "prompt_versions": "SELECT count(*) FROM prompt_versions WHERE prompt_id = :pid",
}

# Every change a reader might try in SQL; each must touch no row or be refused.
WRITES = (
    "UPDATE prompts SET name = 'Mine' WHERE id = :pid RETURNING id",
    "UPDATE prompts SET shared_workspace_id = NULL WHERE id = :pid RETURNING id",
    "DELETE FROM prompts WHERE id = :pid RETURNING id",
    "UPDATE prompt_modules SET name = 'x' WHERE prompt_id = :pid RETURNING id",
    "DELETE FROM prompt_modules WHERE prompt_id = :pid RETURNING id",
    "UPDATE module_options SET content = 'x' WHERE module_id IN"
    " (SELECT id FROM prompt_modules WHERE prompt_id = :pid) RETURNING id",
    "DELETE FROM module_options WHERE module_id IN"
    " (SELECT id FROM prompt_modules WHERE prompt_id = :pid) RETURNING id",
    "UPDATE prompt_variables SET name = 'x' WHERE prompt_id = :pid RETURNING id",
    "DELETE FROM prompt_variables WHERE prompt_id = :pid RETURNING id",
    "DELETE FROM prompt_tags WHERE prompt_id = :pid RETURNING tag",
)
INSERTS = (
    "INSERT INTO prompt_modules (id, prompt_id, name, order_index, visible, created_at,"
    " updated_at) VALUES (:id, :pid, 'x', 9, true, now(), now()) RETURNING id",
    "INSERT INTO module_options (id, module_id, name, content, is_default, meta, created_at,"
    " updated_at) SELECT :id, m.id, 'x', 'x', false, '{}', now(), now() FROM prompt_modules m"
    " WHERE m.prompt_id = :pid LIMIT 1 RETURNING id",
    "INSERT INTO prompt_variables (id, prompt_id, name, type, config, created_at, updated_at)"
    " VALUES (:id, :pid, 'x', 'text', '{}', now(), now()) RETURNING id",
    "INSERT INTO prompt_tags (prompt_id, tag, user_id) VALUES (:pid, 'x', :uid) RETURNING tag",
    "INSERT INTO prompt_versions (id, prompt_id, user_id, version, snapshot, created_at)"
    " VALUES (:id, :pid, :uid, 99, '{}', now()) RETURNING id",
    "INSERT INTO prompt_usage (id, user_id, prompt_id, action, meta, created_at)"
    " VALUES (:id, :uid, :pid, 'render', '{}', now()) RETURNING id",
)


def test_members_read_a_shared_prompt_and_outsiders_see_nothing(
    team: dict[str, Services],
) -> None:
    bob, sam = team["ps_bob"], team["ps_sam"]
    prompt_id, _ = _shared(team)
    for table, sql in READS.items():
        assert _count(bob, sql, pid=prompt_id) >= 1, table
        assert _count(sam, sql, pid=prompt_id) == 0, table
    # What the services show is what the database lets them read.
    assert [m.name for m in bob.prompts.get(prompt_id).modules] == ["Role"]
    assert bob.prompts.get(prompt_id).tags == ("team",)
    assert [p.id for p in bob.prompts.sharing.shared_with_me()] == [prompt_id]
    assert len(bob.prompt_edits.versions(prompt_id)) == 4
    with pytest.raises(NotFound):
        sam.prompts.get(prompt_id)


def test_a_reader_writes_nothing_of_a_shared_prompt(team: dict[str, Services]) -> None:
    alice, bob = team["ps_alice"], team["ps_bob"]
    prompt_id, _ = _shared(team)
    before = alice.prompts.get(prompt_id)
    for sql in WRITES:
        assert raw(bob, sql, pid=prompt_id) == [], sql
    for sql in INSERTS:
        for uid in (bob.user.id, alice.user.id):  # in his own name, or in hers
            assert not attempt(bob, [sql], id=uuid.uuid4(), pid=prompt_id, uid=uid), sql
    assert alice.prompts.get(prompt_id) == before
    # The services refuse the same, and say why.
    with pytest.raises(Forbidden, match="shared with you to read"):
        bob.prompt_edits.add_module(prompt_id, "More", ["x"])
    with pytest.raises(Forbidden, match="shared with you to read"):
        bob.prompts.sharing.unshare(prompt_id)
    assert bob.prompt_usage.record(prompt_id, "render") is None
    # Alice, the owner, still writes all of it.
    assert raw(alice, WRITES[0], pid=prompt_id) == [(prompt_id,)]
    assert raw(alice, WRITES[1], pid=prompt_id) == [(prompt_id,)]
    assert raw(bob, READS["prompts"], pid=prompt_id) == [(0,)]


def test_only_members_share_with_a_workspace(team: dict[str, Services]) -> None:
    sam = team["ps_sam"]
    _, ws = _shared(team)
    sams = sam.prompts.create("Sam's").id
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(sam, "UPDATE prompts SET shared_workspace_id = :ws WHERE id = :id", ws=ws, id=sams)
    with pytest.raises(NotFound, match="not a member"):
        sam.prompts.sharing.share(sams, ws)
    # A viewer belongs to the workspace, so shares with it (in SQL and through the services).
    bob = team["ps_bob"]
    bobs = bob.prompts.create("Bob's").id
    assert raw(
        bob,
        "UPDATE prompts SET shared_workspace_id = :ws WHERE id = :id RETURNING id",
        ws=ws,
        id=bobs,
    ) == [(bobs,)]
    assert bob.prompts.sharing.share(bobs, ws).workspace == "Team"


def test_a_copy_comes_only_from_what_its_maker_reads(team: dict[str, Services]) -> None:
    bob, sam = team["ps_bob"], team["ps_sam"]
    prompt_id, _ = _shared(team)
    copy = bob.prompts.sharing.copy(prompt_id)
    assert copy.copied_from_id == prompt_id and copy.user_id == bob.user.id
    assert bob.prompt_edits.rename(copy.id, "Bob's review").name == "Bob's review"
    forged = (
        "INSERT INTO prompts (id, user_id, copied_from_id, name, version, usage_count,"
        " created_at, updated_at) VALUES (:id, :uid, :src, 'x', 1, 0, now(), now())"
    )
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(sam, forged, id=uuid.uuid4(), uid=sam.user.id, src=prompt_id)
    with pytest.raises(NotFound):
        sam.prompts.sharing.copy(prompt_id)
