"""Issue 19, item 7: on PostgreSQL a teammate's own role, in raw SQL, reads and adds only their
own log entries and can change none, exactly what ActivityService allows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import ProgrammingError

from promptterm.db.engine import Database
from promptterm.services.activity import CaughtError
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("alice", "bob")


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


def test_a_teammate_reads_and_adds_only_their_own_entries_and_changes_none(
    team: dict[str, Services],
) -> None:
    alice, bob = team["alice"], team["bob"]
    mine = alice.activity.record_error(CaughtError("KeyError", "alice's", None, "error"))
    bob.activity.record_error(CaughtError("KeyError", "bob's", None, "error"))
    # The services: each sees their own.
    assert [e.message for e in alice.activity.list().entries] == ["alice's"]
    assert [e.message for e in bob.activity.list().entries] == ["bob's"]
    # Raw SQL as bob: alice's entry is invisible, and he cannot forge one in her name.
    assert raw(bob, "SELECT message FROM activity_log") == [("bob's",)]
    assert raw(bob, "SELECT 1 FROM activity_log WHERE id = :id", id=mine) == []
    assert raw(bob, "DELETE FROM activity_log WHERE id = :id RETURNING id", id=mine) == []
    with pytest.raises(ProgrammingError, match="row-level security"):
        raw(
            bob,
            "INSERT INTO activity_log (id, user_id, at, kind, status, context, size)"
            " VALUES (gen_random_uuid(), :alice, now(), 'error', 'error', '{}', 0)",
            alice=alice.user.id,
        )
    # Nobody rewrites history, not even their own.
    with pytest.raises(ProgrammingError, match="permission denied"):
        raw(alice, "UPDATE activity_log SET message = 'nothing happened' WHERE id = :id", id=mine)
    assert alice.activity.get(mine).message == "alice's"
    # Retention deletes one's own entries: allowed.
    assert raw(alice, "DELETE FROM activity_log WHERE id = :id RETURNING id", id=mine) != []
