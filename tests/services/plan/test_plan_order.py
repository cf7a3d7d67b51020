"""The board's order on SQLite and PostgreSQL, as stored: a move writes the moved card's row
only (a board of thousands stays quick to reorder), places still read 0, 1, 2..., and a gap
used up by many moves into it is spaced out again without changing the order."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from promptterm.db.models import PlanItem
from promptterm.services.facade import Services
from promptterm.services.plan import order


def _project(services: Services) -> uuid.UUID:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site").id


def _stored(services: Services, project: uuid.UUID) -> dict[uuid.UUID, tuple[str, int]]:
    """Each card's column and stored key, as the database has them."""
    with services.ctx.db.session() as session:
        rows = session.execute(
            select(PlanItem.id, PlanItem.status, PlanItem.position).where(
                col(PlanItem.project_id) == project
            )
        ).all()
    return {card: (status, key) for card, status, key in rows}


def _columns(services: Services, project: uuid.UUID) -> dict[str, list[uuid.UUID]]:
    columns: dict[str, list[uuid.UUID]] = {}
    for card in services.plan.board(project).cards:
        columns.setdefault(card.status, []).append(card.id)
    return columns


def test_a_move_writes_only_the_moved_cards_row(services: Services) -> None:
    project = _project(services)
    cards = [services.plan.add(project, "task", f"T{n}").id for n in range(6)]
    services.plan.add(project, "task", "Busy", status="in_progress")
    before = _stored(services, project)
    moved = services.plan.move(cards[5], "in_progress", 0)  # to the top of the next column
    services.plan.move(cards[0], "not_started", 2)  # and down within its own
    after = _stored(services, project)
    assert {card for card in before if before[card] != after[card]} == {cards[5], cards[0]}
    assert (moved.status, moved.position) == ("in_progress", 0)
    assert services.plan.get(cards[0]).position == 2
    assert _columns(services, project)["not_started"] == [
        cards[1], cards[2], cards[0], cards[3], cards[4]
    ]  # fmt: skip


def test_deleting_a_card_writes_no_other_row_and_places_close_up(services: Services) -> None:
    project = _project(services)
    cards = [services.plan.add(project, "task", f"T{n}").id for n in range(4)]
    before = _stored(services, project)
    services.plan.delete(cards[1])
    after = _stored(services, project)
    assert all(after[card] == before[card] for card in after)
    assert [services.plan.get(card).position for card in (cards[0], cards[2], cards[3])] == [
        0, 1, 2
    ]  # fmt: skip


def test_many_moves_into_one_gap_keep_the_order_a_list_would(services: Services) -> None:
    """Thirty moves between the same two cards and to the top use up every gap there: the
    column is spaced out again on the way, and the order is always the one a list gives."""
    project = _project(services)
    cards = [services.plan.add(project, "task", f"T{n}").id for n in range(12)]
    expected = list(cards)
    for n in range(30):
        card = expected[-1]
        at = 1 if n % 3 else 0
        services.plan.move(card, "not_started", at)
        expected.remove(card)
        expected.insert(at, card)
        assert _columns(services, project)["not_started"] == expected, n
    places = [c.position for c in services.plan.board(project).cards]
    assert places == list(range(12))
    keys = [key for _, key in _stored(services, project).values()]
    assert len(set(keys)) == len(keys) and min(keys) >= 0


def test_a_column_stored_dense_is_spaced_out_by_the_first_move_that_needs_room(
    services: Services,
) -> None:
    """Boards written before keys had room (0, 1, 2... stored) reorder as they did."""
    project = _project(services)
    cards = [services.plan.add(project, "task", f"T{n}").id for n in range(4)]
    with services.ctx.db.session() as session:
        for n, card in enumerate(cards):
            item = session.get(PlanItem, card)
            assert item is not None
            item.position = n
            session.add(item)
    services.plan.move(cards[3], "not_started", 1)
    assert _columns(services, project)["not_started"] == [cards[0], cards[3], cards[1], cards[2]]
    keys = sorted(key for _, key in _stored(services, project).values())
    assert keys[0] >= order.FIRST - order.STEP and len(set(keys)) == 4
