"""Team mode, issue 12 leftovers: what a teammate does that touches someone else's billing
rows (the workspace owner's plan) or the system's (invoices, payments) either works or is
refused with the services' own words, never with a raw "permission denied"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from promptterm.db.engine import Database
from promptterm.services.errors import Forbidden, LimitReached
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


def test_a_member_creates_a_project_when_the_owners_period_has_ended(
    team: dict[str, Services], clock: FixedClock
) -> None:
    alice, bob = team["alice"], team["bob"]
    ws = alice.workspaces.create("Shared")
    alice.workspaces.add_member(ws.id, "bob", "member")
    clock.advance(days=40)  # Alice's month is over; nobody has opened her billing since

    project = bob.projects.create(ws.id, "Bob's site")
    assert project.name == "Bob's site"
    # Her period rolls forward when she (who may write it) next looks; Bob changed nothing.
    assert alice.billing.summary().period_end > clock()


def test_a_member_is_refused_with_the_services_words_at_the_owners_limit(
    team: dict[str, Services], clock: FixedClock
) -> None:
    alice, bob = team["alice"], team["bob"]
    ws = alice.workspaces.create("Shared")
    alice.workspaces.add_member(ws.id, "bob", "member")
    for n in range(10):  # what the Free plan allows
        alice.projects.create(ws.id, f"P{n}")
    clock.advance(days=40)

    with pytest.raises(LimitReached, match="The Free plan allows 10 projects"):
        bob.projects.create(ws.id, "One too many")


def test_a_member_adds_a_file_when_the_owners_period_has_ended(
    team: dict[str, Services], clock: FixedClock
) -> None:
    alice, bob = team["alice"], team["bob"]
    ws = alice.workspaces.create("Shared")
    project = alice.projects.create(ws.id, "Site")
    alice.workspaces.add_member(ws.id, "bob", "member")
    clock.advance(days=40)

    made = bob.files.create(project.id, "notes.md", "Bob's notes\n")
    assert bob.files.read(made.id).text == "Bob's notes\n"


def test_a_teammate_recording_an_invoice_or_payment_is_told_who_records_them(
    team: dict[str, Services],
) -> None:
    bob = team["bob"]
    with pytest.raises(Forbidden, match="recorded by the system") as refused:
        bob.billing.record_invoice(amount_due_cents=100, status="paid", external_id="in_x")
    assert "permission denied" not in refused.value.message
    with pytest.raises(Forbidden, match="recorded by the system"):
        bob.billing.record_payment(amount_cents=100, status="succeeded", external_id="pi_x")
    assert bob.billing.invoices() == [] and bob.billing.payments() == []
    assert raw(bob, "SELECT count(*) FROM invoices") == [(0,)]
