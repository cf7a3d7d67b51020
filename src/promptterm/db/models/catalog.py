"""The catalog (seed 001): published snapshots of library items, their reviews, views and
downloads, carts, orders and purchases, seller applications and public profiles.

Counts on ``catalog_items`` (views, downloads, reviews and the stars behind the rating) are
kept by triggers (migration 0023), so they stay right under concurrent writers and nobody,
not even the seller, writes them by hand.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from promptterm.db.models._base import created_field, fk, id_field, json_field, ts_field

CATALOG_KINDS = ("component", "preset", "prompt")


class CatalogProfile(SQLModel, table=True):
    __tablename__ = "catalog_profiles"

    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    nickname: str = Field(max_length=100)
    avatar_url: str | None = Field(default=None, max_length=500)
    updated_at: datetime = created_field()


class CatalogItem(SQLModel, table=True):
    __tablename__ = "catalog_items"
    __table_args__ = (
        # One listing per library item and seller: publishing again makes a new version.
        UniqueConstraint("seller_id", "kind", "source_id"),
        # One per sort, ending in the tie-breaker, so a page is read in order from an index
        # (backwards for the descending sorts) instead of sorting every published item.
        Index(None, "published", "rating", "review_count", "id"),
        Index(None, "published", "download_count", "id"),
        Index(None, "published", "created_at", "id"),
        Index(None, "published", "price", "id"),
        CheckConstraint("kind IN ('component', 'preset', 'prompt')", name="kind"),
        CheckConstraint("price >= 0 AND price <= 100000000", name="price_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("rating_total >= 0 AND review_count >= 0", name="reviews_positive"),
    )

    id: uuid.UUID = id_field()
    seller_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    kind: str = Field(max_length=16)
    source_id: uuid.UUID
    title: str = Field(max_length=100)
    description: str = Field(max_length=2000)
    tags: list[str] = json_field([])
    image_urls: list[str] = json_field([])
    price: int = Field(default=0)
    currency: str = Field(default="USD", max_length=3)
    published: bool = Field(default=True)
    version: int = Field(default=1)
    # What anyone may read before buying: the first lines of the text.
    preview: str = Field(default="")
    # Lower-cased title, description and tags: what search looks in.
    search_text: str = Field(default="")
    rating: float = Field(default=0.0)
    rating_total: int = Field(default=0)
    review_count: int = Field(default=0)
    download_count: int = Field(default=0)
    view_count: int = Field(default=0)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class CatalogTag(SQLModel, table=True):
    """One row per tag of a published item, so a tag filter is an index look-up."""

    __tablename__ = "catalog_tags"
    __table_args__ = (Index(None, "tag", "item_id"),)

    item_id: uuid.UUID = Field(foreign_key="catalog_items.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(max_length=50, primary_key=True)


class CatalogContent(SQLModel, table=True):
    """The full snapshot of one version: readable by its seller, by buyers, and by anyone
    when the item is free and published."""

    __tablename__ = "catalog_contents"

    item_id: uuid.UUID = Field(foreign_key="catalog_items.id", ondelete="CASCADE", primary_key=True)
    version: int = Field(primary_key=True)
    snapshot: dict[str, Any] = json_field({})
    created_at: datetime = created_field()


class CatalogReview(SQLModel, table=True):
    __tablename__ = "catalog_reviews"
    __table_args__ = (CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),)

    item_id: uuid.UUID = Field(foreign_key="catalog_items.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    stars: int
    body: str | None = Field(default=None, max_length=2000)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class CatalogView(SQLModel, table=True):
    """A view counts once per person per (UTC) day: the key says so."""

    __tablename__ = "catalog_views"

    item_id: uuid.UUID = Field(foreign_key="catalog_items.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    day: date = Field(primary_key=True)


class CatalogDownload(SQLModel, table=True):
    """A "get" into the library: one row per person and item, updated by a later get."""

    __tablename__ = "catalog_downloads"

    item_id: uuid.UUID = Field(foreign_key="catalog_items.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    version: int
    library_ids: dict[str, Any] = json_field({})
    got_at: datetime = created_field()


class CatalogCartEntry(SQLModel, table=True):
    __tablename__ = "catalog_cart"

    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    item_id: uuid.UUID = Field(foreign_key="catalog_items.id", ondelete="CASCADE", primary_key=True)
    # The price the buyer saw when adding it: checkout refuses when it has moved.
    price: int
    currency: str = Field(max_length=3)
    created_at: datetime = created_field()


class CatalogOrder(SQLModel, table=True):
    __tablename__ = "catalog_orders"

    id: uuid.UUID = id_field()
    buyer_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    payment_order_id: str = Field(max_length=64, unique=True)
    created_at: datetime = created_field()


class CatalogPurchase(SQLModel, table=True):
    __tablename__ = "catalog_purchases"
    __table_args__ = (
        # Nothing is bought twice.
        UniqueConstraint("buyer_id", "item_id"),
        Index(None, "seller_id", "created_at"),
        CheckConstraint("amount >= 0", name="amount_positive"),
    )

    id: uuid.UUID = id_field()
    order_id: uuid.UUID = fk("catalog_orders.id", "CASCADE", index=True)
    buyer_id: uuid.UUID = fk("users.id", "CASCADE")
    item_id: uuid.UUID = fk("catalog_items.id", "CASCADE", index=True)
    seller_id: uuid.UUID = fk("users.id", "CASCADE")
    version: int
    title: str = Field(max_length=100)
    amount: int
    currency: str = Field(max_length=3)
    created_at: datetime = created_field()


class SellerApplication(SQLModel, table=True):
    __tablename__ = "seller_applications"
    __table_args__ = (
        Index(None, "processed", "created_at"),
        CheckConstraint(
            "decision IS NULL OR decision IN ('approved', 'declined')", name="decision"
        ),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", "CASCADE", index=True)
    name: str = Field(max_length=100)
    email: str = Field(max_length=254)
    portfolio_url: str | None = Field(default=None, max_length=500)
    categories: list[str] = json_field([])
    message: str | None = Field(default=None, max_length=2000)
    processed: bool = Field(default=False)
    decision: str | None = Field(default=None, max_length=16)
    processed_by: uuid.UUID | None = fk("users.id", "SET NULL", nullable=True)
    processed_at: datetime | None = ts_field()
    created_at: datetime = created_field()
