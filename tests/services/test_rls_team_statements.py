"""Team mode, issue 18: statements, their lines and payments are written by the system only;
each person reads their own; owners and admins (only they) change a member's plan and record
a payment made outside. Raw SQL as the teammates' own login roles, and the services' words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database
from promptterm.services.billing import AdminRecorded
from promptterm.services.errors import Conflict, Forbidden
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import attempt, ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("alice", "bob", "carol")


@pytest.fixture(params=["postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def team(
    database: Database, pg_server: PostgresServer, _postgres_template: str, clock: FixedClock
) -> Iterator[dict[str, Services]]:
    ensure_login_roles(pg_server, PEOPLE)
    people = {name: log_in(database, name, clock, 1000 * (n + 1)) for n, name in enumerate(PEOPLE)}
    ws = people["alice"].workspaces.create("Shared")
    for name in ("bob", "carol"):
        people["alice"].workspaces.add_member(ws.id, name, "member")
    yield people
    for services in people.values():
        services.close()


def _bob_statement(team: dict[str, Services], clock: FixedClock) -> str:
    bob = team["bob"]
    bob.billing.record_usage(
        tokens_in=10, tokens_out=0, provider="openai", model="gpt-4o", cost_usd=Decimal("1")
    )
    clock.advance(days=40)
    (statement,) = bob.statements.statements()
    return str(statement.id)


def test_people_read_only_their_own_statements_and_lines(
    team: dict[str, Services], clock: FixedClock
) -> None:
    statement = _bob_statement(team, clock)
    assert raw(team["bob"], "SELECT count(*) FROM invoice_lines") == [(1,)]
    assert raw(team["carol"], "SELECT count(*) FROM invoice_lines") == [(0,)]
    assert raw(team["carol"], "SELECT count(*) FROM invoices") == [(0,)]
    assert team["carol"].statements.statements() == []
    assert raw(team["bob"], "SELECT amount_due FROM invoices WHERE id = :i", i=statement) == [
        (100,)
    ]


def test_nobody_writes_a_statement_line_or_payment_with_sql(
    team: dict[str, Services], clock: FixedClock
) -> None:
    statement = _bob_statement(team, clock)
    bob = team["bob"]
    uid = str(bob.user.id)
    refused = [
        "INSERT INTO invoice_lines (id, user_id, kind, description, amount_cents, created_at)"
        f" VALUES (gen_random_uuid(), '{uid}', 'usage', 'x', 0, now()) RETURNING id",
        f"UPDATE invoice_lines SET amount_cents = 0 WHERE user_id = '{uid}' RETURNING id",
        f"UPDATE invoices SET status = 'paid' WHERE id = '{statement}' RETURNING id",
        "INSERT INTO payment_history (id, user_id, amount, currency, status, created_at)"
        f" VALUES (gen_random_uuid(), '{uid}', 100, 'usd', 'succeeded', now()) RETURNING id",
    ]
    for sql in refused:
        assert not attempt(bob, [sql]), sql


def test_the_system_functions_refuse_what_the_services_refuse(
    team: dict[str, Services], clock: FixedClock
) -> None:
    statement = _bob_statement(team, clock)
    carol, bob = team["carol"], team["bob"]
    # A member records no payment made outside, neither for a teammate nor for themselves.
    for who in (carol, bob):
        with pytest.raises(DBAPIError, match="owners and admins record payments"):
            raw(
                who,
                "SELECT promptterm_record_payment(gen_random_uuid(), :i, 100, 'succeeded',"
                " 'admin', NULL, NULL, NULL, NULL, now())",
                i=statement,
            )
    # Nobody closes an open period early, or someone else's.
    with pytest.raises(DBAPIError, match="not your billing"):
        raw(
            carol,
            "SELECT promptterm_close_statement(gen_random_uuid(), :u, now() - interval '1 day',"
            " now(), now())",
            u=str(bob.user.id),
        )
    with pytest.raises(DBAPIError, match="still open"):
        raw(
            carol,
            "SELECT promptterm_close_statement(gen_random_uuid(), :u, :s, :e, :s)",
            u=str(carol.user.id),
            s=clock() - timedelta(days=1),
            e=clock() + timedelta(days=1),
        )
    with pytest.raises(Forbidden, match="Only a workspace owner or admin"):
        carol.statements.pay(bob.statements.get(statement), AdminRecorded())


def test_the_owner_records_a_members_outside_payment_and_changes_their_plan(
    team: dict[str, Services], clock: FixedClock
) -> None:
    statement = _bob_statement(team, clock)
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    with pytest.raises(Forbidden, match="Only an owner or admin of a workspace"):
        carol.billing.set_plan("pro", member=bob.user.id)
    assert alice.billing.set_plan("pro", member=bob.user.id).plan.slug == "pro"
    assert bob.billing.summary().plan.slug == "pro"

    seen = bob.statements.get(statement)
    payment = alice.statements.pay(seen, AdminRecorded("wire 42"))
    assert payment.status == "succeeded"
    assert bob.statements.get(statement).status == "paid"
    # Bob reads his payment; Carol sees none.
    assert [p.external_id for p in bob.billing.payments()] == ["wire 42"]
    assert raw(carol, "SELECT count(*) FROM payment_history") == [(0,)]


def test_a_payment_is_recorded_only_for_an_open_statements_whole_balance(
    team: dict[str, Services], clock: FixedClock
) -> None:
    statement = _bob_statement(team, clock)
    alice, bob = team["alice"], team["bob"]
    seen_by_alice = bob.statements.get(statement)
    pay = (
        "SELECT promptterm_record_payment(gen_random_uuid(), :i, :amount, 'succeeded',"
        " :processor, NULL, NULL, NULL, :key, now())"
    )
    # The service always pays the balance: a part of it is refused in SQL too.
    with pytest.raises(DBAPIError, match="pays the balance, 100 cents"):
        raw(bob, pay, i=statement, amount=1, processor="stripe", key="part")
    raw(bob, pay, i=statement, amount=100, processor="stripe", key="whole")
    assert bob.statements.get(statement).status == "paid"
    # Repeating the same payment returns it; any other on a paid statement is refused.
    raw(bob, pay, i=statement, amount=100, processor="stripe", key="whole")
    for who, processor in ((bob, "stripe"), (alice, "admin")):
        with pytest.raises(DBAPIError, match="statement is paid: there is nothing to pay"):
            raw(who, pay, i=statement, amount=100, processor=processor, key=f"again-{processor}")
    assert raw(bob, "SELECT count(*) FROM payment_history") == [(1,)]
    # The owner's view of the member's statement was taken before Bob paid: the service
    # says so in words rather than recording a second payment.
    with pytest.raises(Conflict, match="no longer open"):
        alice.statements.pay(seen_by_alice, AdminRecorded("wire 7"))
    assert raw(bob, "SELECT count(*) FROM payment_history") == [(1,)]
