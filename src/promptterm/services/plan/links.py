"""Links from a card to a file of its project, a thread, or another card of its project.

A link to a file or a thread is followed in the app (the editor opens the file, the chat the
thread); a file in the trash keeps its link, shown as ``gone`` until it is restored or the
link removed. A link between two cards has a relation (relates, blocks, duplicates) and is
shown on both cards: on the other as an incoming link ("blocked by"). Two cards are linked
at most once, whichever way round: a second link between them is refused, as is a link to
the card itself or to a card of another project."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from promptterm.db.models import Conversation, File, PlanItem, PlanLink, Project
from promptterm.db.vocab import PLAN_LINK_RELATIONS
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.plan.models import LinkTarget, PlanLinkInfo
from promptterm.services.workspaces import require_role

_GONE = "That card no longer exists: someone may have deleted it. Reload the board."


class PlanLinkService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def links(self, item_id: uuid.UUID) -> list[PlanLinkInfo]:
        """The card's links, oldest first, each with what it points at in words: its own,
        then other cards' links to it (``incoming``)."""
        with self.ctx.db.session() as session:
            self._item(session, item_id, "viewer", "see its board")
            order = (col(PlanLink.created_at), col(PlanLink.id))
            rows = session.exec(
                select(PlanLink).where(PlanLink.item_id == item_id).order_by(*order)
            ).all()
            incoming = session.exec(
                select(PlanLink).where(PlanLink.target_item_id == item_id).order_by(*order)
            ).all()
            return [self._info(session, link) for link in rows] + [
                self._incoming(session, link) for link in incoming
            ]

    def link_info(self, link_id: uuid.UUID) -> PlanLinkInfo:
        """One link as it is now: what following it checks first (its target may have been
        deleted since the list was read)."""
        with self.ctx.db.session() as session:
            link = session.get(PlanLink, link_id)
            if link is None:
                raise NotFound(
                    "That link no longer exists: its file or thread was deleted, or someone "
                    "removed it."
                )
            self._item(session, link.item_id, "viewer", "see its board")
            return self._info(session, link)

    def candidates(self, item_id: uuid.UUID) -> list[LinkTarget]:
        """What the card can link to besides a card: its project's files by path, then the
        user's threads (the project's first, each most recently active first)."""
        with self.ctx.db.session() as session:
            project_id = self._item(session, item_id, "viewer", "see its board").project_id
            files = session.exec(
                select(File.id, File.path)
                .where(
                    File.project_id == project_id,
                    File.type == "file",
                    col(File.is_deleted).is_(False),
                )
                .order_by(col(File.path))
            ).all()
            threads = session.exec(
                select(Conversation.id, Conversation.title, Conversation.project_id)
                .where(
                    Conversation.user_id == self.ctx.user_id,
                    col(Conversation.is_archived).is_(False),
                )
                .order_by(col(Conversation.updated_at).desc(), col(Conversation.id))
            ).all()
        found = [LinkTarget("file", file_id, path, "") for file_id, path in files]
        here = [t for t in threads if t[2] == project_id]
        for thread_id, title, home in here + [t for t in threads if t[2] != project_id]:
            where = "this project" if home == project_id else ""
            found.append(LinkTarget("thread", thread_id, title or "Untitled thread", where))
        return found

    def link(
        self,
        item_id: uuid.UUID,
        *,
        file_id: uuid.UUID | None = None,
        thread_id: uuid.UUID | None = None,
        card_id: uuid.UUID | None = None,
        relation: str = "relates",
    ) -> PlanLinkInfo:
        """Link the card to exactly one of a file, a thread or another card; a link to a
        card says how they relate (``relation``: relates, blocks, duplicates)."""
        relation = check_relation(relation)
        targets = {"file": file_id, "thread": thread_id, "card": card_id}
        given = [(kind, value) for kind, value in targets.items() if value is not None]
        if len(given) != 1:
            raise ValidationError("Link a card to one file, one thread or one card.", "target")
        kind, target = given[0]
        if kind != "card" and relation != "relates":
            raise ValidationError(
                f"Only a link to another card can be {relation!r}; a {kind} only relates.",
                "relation",
            )
        with self.ctx.db.session() as session:
            item = self._item(session, item_id, "member", "link cards")
            self._check_target(session, item, kind, target)
            existing = session.exec(
                select(PlanLink).where(
                    PlanLink.item_id == item_id,
                    col(_TARGET_COLUMN[kind]) == target,
                )
            ).first()
            if existing is not None:
                raise Conflict("The card already links there.")
            if kind == "card":
                self._refuse_reverse(session, item, target)
            link = PlanLink(
                id=self.ctx.new_id(),
                project_id=item.project_id,
                item_id=item_id,
                target_kind=kind,
                created_by=self.ctx.user_id,
                created_at=self.ctx.now(),
                relation=relation,
                **{f"target_{'item' if kind == 'card' else kind}_id": target},
            )
            session.add(link)
            session.flush()
            return self._info(session, link)

    def unlink(self, link_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            link = session.get(PlanLink, link_id)
            if link is None:
                raise NotFound("That link no longer exists.")
            self._item(session, link.item_id, "member", "unlink cards")
            session.delete(link)

    def unlink_cards(self, item_id: uuid.UUID, other_id: uuid.UUID) -> PlanLinkInfo:
        """Remove the link between two cards, whichever of them it starts from."""
        with self.ctx.db.session() as session:
            self._item(session, item_id, "member", "unlink cards")
            link = session.exec(select(PlanLink).where(_between(item_id, other_id))).first()
            if link is None:
                raise NotFound("Those two cards are not linked.")
            gone = self._info(session, link)
            session.delete(link)
            return gone

    def unlink_target(
        self,
        item_id: uuid.UUID,
        *,
        file_id: uuid.UUID | None = None,
        thread_id: uuid.UUID | None = None,
    ) -> PlanLinkInfo:
        """Remove the card's link to a file or a thread (a script names the target, not the
        link)."""
        kind, target = ("file", file_id) if file_id is not None else ("thread", thread_id)
        if target is None or (file_id is not None and thread_id is not None):
            raise ValidationError("Unlink one file or one thread.", "target")
        with self.ctx.db.session() as session:
            self._item(session, item_id, "member", "unlink cards")
            link = session.exec(
                select(PlanLink).where(
                    PlanLink.item_id == item_id, col(_TARGET_COLUMN[kind]) == target
                )
            ).first()
            if link is None:
                raise NotFound(f"The card does not link to that {kind}.")
            gone = self._info(session, link)
            session.delete(link)
            return gone

    def _refuse_reverse(self, session: Session, item: PlanItem, target: uuid.UUID) -> None:
        back = session.exec(
            select(PlanLink).where(PlanLink.item_id == target, PlanLink.target_item_id == item.id)
        ).first()
        if back is not None:
            other = session.get(PlanItem, target)
            name = other.name if other is not None else "that card"
            raise Conflict(
                f"These cards are already linked: {name!r} {back.relation} this one. "
                "Remove that link first to link them another way."
            )

    def _incoming(self, session: Session, link: PlanLink) -> PlanLinkInfo:
        card = session.get(PlanItem, link.item_id)
        title = card.name if card is not None else None
        return PlanLinkInfo(
            link.id, link.item_id, "card", link.item_id, title, link.relation, incoming=True
        )

    def _item(self, session: Session, item_id: uuid.UUID, minimum: str, action: str) -> PlanItem:
        item = session.get(PlanItem, item_id)
        if item is None:
            raise NotFound(_GONE)
        project = session.get(Project, item.project_id)
        assert project is not None  # the foreign key cascades
        require_role(session, project.workspace_id, self.ctx.user_id, minimum, action)
        return item

    def _check_target(self, session: Session, item: PlanItem, kind: str, target: uuid.UUID) -> None:
        if kind == "card":
            other = session.get(PlanItem, target)
            if target == item.id:
                raise ValidationError("A card cannot link to itself.", "card")
            if other is None or other.project_id != item.project_id:
                raise NotFound("That card is not on this project's board.")
        elif kind == "file":
            file = session.get(File, target)
            if file is None or file.project_id != item.project_id or file.is_deleted:
                raise NotFound("That file is not in this project.")
        else:
            thread = session.get(Conversation, target)
            if thread is None or thread.user_id != self.ctx.user_id:
                raise NotFound("That thread does not exist or is not yours.")

    def _info(self, session: Session, link: PlanLink) -> PlanLinkInfo:
        title: str | None
        gone = False
        if link.target_kind == "file":
            target = link.target_file_id
            file = session.get(File, target)
            title = file.path if file is not None else None
            gone = file is None or file.is_deleted
        elif link.target_kind == "thread":
            target = link.target_thread_id
            thread = session.get(Conversation, target)
            visible = thread is not None and thread.user_id == self.ctx.user_id
            title = (thread.title or "Untitled thread") if visible and thread else None
        else:
            target = link.target_item_id
            card = session.get(PlanItem, target)
            title = card.name if card is not None else None
        assert target is not None  # the table's CHECK: exactly one target
        return PlanLinkInfo(
            link.id, link.item_id, link.target_kind, target, title, link.relation, gone=gone
        )


def check_relation(relation: str) -> str:
    word = (relation or "").strip().lower()
    if word not in PLAN_LINK_RELATIONS:
        raise ValidationError(
            f"Link kind {relation!r} is not one of ours; use one of: "
            f"{', '.join(PLAN_LINK_RELATIONS)}.",
            "relation",
        )
    return word


def link_counts(
    session: Session, project_id: uuid.UUID, only: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    """Card-to-card links per card of the project, counted on both of their cards; with
    ``only``, for those cards alone (a first paint counts what it shows, not every link)."""
    counts: dict[uuid.UUID, int] = {}
    for end in (PlanLink.item_id, PlanLink.target_item_id):
        query = select(end, func.count()).where(
            PlanLink.project_id == project_id, PlanLink.target_kind == "card"
        )
        if only is not None:
            query = query.where(col(end).in_(only))
        rows = session.execute(query.group_by(end)).all()
        for card_id, n in rows:
            counts[card_id] = counts.get(card_id, 0) + int(n)
    return counts


def _between(one: uuid.UUID, other: uuid.UUID) -> object:
    return or_(
        and_(PlanLink.item_id == one, PlanLink.target_item_id == other),
        and_(PlanLink.item_id == other, PlanLink.target_item_id == one),
    )


_TARGET_COLUMN = {
    "file": PlanLink.target_file_id,
    "thread": PlanLink.target_thread_id,
    "card": PlanLink.target_item_id,
}
