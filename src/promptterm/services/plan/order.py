"""Where a card sits in its column: the stored ``position`` is a sort key with room between
neighbours, and a card's place (0, 1, 2... as the service hands it out) is counted on read.

Keeping the stored numbers dense made every move rewrite the rest of one or two columns: on a
board of thousands, a card moved to the top of the next column rewrote most of the table,
and the commit wrote each of those pages again (about 10 ms). With room between keys a move
writes its own row only: it takes the key halfway between its new neighbours. When a gap is
used up (after about ten moves into the same one) the column is spaced out again, once.

Keys are spaced ``STEP`` apart from ``FIRST``, which leaves room above the top card for about
a thousand moves to the top. Rows stored dense (before this) are spaced out by the first move
that needs room. Every write that places a card holds the board's lock (lock.py), so two
writers never take the same key.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from promptterm.db.models import PlanItem

STEP = 1 << 10
FIRST = 1 << 20
# PostgreSQL's INTEGER, the column's type.
LAST = (1 << 31) - 1


def key_for(
    session: Session, project_id: uuid.UUID, status: str, at: int, moving: uuid.UUID | None
) -> int:
    """The key that puts a card ``at`` the given place (0 = top; the caller keeps it within
    the column) among the column's cards other than ``moving``."""
    key = _between(*_neighbours(session, project_id, status, at, moving))
    if key is None:
        _space_out(session, project_id, status, moving)
        key = _between(*_neighbours(session, project_id, status, at, moving))
    if key is None:  # only with more cards in one column than keys fit in an INTEGER
        raise RuntimeError(f"no room left to order the cards of {status!r}")
    return key


def place_of(session: Session, item: PlanItem) -> int:
    """The card's place in its column, counted from 0 at the top."""
    above = (col(PlanItem.position) < item.position) | (
        (col(PlanItem.position) == item.position) & (col(PlanItem.id) < item.id)
    )
    return int(
        session.scalar(
            select(func.count())
            .select_from(PlanItem)
            .where(
                col(PlanItem.project_id) == item.project_id,
                col(PlanItem.status) == item.status,
                above,
            )
        )
        or 0
    )


def _neighbours(
    session: Session, project_id: uuid.UUID, status: str, at: int, moving: uuid.UUID | None
) -> tuple[int | None, int | None]:
    """The keys of the cards that will be just above and just below place ``at``."""
    query = select(PlanItem.position).where(
        col(PlanItem.project_id) == project_id, col(PlanItem.status) == status
    )
    if moving is not None:
        query = query.where(col(PlanItem.id) != moving)
    query = query.order_by(col(PlanItem.position), col(PlanItem.id))
    if at == 0:
        below = session.scalars(query.limit(1)).first()
        return None, below
    keys = list(session.scalars(query.offset(at - 1).limit(2)))
    if not keys:
        return None, None
    return keys[0], keys[1] if len(keys) > 1 else None


def _between(above: int | None, below: int | None) -> int | None:
    """A key after ``above`` and before ``below`` (None: no card there), or None: no room."""
    if above is None and below is None:
        return FIRST
    if above is None:
        assert below is not None
        return below - STEP if below > STEP else (below // 2 if below > 0 else None)
    if below is None:
        if above + STEP <= LAST:
            return above + STEP
        return (above + LAST + 1) // 2 if above < LAST else None
    return (above + below) // 2 if below - above >= 2 else None


def _space_out(
    session: Session, project_id: uuid.UUID, status: str, moving: uuid.UUID | None
) -> None:
    """Number the column FIRST, FIRST + STEP… again in its order: room in every gap. The
    card being moved keeps its row as it is: it gets its new key next."""
    query = select(PlanItem.id).where(
        col(PlanItem.project_id) == project_id, col(PlanItem.status) == status
    )
    if moving is not None:
        query = query.where(col(PlanItem.id) != moving)
    ids = list(session.scalars(query.order_by(col(PlanItem.position), col(PlanItem.id))))
    if not ids:
        return
    step = max(min(STEP, (LAST - FIRST) // max(len(ids), 1)), 2)
    table = PlanItem.__table__  # type: ignore[attr-defined]
    session.execute(
        table.update().where(table.c.id == bindparam("card")).values(position=bindparam("key")),
        [{"card": card, "key": FIRST + n * step} for n, card in enumerate(ids)],
    )
