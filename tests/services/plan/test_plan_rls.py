"""Row-level security on the board's tables (issue 17), tried in raw SQL by teammates' own
PostgreSQL roles: it refuses exactly what services/plan refuses. A viewer reads but writes
nothing; a member adds, changes, moves and deletes cards and links; an outsider sees nothing;
nobody moves a card to another project, changes its kind, or links across projects."""

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
PEOPLE = ("pl_olga", "pl_mia", "pl_vic", "pl_oscar")
REFUSED = "row-level security|permission denied|cannot be changed"
INSERT = (
    "INSERT INTO plan_items (id, project_id, kind, name, status, priority, position,"
    " created_at, updated_at) VALUES (:id, :project, 'task', 'Raw', 'not_started',"
    " 'not-prioritized', 9, now(), now()) RETURNING id"
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
    olga = team["pl_olga"]
    ws = olga.workspaces.create("Team")
    project = olga.projects.create(ws.id, "Site").id
    olga.workspaces.add_member(ws.id, "pl_mia", "member")
    olga.workspaces.add_member(ws.id, "pl_vic", "viewer")
    card = olga.plan.add(project, "task", "Ship it").id
    other = olga.plan.add(project, "bug", "Crash").id
    olga.plan_links.link(card, card_id=other)
    return project, card, other


def test_a_viewer_reads_but_writes_nothing(team: dict[str, Services]) -> None:
    project, card, _ = _world(team)
    vic = team["pl_vic"]
    assert raw(vic, "SELECT count(*) FROM plan_items") == [(2,)]
    assert raw(vic, "SELECT count(*) FROM plan_links") == [(1,)]
    writes = (
        "UPDATE plan_items SET name = 'Mine' WHERE id = :card RETURNING id",
        "UPDATE plan_items SET position = 0, status = 'done' WHERE id = :card RETURNING id",
        "DELETE FROM plan_items WHERE id = :card RETURNING id",
        "DELETE FROM plan_links RETURNING id",
    )
    for sql in writes:
        assert not attempt(vic, [sql], card=card)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(vic, INSERT, id=uuid.uuid4(), project=project)
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(
            vic,
            "INSERT INTO plan_links (id, project_id, item_id, target_kind, target_item_id,"
            " created_at) VALUES (:id, :project, :card, 'card', :card2, now())",
            id=uuid.uuid4(),
            project=project,
            card=card,
            card2=_world_second(team, project),
        )


def _world_second(team: dict[str, Services], project: uuid.UUID) -> uuid.UUID:
    return team["pl_olga"].plan.add(project, "feature", "Later").id


def test_a_member_edits_and_an_outsider_sees_nothing(team: dict[str, Services]) -> None:
    project, card, _ = _world(team)
    mia, oscar = team["pl_mia"], team["pl_oscar"]
    assert attempt(
        mia, ["UPDATE plan_items SET name = 'Ours' WHERE id = :card RETURNING id"], card=card
    )
    assert attempt(mia, [INSERT], id=uuid.uuid4(), project=project)
    assert attempt(mia, ["DELETE FROM plan_items WHERE id = :card RETURNING id"], card=card)
    assert raw(oscar, "SELECT count(*) FROM plan_items") == [(0,)]
    assert raw(oscar, "SELECT count(*) FROM plan_links") == [(0,)]
    assert not attempt(oscar, ["DELETE FROM plan_items RETURNING id"])
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(oscar, INSERT, id=uuid.uuid4(), project=project)
    # And the services agree: the member's move goes through, the outsider's is not found.
    assert mia.plan.move(card, "done").status == "done"


def test_nobody_moves_a_card_to_another_project_or_changes_its_kind(
    team: dict[str, Services],
) -> None:
    project, card, _ = _world(team)
    olga = team["pl_olga"]
    ws = olga.projects.get(project).workspace_id
    elsewhere = olga.projects.create(ws, "Other").id
    for sql in (
        "UPDATE plan_items SET project_id = :other WHERE id = :card RETURNING id",
        "UPDATE plan_items SET kind = 'bug' WHERE id = :card RETURNING id",
    ):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(olga, sql, other=elsewhere, card=card)


def test_links_stay_inside_their_project(team: dict[str, Services]) -> None:
    project, card, _ = _world(team)
    olga, mia = team["pl_olga"], team["pl_mia"]
    ws = olga.projects.get(project).workspace_id
    elsewhere = olga.projects.create(ws, "Other").id
    foreign = olga.plan.add(elsewhere, "task", "Over there").id
    olgas_thread = olga.chat.create_thread(title="Olga's").id
    link = (
        "INSERT INTO plan_links (id, project_id, item_id, target_kind, {column}, created_at)"
        " VALUES (:id, :project, :card, :kind, :target, now()) RETURNING id"
    )
    for kind, column, target in (
        ("card", "target_item_id", foreign),  # a card of another project
        ("thread", "target_thread_id", olgas_thread),  # a thread Mia cannot see
    ):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(
                mia,
                link.format(column=column),
                id=uuid.uuid4(),
                project=project,
                card=card,
                kind=kind,
                target=target,
            )
    # Filed under this project while the card is on another: refused too.
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(
            mia,
            link.format(column="target_item_id"),
            id=uuid.uuid4(),
            project=elsewhere,
            card=card,
            kind="card",
            target=foreign,
        )
    mias_thread = mia.chat.create_thread(title="Mia's").id
    assert raw(
        mia,
        link.format(column="target_thread_id"),
        id=uuid.uuid4(),
        project=project,
        card=card,
        kind="thread",
        target=mias_thread,
    )


def test_what_a_link_means_is_held_by_the_table_too(team: dict[str, Services]) -> None:
    """A member links two cards as "blocks" in raw SQL; a viewer cannot, and no one stores
    a kind the services refuse (an unknown one, or "blocks" on a link to a thread)."""
    project, card, _ = _world(team)
    mia, vic = team["pl_mia"], team["pl_vic"]
    later = _world_second(team, project)
    thread = mia.chat.create_thread(title="Mia's").id
    link = (
        "INSERT INTO plan_links (id, project_id, item_id, target_kind, {column}, relation,"
        " created_at) VALUES (:id, :project, :card, :kind, :target, :relation, now())"
        " RETURNING relation"
    )

    def insert(who: Services, column: str, kind: str, target: uuid.UUID, relation: str) -> object:
        return raw(
            who,
            link.format(column=column),
            id=uuid.uuid4(),
            project=project,
            card=card,
            kind=kind,
            target=target,
            relation=relation,
        )

    with pytest.raises(DBAPIError, match=REFUSED):
        insert(vic, "target_item_id", "card", later, "blocks")
    with pytest.raises(DBAPIError, match="ck_plan_links_relation"):
        insert(mia, "target_item_id", "card", later, "causes")
    with pytest.raises(DBAPIError, match="ck_plan_links_relation"):
        insert(mia, "target_thread_id", "thread", thread, "blocks")
    assert insert(mia, "target_item_id", "card", later, "blocks") == [("blocks",)]
    assert [x.words for x in team["pl_olga"].plan_links.links(later)] == ["blocked by"]
