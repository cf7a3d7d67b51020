"""Issue 12, items 1-3: raw SQL from a teammate's own PostgreSQL role, trying what the app
refuses: taking over a workspace, destroying history, forging authorship, reading everyone,
writing one's own invoices. Each must be refused, and what the app does must keep working.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from promptterm.db.engine import Database
from promptterm.db.migrate import ensure_schema, upgrade
from promptterm.providers.base import RetryPolicy, Timeouts
from promptterm.services.facade import Services
from support.chat_fixtures import usage_records
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.postgres import PostgresServer
from support.team import ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("alice", "bob", "carol", "dave")
REFUSED = "row-level security|permission denied|cannot be changed"


@pytest.fixture(params=["postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def team_roles(pg_server: PostgresServer, _postgres_template: str) -> tuple[str, ...]:
    ensure_login_roles(pg_server, PEOPLE)
    return PEOPLE


@pytest.fixture
def team(
    database: Database, team_roles: tuple[str, ...], clock: FixedClock
) -> Iterator[dict[str, Services]]:
    people = {name: log_in(database, name, clock, 1000 * (n + 1)) for n, name in enumerate(PEOPLE)}
    yield people
    for services in people.values():
        services.close()


def _count(services: Services, sql: str, **params: object) -> int:
    [(n,)] = raw(services, sql, **params)
    assert isinstance(n, int)
    return n


# -- 1. an admin cannot take over or destroy the workspace ---------------------------------


def test_an_admin_cannot_make_themselves_owner_remove_the_owner_or_delete_the_workspace(
    team: dict[str, Services], database: Database
) -> None:
    alice, bob = team["alice"], team["bob"]
    ws = alice.workspaces.create("Shared")
    alice.projects.create(ws.id, "Site")
    alice.workspaces.add_member(ws.id, "bob", "admin")
    ids = {"ws": ws.id, "alice": alice.user.id, "bob": bob.user.id}

    # The steps of the takeover, each tried on its own.
    promote = (
        "UPDATE workspace_members SET role = 'owner'"
        " WHERE workspace_id = :ws AND user_id = :bob RETURNING id"
    )
    assert raw(bob, promote, **ids) == []
    assert (
        raw(
            bob,
            "DELETE FROM workspace_members WHERE workspace_id = :ws AND user_id = :alice"
            " RETURNING id",
            **ids,
        )
        == []
    )
    with pytest.raises(ProgrammingError, match=REFUSED):
        raw(bob, "UPDATE workspaces SET owner_id = :bob WHERE id = :ws", **ids)
    assert raw(bob, "DELETE FROM workspaces WHERE id = :ws RETURNING id", **ids) == []
    # Nor by inviting a second owner, or a stranger as admin.
    with pytest.raises(ProgrammingError, match=REFUSED):
        raw(
            bob,
            "INSERT INTO workspace_members (id, workspace_id, user_id, role, invited_by,"
            " joined_at) VALUES (gen_random_uuid(), :ws, :carol, 'owner', :bob, now())",
            carol=team["carol"].user.id,
            **ids,
        )

    # Nothing changed: Alice still owns the workspace and everything in it.
    members = {m.display_name: m.role for m in alice.workspaces.members(ws.id)}
    assert members == {"alice": "owner", "bob": "admin"}
    assert [p.name for p in alice.projects.list(ws.id)] == ["Site"]
    # What an admin may do still works: rename the workspace, manage members below admin.
    assert bob.workspaces.rename(ws.id, "Shared v2").name == "Shared v2"
    bob.workspaces.add_member(ws.id, "carol", "member")
    assert bob.workspaces.set_role(ws.id, team["carol"].user.id, "viewer").role == "viewer"


def test_nobody_removes_or_demotes_the_last_owner_in_raw_sql(team: dict[str, Services]) -> None:
    alice = team["alice"]
    ws = alice.workspaces.create("Mine")
    ids = {"ws": ws.id, "alice": alice.user.id}
    where = "workspace_id = :ws AND user_id = :alice"
    assert raw(alice, f"DELETE FROM workspace_members WHERE {where} RETURNING id", **ids) == []
    assert (
        raw(alice, f"UPDATE workspace_members SET role = 'admin' WHERE {where} RETURNING id", **ids)
        == []
    )
    assert [m.role for m in alice.workspaces.members(ws.id)] == ["owner"]
    # The owner deletes the workspace, memberships and all, in the app and in SQL alike.
    assert raw(alice, "DELETE FROM workspaces WHERE id = :ws RETURNING id", **ids) == [(ws.id,)]
    assert alice.workspaces.list() == []


# -- 2. history is append-only and truthful ------------------------------------------------


@pytest.fixture
def shared_file(team: dict[str, Services]) -> tuple[uuid.UUID, uuid.UUID]:
    alice = team["alice"]
    ws = alice.workspaces.create("Docs")
    project = alice.projects.create(ws.id, "Handbook")
    alice.workspaces.add_member(ws.id, "dave", "member")
    file = alice.files.create(project.id, "intro.md", "Welcome\n")
    alice.files.save(file.id, "Welcome, all\n", base_version=1)
    return project.id, file.id


def test_a_member_cannot_delete_a_file_or_its_history_in_raw_sql(
    team: dict[str, Services], shared_file: tuple[uuid.UUID, uuid.UUID]
) -> None:
    dave, alice = team["dave"], team["alice"]
    project_id, file_id = shared_file
    for sql in (
        "DELETE FROM files WHERE id = :file",
        "DELETE FROM file_versions WHERE file_id = :file",
        "UPDATE file_versions SET change_message = 'nothing happened' WHERE file_id = :file",
    ):
        with pytest.raises(ProgrammingError, match="permission denied"):
            raw(dave, sql, file=file_id)
    assert [v.number for v in alice.files.versions(file_id)] == [2, 1]

    # What the app lets a member do: trash it, and bring it back with its history.
    dave.files.delete(file_id)
    assert [f.path for f in alice.files.trash(project_id)] == ["intro.md"]
    dave.files.undelete(file_id)
    assert alice.files.read(file_id).text == "Welcome, all\n"
    assert len(alice.files.versions(file_id)) == 2


def test_a_version_is_credited_to_whoever_saves_it(
    team: dict[str, Services], shared_file: tuple[uuid.UUID, uuid.UUID]
) -> None:
    dave, alice = team["dave"], team["alice"]
    _, file_id = shared_file
    forged = (
        "INSERT INTO file_versions (id, file_id, version_number, encoding, payload, size_bytes,"
        " sha256, changed_by, change_message, created_at) VALUES (gen_random_uuid(), :file, 3,"
        " 'zlib', '\\x00', 1, repeat('0', 64), :alice, 'Alice wrote this', now())"
    )
    with pytest.raises(ProgrammingError, match="row-level security"):
        raw(dave, forged, file=file_id, alice=alice.user.id)

    dave.files.save(file_id, "Welcome, all. Dave was here.\n", base_version=2)
    newest = alice.files.versions(file_id)[0]
    assert (newest.number, newest.author) == (3, "dave")


def test_a_file_is_credited_to_whoever_creates_it_and_stays_so(
    team: dict[str, Services], shared_file: tuple[uuid.UUID, uuid.UUID]
) -> None:
    dave, alice = team["dave"], team["alice"]
    project_id, file_id = shared_file
    ids = {"project": project_id, "alice": alice.user.id, "file": file_id}
    [(forged,)] = raw(
        dave,
        "INSERT INTO files (id, project_id, path, name, type, size_bytes, head_version,"
        " is_deleted, content_state, created_by, created_at, updated_at) VALUES"
        " (gen_random_uuid(), :project, 'x.md', 'x.md', 'file', 0, 0, false, 'text', :alice,"
        " now(), now()) RETURNING created_by",
        **ids,
    )
    assert forged == dave.user.id  # not Alice: the database credits the session's user
    with pytest.raises(ProgrammingError, match=r"files\.created_by cannot be changed"):
        raw(dave, "UPDATE files SET created_by = :alice WHERE path = 'x.md'", **ids)
    with pytest.raises(ProgrammingError, match=r"files\.created_by cannot be changed"):
        raw(dave, "UPDATE files SET created_by = NULL WHERE id = :file", **ids)

    # What the app does still works: a member creates and saves files as themselves.
    made = dave.files.create(project_id, "notes.md", "Dave's notes\n")
    [(author,)] = raw(alice, "SELECT created_by FROM files WHERE id = :id", id=made.id)
    assert author == dave.user.id


# -- 3. people see only their teammates; billing rows are the system's ---------------------


def test_teammates_see_only_the_people_they_share_a_workspace_with(
    team: dict[str, Services],
) -> None:
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    ws = alice.workspaces.create("Pair")
    alice.workspaces.add_member(ws.id, "bob", "member")
    names = "SELECT display_name FROM users ORDER BY display_name"

    assert raw(bob, names) == [("alice",), ("bob",)]
    assert raw(carol, names) == [("carol",)]
    assert raw(carol, "SELECT count(*) FROM users WHERE db_role = 'dave'") == [(0,)]
    # An owner still finds someone new by their exact role or email to invite them...
    alice.workspaces.add_member(ws.id, "carol", "viewer")
    assert raw(carol, names) == [("alice",), ("bob",), ("carol",)]
    # ... and a teammate cannot plant a person with someone else's email to hijack that.
    with pytest.raises(ProgrammingError, match="row-level security"):
        raw(
            bob,
            "INSERT INTO users (id, display_name, email, is_local, preferences, created_at,"
            " updated_at) VALUES (gen_random_uuid(), 'Dave', 'dave@x', false, '{}', now(), now())",
        )


def test_invoices_and_payments_are_written_by_the_system_and_read_by_their_owner(
    team: dict[str, Services], database: Database, clock: FixedClock
) -> None:
    bob = team["bob"]
    # The tables' owner (the system: a processor sync) records Bob's invoice and payment.
    system = Services.for_database(database, clock=clock, migrate=False).as_user(bob.user.id)
    system.billing.record_invoice(amount_due_cents=2000, status="paid", external_id="in_1")
    system.billing.record_payment(amount_cents=2000, status="succeeded", external_id="pi_1")
    assert [i.external_id for i in bob.billing.invoices()] == ["in_1"]
    assert [p.external_id for p in bob.billing.payments()] == ["pi_1"]
    assert team["carol"].billing.invoices() == [] and team["carol"].billing.payments() == []

    own = {"me": bob.user.id}
    for sql in (
        "INSERT INTO payment_history (id, user_id, amount, currency, status, created_at)"
        " VALUES (gen_random_uuid(), :me, 0, 'usd', 'succeeded', now())",
        "INSERT INTO invoices (id, user_id, amount_due, currency, status, created_at)"
        " VALUES (gen_random_uuid(), :me, 0, 'usd', 'paid', now())",
        "UPDATE invoices SET status = 'void', amount_paid = 0 WHERE user_id = :me",
        "UPDATE payment_history SET status = 'refunded' WHERE user_id = :me",
        "DELETE FROM payment_history WHERE user_id = :me",
        "DELETE FROM invoices WHERE user_id = :me",
    ):
        with pytest.raises(ProgrammingError, match="permission denied"):
            raw(bob, sql, **own)
    assert [(p.status, p.amount_cents) for p in bob.billing.payments()] == [("succeeded", 2000)]


def test_a_chat_send_meters_usage_as_the_sender_who_cannot_erase_it(
    team: dict[str, Services], llm: LLMServer
) -> None:
    bob = team["bob"]
    bob.providers.retry = RetryPolicy(base_delay=0.01)
    bob.providers.timeouts = Timeouts(connect=2, read=2)
    bob.providers.add(
        "local", "openai-compatible", base_url=llm.openai_url, default_model="test-model"
    )
    thread = bob.chat.create_thread()
    llm.push(Script(text="Paris."))
    result = bob.chat_send.send(thread.id, "Capital of France?")
    assert (result.status, result.error) == ("complete", None)
    [record] = usage_records(bob)
    assert record.user_id == bob.user.id and record.tokens_out > 0
    used = bob.billing.meter()

    # Erasing or shrinking one's usage would get round the monthly token limit.
    for sql in (
        "DELETE FROM usage_records",
        "UPDATE usage_records SET tokens_out = 0, amount = 0",
    ):
        with pytest.raises(ProgrammingError, match="permission denied"):
            raw(bob, sql)
    assert bob.billing.meter() == used
    # Nor can anyone bill their usage to someone else.
    with pytest.raises(ProgrammingError, match="row-level security"):
        raw(
            bob,
            "INSERT INTO usage_records (id, user_id, resource_type, amount, unit, tokens_in,"
            " tokens_out, meta, recorded_at, created_at) VALUES (gen_random_uuid(), :alice,"
            " 'ai_tokens', 99999, 'tokens', 99999, 0, '{}', now(), now())",
            alice=team["alice"].user.id,
        )


# -- the migration: an existing team database keeps its rows and gets the new rules --------


def test_a_team_database_at_0009_upgrades_keeping_its_rows_and_closes_the_takeover(
    empty_database: Database, team_roles: tuple[str, ...], clock: FixedClock
) -> None:
    upgrade(empty_database, "0009_billing_indexes")
    alice_id, bob_id, ws_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with empty_database.engine.begin() as conn:
        for user_id, role in ((alice_id, "alice"), (bob_id, "bob")):
            conn.execute(
                text(
                    "INSERT INTO users (id, display_name, db_role, is_local, preferences,"
                    " created_at, updated_at) VALUES (:id, :role, :role, false, '{}', now(), now())"
                ),
                {"id": user_id, "role": role},
            )
        conn.execute(
            text(
                "INSERT INTO workspaces (id, name, slug, owner_id, settings, is_active,"
                " created_at, updated_at) VALUES (:id, 'Legacy', 'legacy', :owner, '{}', true,"
                " now(), now())"
            ),
            {"id": ws_id, "owner": alice_id},
        )
        for user_id, role in ((alice_id, "owner"), (bob_id, "admin")):
            conn.execute(
                text(
                    "INSERT INTO workspace_members (id, workspace_id, user_id, role, joined_at)"
                    " VALUES (gen_random_uuid(), :ws, :user, :role, now())"
                ),
                {"ws": ws_id, "user": user_id, "role": role},
            )

    assert ensure_schema(empty_database) is True
    bob = log_in(empty_database, "bob", clock)
    try:
        assert bob.user.id == bob_id
        assert {m.display_name: m.role for m in bob.workspaces.members(ws_id)} == {
            "alice": "owner",
            "bob": "admin",
        }
        assert (
            raw(bob, "DELETE FROM workspace_members WHERE user_id = :a RETURNING id", a=alice_id)
            == []
        )
        assert raw(bob, "DELETE FROM workspaces RETURNING id") == []
    finally:
        bob.close()
