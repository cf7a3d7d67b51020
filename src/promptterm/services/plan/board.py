"""A project's board: add, read, change, move and delete tasks, bugs and features.

Every write that places a card (add, move, a status change) takes the board's lock first
(lock.py) and reads the card again under it, so two people reordering at once both land, in
turn, and each column reads 0, 1, 2... A card's place is counted from the stored sort keys
(order.py), so a move writes its own row only. A card deleted by someone else meanwhile is
refused by name, not silently recreated or skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from promptterm.db.models import PlanItem, Project, WorkspaceMember
from promptterm.db.vocab import PLAN_STATUSES
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError, refuse_stale
from promptterm.services.plan import order, rules
from promptterm.services.plan.links import link_counts
from promptterm.services.plan.lock import lock_board, lock_first
from promptterm.services.plan.models import Board, PlanCard
from promptterm.services.workspaces import ROLE_RANK, require_role

_COLUMNS = (
    PlanItem.id,
    PlanItem.project_id,
    PlanItem.kind,
    PlanItem.name,
    PlanItem.description,
    PlanItem.status,
    PlanItem.priority,
    PlanItem.position,
    PlanItem.bug_url,
    PlanItem.screenshot_url,
    PlanItem.created_at,
    PlanItem.updated_at,
)
# What ``update`` may change; a status change is a move (to the end of the new column).
EDITABLE = ("name", "description", "priority", "bug_url", "screenshot_url", "status")
# The project ``warm`` reads the board of: none has the nil id (ids are random, uuid4).
_NO_PROJECT = uuid.UUID(int=0)
_GONE = (
    "That card no longer exists: someone may have deleted it a moment ago. "
    "Reload the board to see it as it is now."
)


class PlanService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # Reading -----------------------------------------------------------------------------

    def board(self, project_id: uuid.UUID, *, first: int | None = None) -> Board:
        """Every card of the project, column by column, each column in position order; or,
        with ``first``, only the top ``first`` of each column (and every column's count)."""
        with self.ctx.db.session() as session:
            project, role = self._project(session, project_id, "viewer", "see its board")
            totals, rows, linked = _read_board(session, project_id, first)
        cards = _placed(rows)
        complete = first is None or len(cards) == sum(totals.values())
        return Board(project_id, project.name, role, tuple(cards), totals, complete, linked)

    def warm(self, first: int) -> None:
        """Make the board's reads ready ahead of the first: ``board`` with and without
        ``first``, run once for a project that cannot exist (the nil id; ids are random),
        so each of their statements is compiled and kept in the engine's cache.

        A session's first board read compiled its statements (four for the top of each
        column, about 10 ms on the thread the area's first frame waits for; three more for
        the whole board after). This finds no row (every query asks for that one project)
        and writes nothing: it is safe on a read-only database and on PostgreSQL with
        row-level security alike."""
        with self.ctx.db.session() as session:
            for shape in (first, None):
                _read_board(session, _NO_PROJECT, shape)

    def get(self, item_id: uuid.UUID) -> PlanCard:
        with self.ctx.db.session() as session:
            item = session.get(PlanItem, item_id)
            if item is None:
                raise NotFound(_GONE)
            self._project(session, item.project_id, "viewer", "see its board")
            return _card_of(item, order.place_of(session, item))

    def find(self, project_id: uuid.UUID, ref: str, kind: str | None = None) -> PlanCard:
        """A card of the project by id, the end of its id as shown (``short_id``, 4+
        characters) or its exact title, optionally only of one kind."""
        ref = ref.strip()
        cards = [c for c in self.board(project_id).cards if kind is None or c.kind == kind]
        hexed = ref.lower().replace("-", "")
        matches = [c for c in cards if c.id.hex == hexed]
        if not matches and len(hexed) >= 4:
            matches = [c for c in cards if c.id.hex.endswith(hexed)]
        if not matches:
            matches = [c for c in cards if c.name == ref]
        what = kind or "card"
        if not matches:
            raise NotFound(f"No {what} {ref!r} on this project's board.")
        if len(matches) > 1:
            ids = ", ".join(c.short_id for c in matches[:5])
            raise Conflict(f"{ref!r} names {len(matches)} {what}s ({ids}); give its id.")
        return matches[0]

    # Writing -----------------------------------------------------------------------------

    def add(
        self,
        project_id: uuid.UUID,
        kind: str,
        name: str,
        *,
        description: str | None = None,
        status: str = "not_started",
        priority: str = "not-prioritized",
        bug_url: str | None = None,
        screenshot_url: str | None = None,
        position: int | None = None,
    ) -> PlanCard:
        """A new card at the end of its column (or at ``position`` there)."""
        kind = rules.check_kind(kind)
        fields = {
            "name": rules.check_name(name),
            "description": rules.check_description(description),
            "status": rules.check_status(status),
            "priority": rules.check_priority(priority),
            "bug_url": rules.check_url(bug_url, "bug_url"),
            "screenshot_url": rules.check_url(screenshot_url, "screenshot_url"),
        }
        _bug_fields_only_on_bugs(kind, fields)
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            lock_first(session)
            self._project(session, project_id, "member", "add cards to its board")
            lock_board(session, project_id)
            size = _column_size(session, project_id, fields["status"])
            at = size if position is None else max(0, min(position, size))
            item = PlanItem(
                id=self.ctx.new_id(),
                project_id=project_id,
                kind=kind,
                position=order.key_for(session, project_id, fields["status"], at, None),
                created_by=self.ctx.user_id,
                created_at=now,
                updated_at=now,
                **fields,
            )
            session.add(item)
            session.flush()
            return _card_of(item, at)

    def update(
        self,
        item_id: uuid.UUID,
        changes: Mapping[str, Any],
        *,
        expected: Mapping[str, Any] | None = None,
    ) -> PlanCard:
        """Change some of the card's fields (``EDITABLE``). ``expected`` holds the values
        the user saw; if any changed meanwhile the write is refused (StaleEdit)."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ValidationError(
                f"A card has no field {unknown[0]!r} to change; it has {', '.join(EDITABLE)}.",
                unknown[0],
            )
        clean = _clean(changes)
        with self.ctx.db.session() as session:
            item = self._locked(session, item_id, "change cards")
            if expected is not None:
                refuse_stale(
                    f"The {item.kind} {item.name!r}",
                    dict(expected),
                    {name: getattr(item, name) for name in expected},
                    "Look at it again; saving once more keeps your version.",
                )
            _bug_fields_only_on_bugs(item.kind, clean)
            status = clean.pop("status", item.status)
            if status != item.status:
                end = _column_size(session, item.project_id, status)
                item.position = order.key_for(session, item.project_id, status, end, item.id)
                item.status = status
            for name, value in clean.items():
                setattr(item, name, value)
            item.updated_at = self.ctx.now()
            session.add(item)
            session.flush()
            return _card_of(item, order.place_of(session, item))

    def move(self, item_id: uuid.UUID, status: str, position: int | None = None) -> PlanCard:
        """Put the card in ``status``'s column at ``position`` (0 = top; past the end or
        None = the end), renumbering both columns so they stay dense."""
        status = rules.check_status(status)
        if position is not None and position < 0:
            raise ValidationError("A position counts from 0 at the top of a column.", "position")
        with self.ctx.db.session() as session:
            item = self._locked(session, item_id, "move cards")
            here = order.place_of(session, item)
            size = _column_size(session, item.project_id, status)
            if status == item.status:
                size -= 1  # the card itself leaves its place first
            at = size if position is None else min(position, size)
            if (status, at) != (item.status, here):
                item.position = order.key_for(session, item.project_id, status, at, item.id)
                item.status = status
                item.updated_at = self.ctx.now()
                session.add(item)
                session.flush()
            return _card_of(item, at)

    def delete(self, item_id: uuid.UUID) -> PlanCard:
        """Delete the card (its links go with it); the cards below it move up one."""
        with self.ctx.db.session() as session:
            item = self._locked(session, item_id, "delete cards")
            gone = _card_of(item, order.place_of(session, item))
            session.delete(item)  # the cards below it count one place less: nothing to write
            session.flush()
            return gone

    # Helpers -----------------------------------------------------------------------------

    def _project(
        self, session: Session, project_id: uuid.UUID, minimum: str, action: str
    ) -> tuple[Project, str]:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        _, role = require_role(session, project.workspace_id, self.ctx.user_id, minimum, action)
        return project, role

    def _locked(self, session: Session, item_id: uuid.UUID, action: str) -> PlanItem:
        """The card, read under its board's lock, if the user may edit there. One query
        finds the card and the user's role: every move goes through here."""
        lock_first(session)
        found = session.execute(
            select(PlanItem, Project.workspace_id, WorkspaceMember.role)
            .join(Project, col(Project.id) == col(PlanItem.project_id))
            .outerjoin(
                WorkspaceMember,
                (col(WorkspaceMember.workspace_id) == col(Project.workspace_id))
                & (col(WorkspaceMember.user_id) == self.ctx.user_id),
            )
            .where(col(PlanItem.id) == item_id)
        ).first()
        if found is None:
            raise NotFound(_GONE)
        item, workspace_id, role = found
        if role is None or ROLE_RANK[role] < ROLE_RANK["member"]:
            # Raises, with the words every domain uses for a missing or too-small role.
            require_role(session, workspace_id, self.ctx.user_id, "member", action)
        if session.get_bind().dialect.name == "postgresql":
            lock_board(session, item.project_id)
            # Read again under the lock: it may have moved, or gone, while we waited.
            item = session.get(PlanItem, item_id, populate_existing=True)
            if item is None:
                raise NotFound(_GONE)
        return item


def _read_board(
    session: Session, project_id: uuid.UUID, first: int | None
) -> tuple[dict[str, int], list[Any], dict[uuid.UUID, int]]:
    """The board's rows as ``PlanService.board`` describes them (which ``warm`` prepares:
    both run these very statements): every column's count, the rows, the cards' links."""
    in_project = col(PlanItem.project_id) == project_id
    counts = session.execute(
        select(PlanItem.status, func.count()).where(in_project).group_by(PlanItem.status)
    ).all()
    totals = {status: 0 for status in PLAN_STATUSES} | {s: int(n) for s, n in counts}
    # Plain columns, not ORM rows: a board of thousands opens in a few milliseconds.
    query = select(*_COLUMNS).where(in_project)
    if first is None:
        rows = list(session.execute(query).all())
    else:
        rows = []
        for status in PLAN_STATUSES:
            rows += session.execute(
                query.where(col(PlanItem.status) == status)
                .order_by(col(PlanItem.position), col(PlanItem.id))
                .limit(first)
            ).all()
    shown = None if first is None else [row[0] for row in rows]
    return totals, rows, link_counts(session, project_id, shown)


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    checks = {
        "name": rules.check_name,
        "description": rules.check_description,
        "priority": rules.check_priority,
        "status": rules.check_status,
        "bug_url": lambda v: rules.check_url(v, "bug_url"),
        "screenshot_url": lambda v: rules.check_url(v, "screenshot_url"),
    }
    return {name: checks[name](value) for name, value in changes.items()}


def _bug_fields_only_on_bugs(kind: str, fields: Mapping[str, Any]) -> None:
    if kind == "bug":
        return
    for name in ("bug_url", "screenshot_url"):
        if fields.get(name):
            raise ValidationError(
                f"Only bugs have a {rules.LABELS[name].lower()}; this card is a {kind}.", name
            )


def _column_size(session: Session, project_id: uuid.UUID, status: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(PlanItem)
            .where(PlanItem.project_id == project_id, PlanItem.status == status)
        )
        or 0
    )


def _placed(rows: list[Any]) -> list[PlanCard]:
    """Cards column by column, each in key order, with their places counted 0, 1, 2..."""
    column = {status: n for n, status in enumerate(PLAN_STATUSES)}
    # Rows: (id, …, status at 5, …, key at 7, …), as _COLUMNS lists them.
    rows = sorted(rows, key=lambda r: (column[r[5]], r[7], r[0]))
    places = dict.fromkeys(PLAN_STATUSES, 0)
    cards = []
    for row in rows:
        cards.append(_card(row, places[row[5]]))
        places[row[5]] += 1
    return cards


def _card(row: Any, position: int) -> PlanCard:
    (id_, project_id, kind, name, description, status, priority, _key, bug_url, shot,
     created, updated) = row  # fmt: skip
    return PlanCard(
        id=id_,
        project_id=project_id,
        kind=kind,
        name=name,
        description=description,
        status=status,
        priority=priority,
        position=position,
        bug_url=bug_url,
        screenshot_url=shot,
        implementation_status=status if kind == "feature" else None,
        created_at=created,
        updated_at=updated,
    )


def _card_of(item: PlanItem, position: int) -> PlanCard:
    return _card(tuple(getattr(item, column.key) for column in _COLUMNS), position)
