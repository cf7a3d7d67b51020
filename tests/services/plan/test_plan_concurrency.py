"""Two connections reordering one board at once, on SQLite and PostgreSQL: both moves land,
in turn, and every column stays numbered 0, 1, 2... The first mover is held inside its
transaction until the second has had every chance to read the same column (or until it is
clear the board lock keeps it out), so it is the lock that decides, as under a real race."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlmodel import col, select

from promptterm.db.engine import Database, create_database
from promptterm.db.models import PlanItem
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from promptterm.services.plan import board as plan_board
from support.clock import FixedClock
from support.waiting import CEILING

# How long the first mover holds its transaction open for the second to barge in: with the
# lock the second never can, so this is only how long the test waits to be sure of that.
HOLD = 1.0


@pytest.fixture
def second(database: Database, clock: FixedClock) -> Iterator[Services]:
    """The same user on a connection of its own (a second process or a teammate's app)."""
    db = create_database(database.url)
    other = Services.for_database(db, clock=clock, new_id=SequentialIds(5000), migrate=False)
    yield other
    other.close()


def _board(services: Services) -> tuple[uuid.UUID, list[uuid.UUID]]:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site").id
    return project, [services.plan.add(project, "task", f"T{n}").id for n in range(6)]


def test_two_moves_into_one_column_at_once_keep_it_dense(
    services: Services, second: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, cards = _board(services)
    first_in, second_in = threading.Event(), threading.Event()
    column_size = plan_board._column_size

    def held(*args: object) -> int:
        size = column_size(*args)  # type: ignore[arg-type]
        if not first_in.is_set():
            first_in.set()
            second_in.wait(HOLD)  # without the lock the other reads the same column now
        else:
            second_in.set()
        return size

    monkeypatch.setattr(plan_board, "_column_size", held)
    errors: list[BaseException] = []

    def move(services: Services, card: uuid.UUID) -> None:
        try:
            services.plan.move(card, "in_progress", 0)
        except BaseException as exc:
            errors.append(exc)

    one = threading.Thread(target=move, args=(services, cards[1]))
    one.start()
    assert first_in.wait(CEILING)
    two = threading.Thread(target=move, args=(second, cards[4]))
    two.start()
    for thread in (one, two):
        thread.join(CEILING)
    assert not one.is_alive() and not two.is_alive()
    assert errors == []
    board = services.plan.board(project)
    columns: dict[str, list[int]] = {}
    for card in board.cards:
        columns.setdefault(card.status, []).append(card.position)
    assert columns == {"not_started": [0, 1, 2, 3], "in_progress": [0, 1]}
    # The second mover went in after the first, so it is on top.
    assert [c.id for c in board.cards if c.status == "in_progress"] == [cards[4], cards[1]]


def test_many_moves_from_two_connections_leave_no_gap_or_twin(
    services: Services, second: Services
) -> None:
    project, cards = _board(services)
    statuses = ("not_started", "in_progress", "done")
    errors: list[BaseException] = []

    def shuffle(services: Services, offset: int) -> None:
        try:
            for n in range(24):
                card = cards[(n * 5 + offset) % len(cards)]
                services.plan.move(card, statuses[(n + offset) % 3], (n * 7 + offset) % 4)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=shuffle, args=(s, k)) for k, s in enumerate((services, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(CEILING)
    assert errors == []
    board = services.plan.board(project)
    assert sorted(c.id for c in board.cards) == sorted(cards)
    for status in statuses:
        positions = [c.position for c in board.cards if c.status == status]
        assert positions == list(range(len(positions))), (status, positions)
    # The places are counted from the stored keys: no two cards of a column share one.
    with services.ctx.db.session() as session:
        stored = session.execute(
            select(PlanItem.status, PlanItem.position).where(col(PlanItem.project_id) == project)
        ).all()
    assert len(set(stored)) == len(stored), sorted(stored)


def test_moving_a_card_another_connection_just_deleted_is_refused(
    services: Services, second: Services
) -> None:
    project, cards = _board(services)
    second.plan.delete(cards[2])
    with pytest.raises(Exception, match="may have deleted it a moment ago") as refused:
        services.plan.move(cards[2], "done")
    assert type(refused.value).__name__ == "NotFound"
    names = [c.name for c in services.plan.board(project).cards]
    assert names == ["T0", "T1", "T3", "T4", "T5"]
