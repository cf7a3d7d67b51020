"""Reviews: one per person and item, editable, 1 to 5 stars; never by the item's seller.
The item's rating and count follow from triggers (migration 0023), so two people reviewing
at the same moment both count."""

from __future__ import annotations

import uuid

from promptterm.db.models import CatalogItem, CatalogReview
from promptterm.services.catalog import rules
from promptterm.services.catalog.info import take_write_lock
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Forbidden, NotFound
from promptterm.services.validation import optional_text


class ReviewService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def review(self, item_id: uuid.UUID, stars: int, body: str | None = None) -> float:
        """Write or change one's review; the item's rating afterwards."""
        stars = rules.check_stars(stars)
        text = optional_text(body, "body", label="A review", max_len=2000)
        uid, now = self.ctx.user_id, self.ctx.now()
        with self.ctx.db.session() as session:
            take_write_lock(session)
            item = session.get(CatalogItem, item_id)
            if item is None or not item.published:
                raise NotFound("No such published catalog item.")
            if item.seller_id == uid:
                raise Forbidden("stars: you cannot review your own item.")
            row = session.get(CatalogReview, (item_id, uid))
            if row is None:
                row = CatalogReview(item_id=item_id, user_id=uid, stars=stars, created_at=now)
            row.stars, row.body, row.updated_at = stars, text, now
            session.add(row)
            session.flush()
            session.refresh(item)
            return float(item.rating)
