"""Row-level security on mcp_servers and mcp_checks, tried in raw SQL by teammates' own
PostgreSQL roles, and the services refusing the same things."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database
from promptterm.services.errors import Forbidden
from promptterm.services.facade import Services
from promptterm.services.mcp.probe import Probe
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import ensure_login_roles, log_in, raw

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("memory_keyring")]
PEOPLE = ("mcp_alice", "mcp_bob", "mcp_vera", "mcp_olga")
REFUSED = "row-level security|permission denied|violates check constraint"


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


def _shared(team: dict[str, Services]) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    alice = team["mcp_alice"]
    ws = alice.workspaces.create("Team")
    alice.workspaces.add_member(ws.id, "mcp_bob", "member")
    alice.workspaces.add_member(ws.id, "mcp_olga", "viewer")
    shared = alice.mcp.add_http("hosted", "https://mcp.example.test/mcp", workspace_id=ws.id)
    private = alice.mcp.add_stdio("local", "cat")
    return ws.id, shared.id, private.id


def test_members_read_a_shared_server_and_nobody_else_reads_or_changes_it(
    team: dict[str, Services],
) -> None:
    alice, bob, vera = team["mcp_alice"], team["mcp_bob"], team["mcp_vera"]
    _, shared, private = _shared(team)
    assert {r[0] for r in raw(alice, "SELECT name FROM mcp_servers")} == {"hosted", "local"}
    assert raw(bob, "SELECT id FROM mcp_servers") == [(shared,)]
    assert raw(vera, "SELECT id FROM mcp_servers") == []
    for sql in (
        "UPDATE mcp_servers SET command = 'rm' WHERE id = :id RETURNING id",
        "DELETE FROM mcp_servers WHERE id = :id RETURNING id",
    ):
        for target in (shared, private):
            assert raw(bob, sql, id=target) == []  # not his to change: no row matches
    assert [s.name for s in bob.mcp.list()] == ["hosted"]
    with pytest.raises(Forbidden, match="only its owner can change it"):
        bob.mcp.set_enabled("hosted", False)


def test_nobody_plants_a_server_or_a_check_in_someone_elses_name(
    team: dict[str, Services],
) -> None:
    alice, bob, olga = team["mcp_alice"], team["mcp_bob"], team["mcp_olga"]
    ws, shared, private = _shared(team)
    insert = (
        "INSERT INTO mcp_servers (id, user_id, workspace_id, name, endpoint, transport, command,"
        " url, args, env_names, header_names, enabled, status, config, metadata, created_at,"
        " updated_at) VALUES (:id, :uid, :ws, :name, 'x', :transport, :command, :url, '[]',"
        " '[]', '[]', true, 'inactive', '{}', '{}', now(), now())"
    )
    # A stdio server in Alice's name (it would run on her machine), or any in a workspace
    # by a viewer, or a stdio server shared at all: refused.
    tries = (
        (bob, {"uid": alice.user.id, "ws": None, "transport": "stdio", "command": "sh"}),
        (olga, {"uid": olga.user.id, "ws": ws, "transport": "http", "command": None}),
        (bob, {"uid": bob.user.id, "ws": ws, "transport": "stdio", "command": "sh"}),
    )
    for who, values in tries:
        params = {"id": uuid.uuid4(), "name": "planted", "url": "http://x.test", **values}
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(who, insert, **params)
    check = (
        "INSERT INTO mcp_checks (id, server_id, user_id, checked_at, status)"
        " VALUES (:id, :sid, :uid, now(), 'active')"
    )
    for sid, uid in ((private, bob.user.id), (shared, alice.user.id)):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(bob, check, id=uuid.uuid4(), sid=sid, uid=uid)
    # What the app does: Bob checks the shared server; the check is his, the row Alice's.
    bob.mcp.record(shared, Probe(ok=False, latency_ms=3, error="refused"))
    assert alice.mcp.get("hosted").status == "inactive"
    assert [c.error for c in bob.mcp.history("hosted")] == ["refused"]
    assert alice.mcp.history("hosted") == []
    with pytest.raises(Forbidden, match="owner, admins and members"):
        olga.mcp.add_http("mine", "https://x.test/mcp", workspace_id=ws)
