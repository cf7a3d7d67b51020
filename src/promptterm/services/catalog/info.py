"""What the catalog hands to screens and the CLI: plain frozen records, no ORM rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from promptterm.db.models.catalog import CatalogItem
from promptterm.services.catalog.rules import format_price


@dataclass(frozen=True)
class ItemInfo:
    id: uuid.UUID
    seller_id: uuid.UUID
    seller: str
    kind: str
    title: str
    description: str
    tags: tuple[str, ...]
    image_urls: tuple[str, ...]
    price: int
    currency: str
    published: bool
    version: int
    rating: float
    review_count: int
    download_count: int
    view_count: int
    created_at: datetime

    @property
    def price_text(self) -> str:
        return format_price(self.price, self.currency)

    @property
    def is_free(self) -> bool:
        return self.price == 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "seller": self.seller,
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "tags": list(self.tags),
            "image_urls": list(self.image_urls),
            "price": self.price,
            "currency": self.currency,
            "published": self.published,
            "version": self.version,
            "rating": round(self.rating, 2),
            "review_count": self.review_count,
            "download_count": self.download_count,
            "view_count": self.view_count,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class ReviewInfo:
    user: str
    stars: int
    body: str | None
    updated_at: datetime


@dataclass(frozen=True)
class ItemPage:
    item: ItemInfo
    avatar_url: str | None
    reviews: tuple[ReviewInfo, ...]
    # The whole text when the reader may have it (free, bought, or their own), else the
    # first lines only; ``complete`` says which.
    text: str
    complete: bool
    bought: bool


@dataclass(frozen=True)
class CartLine:
    item: ItemInfo
    seen_price: int
    seen_currency: str


@dataclass(frozen=True)
class PurchaseInfo:
    id: uuid.UUID
    order: str | None  # the buyer's payment order id; a seller doesn't see it
    item_id: uuid.UUID
    title: str
    buyer_id: uuid.UUID
    seller_id: uuid.UUID
    amount: int
    currency: str
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "payment_order_id": self.order,
            "item_id": str(self.item_id),
            "title": self.title,
            "buyer_id": str(self.buyer_id),
            "seller_id": str(self.seller_id),
            "amount": self.amount,
            "currency": self.currency,
            "created_at": self.created_at.isoformat(),
        }


def nicknames(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str | None]]:
    """Each seller's public nickname and avatar (their display name when they set none)."""
    from sqlmodel import col, select

    from promptterm.db.models import CatalogProfile, User

    found: dict[uuid.UUID, tuple[str, str | None]] = {}
    if not ids:
        return found
    for p in session.exec(select(CatalogProfile).where(col(CatalogProfile.user_id).in_(ids))):
        found[p.user_id] = (p.nickname, p.avatar_url)
    missing = ids - found.keys()
    if missing:
        for u in session.exec(select(User).where(col(User.id).in_(missing))):
            found[u.id] = (u.display_name, None)
    return {i: found.get(i, ("someone", None)) for i in ids}


def item_info(row: CatalogItem, seller: str) -> ItemInfo:
    return ItemInfo(
        id=row.id,
        seller_id=row.seller_id,
        seller=seller,
        kind=row.kind,
        title=row.title,
        description=row.description,
        tags=tuple(row.tags),
        image_urls=tuple(row.image_urls),
        price=row.price,
        currency=row.currency,
        published=row.published,
        version=row.version,
        rating=float(row.rating),
        review_count=row.review_count,
        download_count=row.download_count,
        view_count=row.view_count,
        created_at=row.created_at,
    )


def take_write_lock(session: Session) -> None:
    """On SQLite, take the write lock before the first read, so a read-then-write unit of
    work from a second connection waits its turn (busy timeout) instead of failing with a
    stale snapshot. PostgreSQL locks the rows it changes instead."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE catalog_items SET version = version WHERE 0"))
