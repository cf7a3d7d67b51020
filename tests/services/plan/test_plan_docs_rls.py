"""Row-level security on notes, PRDs, customer profiles and their versions (issue 17), tried
in raw SQL by teammates' own PostgreSQL roles: it refuses exactly what services/plan refuses.
A personal note is its author's alone; a project's documents are read by its workspace and
written by members; versions are added, never rewritten; nothing moves between projects."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import attempt, ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("pd_olga", "pd_mia", "pd_vic", "pd_oscar")
REFUSED = "row-level security|permission denied|cannot be changed"
NOTE = (
    "INSERT INTO plan_notes (id, user_id, project_id, title, content, version, created_at,"
    " updated_at) VALUES (:id, :user, :project, 'Raw', '', 1, now(), now()) RETURNING id"
)
PROFILE = (
    "INSERT INTO plan_customers (id, project_id, name, overview, background, problems,"
    " scoring, is_selected, created_at, updated_at) VALUES (:id, :project, 'Raw', '', '', '',"
    " '{}', false, now(), now()) RETURNING id"
)
VERSION = (
    "INSERT INTO plan_doc_versions (id, note_id, number, title, body, created_by, created_at)"
    " VALUES (:id, :note, 99, 'x', 'x', :user, now()) RETURNING id"
)


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


def _world(team: dict[str, Services]) -> dict[str, uuid.UUID]:
    olga = team["pd_olga"]
    ws = olga.workspaces.create("Team")
    project = olga.projects.create(ws.id, "Site").id
    olga.workspaces.add_member(ws.id, "pd_mia", "member")
    olga.workspaces.add_member(ws.id, "pd_vic", "viewer")
    olga.prd.save(project, {"problem": "P"}, seen_version=0)
    return {
        "project": project,
        "note": olga.notes.add("Shared", "team text", project).id,
        "diary": olga.notes.add("Diary", "private").id,
        "profile": olga.customers.add(project, "Indie").id,
    }


def _uid(services: Services) -> uuid.UUID:
    return services.ctx.user_id


def test_a_personal_note_is_its_authors_alone(team: dict[str, Services]) -> None:
    ids = _world(team)
    olga, mia = team["pd_olga"], team["pd_mia"]
    assert raw(olga, "SELECT count(*) FROM plan_notes") == [(2,)]
    assert raw(mia, "SELECT title FROM plan_notes") == [("Shared",)]
    assert raw(
        mia, "SELECT count(*) FROM plan_doc_versions WHERE note_id = :n", n=ids["diary"]
    ) == [(0,)]
    assert not attempt(
        mia, ["UPDATE plan_notes SET title = 'x' WHERE id = :n RETURNING id"], n=ids["diary"]
    )
    assert attempt(mia, [NOTE], id=uuid.uuid4(), user=_uid(mia), project=None)
    # Nobody writes a personal note in someone else's name, nor versions of a note not theirs.
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(mia, NOTE, id=uuid.uuid4(), user=_uid(olga), project=None)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(mia, VERSION, id=uuid.uuid4(), note=ids["diary"], user=_uid(mia))


def test_a_viewer_reads_but_writes_nothing(team: dict[str, Services]) -> None:
    ids = _world(team)
    vic = team["pd_vic"]
    assert raw(vic, "SELECT title FROM plan_notes") == [("Shared",)]
    assert raw(vic, "SELECT problem FROM plan_prds") == [("P",)]
    assert raw(vic, "SELECT name FROM plan_customers") == [("Indie",)]
    assert raw(vic, "SELECT count(*) FROM plan_doc_versions") == [(2,)]  # the note's and the PRD's
    for sql in (
        "UPDATE plan_notes SET content = 'x' WHERE id = :note RETURNING id",
        "UPDATE plan_prds SET problem = 'x' RETURNING id",
        "UPDATE plan_customers SET is_selected = true RETURNING id",
        "DELETE FROM plan_notes WHERE id = :note RETURNING id",
        "DELETE FROM plan_customers RETURNING id",
        "DELETE FROM plan_prds RETURNING id",
    ):
        assert not attempt(vic, [sql], note=ids["note"])
    for sql, params in (
        (NOTE, {"user": _uid(vic), "project": ids["project"]}),
        (PROFILE, {"project": ids["project"]}),
        (VERSION, {"note": ids["note"], "user": _uid(vic)}),
    ):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(vic, sql, id=uuid.uuid4(), **params)


def test_a_member_edits_and_an_outsider_sees_nothing(team: dict[str, Services]) -> None:
    ids = _world(team)
    mia, oscar = team["pd_mia"], team["pd_oscar"]
    assert attempt(
        mia, ["UPDATE plan_notes SET content = 'x' WHERE id = :note RETURNING id"], note=ids["note"]
    )
    assert attempt(mia, ["UPDATE plan_prds SET problem = 'x' RETURNING id"])
    assert attempt(mia, [PROFILE], id=uuid.uuid4(), project=ids["project"])
    assert attempt(mia, [VERSION], id=uuid.uuid4(), note=ids["note"], user=_uid(mia))
    for table in ("plan_notes", "plan_prds", "plan_customers", "plan_doc_versions"):
        assert raw(oscar, f"SELECT count(*) FROM {table}") == [(0,)]
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(oscar, PROFILE, id=uuid.uuid4(), project=ids["project"])
    # Versions are never rewritten, even by the note's author.
    assert not attempt(team["pd_olga"], ["UPDATE plan_doc_versions SET body = 'x' RETURNING id"])
    # And the services agree.
    assert mia.customers.select(ids["profile"]).is_selected


def test_nothing_moves_to_another_project_and_one_profile_is_selected(
    team: dict[str, Services],
) -> None:
    ids = _world(team)
    olga = team["pd_olga"]
    ws = olga.projects.get(ids["project"]).workspace_id
    elsewhere = olga.projects.create(ws, "Other").id
    for sql in (
        "UPDATE plan_notes SET project_id = :other WHERE id = :note RETURNING id",
        "UPDATE plan_customers SET project_id = :other RETURNING id",
        "UPDATE plan_prds SET project_id = :other RETURNING id",
    ):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(olga, sql, other=elsewhere, note=ids["note"])
    second = olga.customers.add(ids["project"], "Agency").id
    select = "UPDATE plan_customers SET is_selected = true WHERE id = :p RETURNING id"
    raw(olga, select, p=ids["profile"])
    with pytest.raises(DBAPIError, match="uq_plan_customers_one_selected"):
        raw(olga, select, p=second)
