"""Row-level security on the flow tables (issue 17), tried in raw SQL by teammates' own
PostgreSQL roles: it refuses exactly what services/plan/flows.py refuses. A viewer reads but
writes nothing; a member adds, changes and deletes pages and connections; an outsider sees
nothing; nobody moves a page to another project or connects across projects."""

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
PEOPLE = ("fl_olga", "fl_mia", "fl_vic", "fl_oscar")
REFUSED = "row-level security|permission denied|cannot be changed"
PAGE = (
    "INSERT INTO flow_pages (id, project_id, name, features, implementation_status,"
    " position_x, position_y, created_at, updated_at) VALUES (:id, :project, 'Raw', '[]',"
    " 'not_started', 0, 0, now(), now()) RETURNING id"
)
LINK = (
    "INSERT INTO flow_connections (id, project_id, source_id, target_id, created_at)"
    " VALUES (:id, :project, :source, :target, now()) RETURNING id"
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


def _world(team: dict[str, Services]) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    olga = team["fl_olga"]
    ws = olga.workspaces.create("Team")
    project = olga.projects.create(ws.id, "Site").id
    olga.workspaces.add_member(ws.id, "fl_mia", "member")
    olga.workspaces.add_member(ws.id, "fl_vic", "viewer")
    home = olga.flows.add_page(project, "Home").id
    login = olga.flows.add_page(project, "Login", x=1).id
    olga.flows.connect(home, login)
    return project, home, login


def test_a_viewer_reads_but_writes_nothing(team: dict[str, Services]) -> None:
    project, home, login = _world(team)
    vic = team["fl_vic"]
    assert raw(vic, "SELECT count(*) FROM flow_pages") == [(2,)]
    assert raw(vic, "SELECT count(*) FROM flow_connections") == [(1,)]
    for sql in (
        "UPDATE flow_pages SET name = 'Mine' WHERE id = :home RETURNING id",
        "DELETE FROM flow_pages WHERE id = :home RETURNING id",
        "DELETE FROM flow_connections RETURNING id",
    ):
        assert not attempt(vic, [sql], home=home)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(vic, PAGE, id=uuid.uuid4(), project=project)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(vic, LINK, id=uuid.uuid4(), project=project, source=login, target=home)


def test_a_member_edits_and_an_outsider_sees_nothing(team: dict[str, Services]) -> None:
    project, home, login = _world(team)
    mia, oscar = team["fl_mia"], team["fl_oscar"]
    assert attempt(
        mia, ["UPDATE flow_pages SET name = 'Ours' WHERE id = :home RETURNING id"], home=home
    )
    assert attempt(mia, [PAGE], id=uuid.uuid4(), project=project)
    assert attempt(mia, [LINK], id=uuid.uuid4(), project=project, source=login, target=home)
    assert attempt(mia, ["DELETE FROM flow_connections RETURNING id"])
    assert raw(oscar, "SELECT count(*) FROM flow_pages") == [(0,)]
    assert raw(oscar, "SELECT count(*) FROM flow_connections") == [(0,)]
    assert not attempt(oscar, ["DELETE FROM flow_pages RETURNING id"])
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(oscar, PAGE, id=uuid.uuid4(), project=project)
    # The services agree: the member's connection goes through.
    assert mia.flows.connect(login, home).source_id == login


def test_nobody_moves_a_page_or_connects_across_projects(team: dict[str, Services]) -> None:
    project, home, _ = _world(team)
    olga = team["fl_olga"]
    ws = olga.projects.get(project).workspace_id
    elsewhere = olga.projects.create(ws, "Other").id
    stranger = olga.flows.add_page(elsewhere, "Stranger").id
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(olga, "UPDATE flow_pages SET project_id = :other WHERE id = :home RETURNING id",
            other=elsewhere, home=home)  # fmt: skip
    for project_id in (project, elsewhere):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(olga, LINK, id=uuid.uuid4(), project=project_id, source=home, target=stranger)
