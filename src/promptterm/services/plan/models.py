"""What the plan services hand out: plain frozen data, never live rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PlanCard:
    id: uuid.UUID
    project_id: uuid.UUID
    kind: str  # task, bug, feature
    name: str
    description: str | None
    # The board column. For a feature this is the seed's implementation_status, repeated
    # below under that name so scripts written against the seed find it.
    status: str
    priority: str
    position: int  # 0, 1, 2... within the project's status column
    bug_url: str | None
    screenshot_url: str | None
    implementation_status: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def short_id(self) -> str:
        """Enough of the id to name the card on a command line (``promptterm task move``):
        its end, random in a real id and distinct in the sequential ids of tests and demos."""
        return self.id.hex[-8:]


@dataclass(frozen=True)
class Board:
    """A project's cards, column by column (statuses in their order), each in position order."""

    project_id: uuid.UUID
    project_name: str
    role: str  # the user's role in the project's workspace: viewer reads, member and up edit
    cards: tuple[PlanCard, ...]
    # Cards in each column, all of them even when ``cards`` holds only the top of each
    # (``complete`` False: a first paint that does not wait for thousands of cards).
    totals: dict[str, int]
    complete: bool = True
    # How many card-to-card links each linked card has, in either direction (the column's
    # marker); a card with none is not in it.
    link_counts: dict[uuid.UUID, int] = field(default_factory=dict)

    @property
    def can_edit(self) -> bool:
        return self.role != "viewer"


@dataclass(frozen=True)
class PlanLinkInfo:
    id: uuid.UUID
    item_id: uuid.UUID
    target_kind: str  # file, thread, card
    target_id: uuid.UUID
    # The file's path, the thread's title or the card's name; None when the target is not
    # one the user can see (a teammate's thread).
    title: str | None
    relation: str = "relates"  # relates, blocks, duplicates (card to card)
    # True for another card's link to this one: ``target_id`` is then that other card.
    incoming: bool = False
    # The target was deleted but the link is kept (a file in the trash): nothing to open.
    gone: bool = False

    @property
    def words(self) -> str:
        """The link read from the card it is shown on: "blocks", "blocked by"…"""
        if self.target_kind != "card":
            return f"links to the {self.target_kind}"
        if not self.incoming:
            return self.relation
        return INCOMING_WORDS[self.relation]


@dataclass(frozen=True)
class LinkTarget:
    """Something a card can link to besides a card: a file of its project or a thread."""

    kind: str  # file, thread
    id: uuid.UUID
    title: str  # the file's path, the thread's title
    detail: str  # "this project" for the project's own threads, else empty


INCOMING_WORDS = {"relates": "relates", "blocks": "blocked by", "duplicates": "duplicated by"}
