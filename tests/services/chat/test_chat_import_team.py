"""Team mode (PostgreSQL, each person their own login role, row-level security on): an
import runs under the importer's role, its threads and their import keys are theirs alone,
and raw SQL as a teammate neither sees nor claims them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.import_fixtures import CLAUDE
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


def test_imports_are_personal_even_in_raw_sql(team: dict[str, Services]) -> None:
    alice, bob = team["alice"], team["bob"]
    assert alice.chat_import.import_file("claude", CLAUDE).new_threads == 2
    assert bob.chat_import.import_file("claude", CLAUDE).new_threads == 2  # his own copy
    imported = "SELECT count(*) FROM conversations WHERE import_source = 'claude'"
    assert raw(bob, imported) == [(2,)]
    [(lisbon,)] = raw(alice, "SELECT id FROM conversations WHERE import_key = :k", k=CLAUDE_LISBON)
    # Bob can neither rewrite Alice's import key (her row is invisible to him) ...
    changed = raw(
        bob,
        "UPDATE conversations SET import_key = 'x' WHERE id = :id RETURNING id",
        id=lisbon,
    )
    assert changed == []
    # ... nor plant a thread under her name to make her next import skip it.
    alice_id = alice.user.id
    with pytest.raises(DBAPIError, match="row-level security"):
        raw(
            bob,
            "INSERT INTO conversations (id, user_id, context, is_archived, preset_history,"
            " total_tokens, created_at, updated_at, import_source, import_key)"
            " VALUES (gen_random_uuid(), :uid, '{}', false, '[]', 0, now(), now(),"
            " 'claude', 'planted')",
            uid=alice_id,
        )
    again = alice.chat_import.import_file("claude", CLAUDE)
    assert [t.status for t in again.threads] == ["unchanged", "unchanged"]


CLAUDE_LISBON = "11111111-1111-4111-8111-111111111111"
