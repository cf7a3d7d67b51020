"""Publish library items, find them, read an item's page, and get one into the library."""

from __future__ import annotations

import uuid

from sqlalchemy import String, and_, cast, exists, func, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from promptterm.db.models import (
    CatalogContent,
    CatalogDownload,
    CatalogItem,
    CatalogProfile,
    CatalogPurchase,
    CatalogReview,
    CatalogTag,
    CatalogView,
    User,
)
from promptterm.services.catalog import rules, search, snapshots
from promptterm.services.catalog.info import (
    ItemInfo,
    ItemPage,
    ReviewInfo,
    item_info,
    nicknames,
)
from promptterm.services.catalog.sellers import is_seller
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Forbidden, NotFound

ID_PREFIX_MIN = 4  # as lists show ids: their first 8 characters
HEX = frozenset("0123456789abcdef")

Sort = search.Sort
Price = search.Price
SORTS: tuple[str, ...] = ("rating", "downloads", "newest", "price")


class CatalogService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # Publishing ------------------------------------------------------------------------

    def publish(
        self,
        kind: str,
        source: str,
        *,
        title: str,
        description: str | None = None,
        tags: list[str] | None = None,
        image_urls: list[str] | None = None,
        price: int = 0,
        currency: str = "USD",
        published: bool = True,
    ) -> ItemInfo:
        """Snapshot a library item into the catalog; publishing it again adds a version."""
        kind = rules.check_kind(kind)
        source = rules.check_source(kind, source)
        title = rules.check_title(title)
        text = rules.check_description(description)
        wanted_tags = rules.check_tags(tags)
        images = rules.check_urls(image_urls, "image_urls")
        price, currency = rules.check_price(price, currency)
        source_id, snapshot = snapshots.take(self.ctx, kind, source)
        now = self.ctx.now()
        uid = self.ctx.user_id
        with self.ctx.db.session() as session:
            if price > 0 and not is_seller(session, uid):
                raise Forbidden(
                    "price: only approved sellers sell items; publish it free (price 0), or "
                    "apply with `promptterm seller apply` and wait for approval."
                )
            row = session.exec(
                select(CatalogItem)
                .where(CatalogItem.seller_id == uid)
                .where(CatalogItem.kind == kind)
                .where(CatalogItem.source_id == source_id)
                .with_for_update()
            ).first()
            if row is None:
                row = CatalogItem(
                    id=self.ctx.new_id(), seller_id=uid, kind=kind, source_id=source_id,
                    title=title, description=text, created_at=now, version=1,
                )  # fmt: skip
            else:
                row.version += 1
            row.title, row.description, row.tags, row.image_urls = title, text, wanted_tags, images
            row.price, row.currency, row.published, row.updated_at = price, currency, published, now
            row.preview = rules.preview_of(snapshots.full_text(snapshot))
            row.search_text = rules.search_text(title, text, wanted_tags)
            session.add(row)
            session.flush()
            session.add(
                CatalogContent(
                    item_id=row.id, version=row.version, snapshot=snapshot, created_at=now
                )
            )
            for old in session.exec(select(CatalogTag).where(CatalogTag.item_id == row.id)):
                session.delete(old)
            session.flush()
            session.add_all(CatalogTag(item_id=row.id, tag=t) for t in wanted_tags)
            self._ensure_profile(session)
            return self._info(session, row)

    def set_published(self, item_id: uuid.UUID, published: bool) -> ItemInfo:
        with self.ctx.db.session() as session:
            row = self._own(session, item_id)
            row.published = published
            row.updated_at = self.ctx.now()
            session.add(row)
            return self._info(session, row)

    def mine(self) -> list[ItemInfo]:
        with self.ctx.db.session() as session:
            rows = session.exec(
                select(CatalogItem)
                .where(CatalogItem.seller_id == self.ctx.user_id)
                .order_by(col(CatalogItem.created_at).desc())
            ).all()
            return self._infos(session, list(rows))

    # Finding ---------------------------------------------------------------------------

    def search(
        self,
        text: str = "",
        *,
        kind: str | None = None,
        tag: str | None = None,
        price: Price = "any",
        min_rating: float | None = None,
        sort: Sort = "rating",
        limit: int = 50,
        offset: int = 0,
    ) -> list[ItemInfo]:
        """Published items whose title, description or tags hold every word of ``text``
        (a substring, any case), best first by ``sort`` (services/catalog/search.py)."""
        query = search.Query(
            words=tuple(text.lower().split()),
            kind=rules.check_kind(kind) if kind else None,
            tag=tag.strip().lower() or None if tag else None,
            price=price, min_rating=min_rating, sort=sort, limit=limit, offset=offset,
        )  # fmt: skip
        with self.ctx.db.session() as session:
            return search.search(session, query)

    def tags(self) -> list[str]:
        with self.ctx.db.session() as session:
            stmt = select(CatalogTag.tag).distinct().order_by(CatalogTag.tag).limit(200)
            return list(session.exec(stmt).all())

    def find(self, ref: str) -> ItemInfo:
        """An item by id, or by exact title (published, or one's own)."""
        with self.ctx.db.session() as session:
            return self._info(session, self._find(session, ref))

    def page(self, item_id: uuid.UUID, *, count_view: bool = True) -> ItemPage:
        """The item's page; opening it counts one view per person per day."""
        uid = self.ctx.user_id
        with self.ctx.db.session() as session:
            row = self._visible(session, item_id)
            if count_view and row.seller_id != uid:
                self._count_view(session, row.id)
                session.flush()
                session.refresh(row)
            bought = self._bought(session, row.id)
            complete = row.price == 0 or bought or row.seller_id == uid
            text = row.preview
            if complete:
                content = session.get(CatalogContent, (row.id, row.version))
                text = snapshots.full_text(content.snapshot) if content else row.preview
            reviews = session.exec(
                select(CatalogReview)
                .where(CatalogReview.item_id == row.id)
                .order_by(col(CatalogReview.updated_at).desc())
                .limit(20)
            ).all()
            names = nicknames(session, {row.seller_id, *(r.user_id for r in reviews)})
            return ItemPage(
                item=item_info(row, names[row.seller_id][0]),
                avatar_url=names[row.seller_id][1],
                reviews=tuple(
                    ReviewInfo(names[r.user_id][0], r.stars, r.body, r.updated_at) for r in reviews
                ),
                text=text,
                complete=complete,
                bought=bought,
            )

    # Getting into the library ------------------------------------------------------------

    def get(self, item_id: uuid.UUID) -> dict[str, str]:
        """Copy the item into one's library (free, bought or one's own); a second get
        updates what the first made. The ids of the library items."""
        uid = self.ctx.user_id
        with self.ctx.db.session() as session:
            row = self._visible(session, item_id)
            if not (row.price == 0 or row.seller_id == uid or self._bought(session, row.id)):
                raise Forbidden(
                    f"{row.title!r} costs {rules.format_price(row.price, row.currency)}: add it "
                    "to your cart and check out before getting it."
                )
            content = session.get(CatalogContent, (row.id, row.version))
            if content is None:
                raise NotFound(f"{row.title!r} has no readable content.")
            earlier = session.get(CatalogDownload, (row.id, uid))
            snapshot, version = dict(content.snapshot), row.version
            before = dict(earlier.library_ids) if earlier else {}
        made = snapshots.put(self.ctx, snapshot, row.title, before)
        with self.ctx.db.session() as session:
            record = session.get(CatalogDownload, (item_id, uid))
            if record is None:
                record = CatalogDownload(item_id=item_id, user_id=uid, version=version)
            record.version, record.library_ids, record.got_at = version, made, self.ctx.now()
            session.add(record)
        return made

    # Helpers ----------------------------------------------------------------------------

    def _ensure_profile(self, session: Session) -> None:
        # Buyers outside the seller's workspaces cannot read the seller's users row: the
        # profile is the public name, made from the display name on the first publish.
        if session.get(CatalogProfile, self.ctx.user_id) is None:
            user = session.get(User, self.ctx.user_id)
            name = user.display_name if user else "seller"
            session.add(
                CatalogProfile(user_id=self.ctx.user_id, nickname=name, updated_at=self.ctx.now())
            )

    def _count_view(self, session: Session, item_id: uuid.UUID) -> None:
        day = self.ctx.now().date()
        values = {"item_id": item_id, "user_id": self.ctx.user_id, "day": day}
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(insert(CatalogView).values(**values).on_conflict_do_nothing())

    def _bought(self, session: Session, item_id: uuid.UUID) -> bool:
        stmt = select(CatalogPurchase.id).where(
            CatalogPurchase.item_id == item_id, CatalogPurchase.buyer_id == self.ctx.user_id
        )
        return session.exec(stmt).first() is not None

    def _visible_clause(self) -> object:
        uid = self.ctx.user_id
        bought = exists().where(
            and_(CatalogPurchase.item_id == CatalogItem.id, CatalogPurchase.buyer_id == uid)
        )
        return or_(CatalogItem.published == True, CatalogItem.seller_id == uid, bought)  # noqa: E712

    def _visible(self, session: Session, item_id: uuid.UUID) -> CatalogItem:
        row = session.exec(
            select(CatalogItem).where(CatalogItem.id == item_id).where(self._visible_clause())  # type: ignore[arg-type]
        ).first()
        if row is None:
            raise NotFound("No such catalog item (it may have been unpublished).")
        return row

    def _find(self, session: Session, ref: str) -> CatalogItem:
        try:
            return self._visible(session, uuid.UUID(ref))
        except ValueError:
            pass
        rows = session.exec(
            select(CatalogItem)
            .where(func.lower(CatalogItem.title) == ref.strip().lower())
            .where(self._visible_clause())  # type: ignore[arg-type]
            .limit(2)
        ).all()
        if len(rows) > 1:
            raise NotFound(f"Several catalog items are titled {ref!r}; use its id.")
        if not rows:
            rows = self._by_id_prefix(session, ref)
            if len(rows) > 1:
                raise NotFound(f"Several catalog items' ids start with {ref!r}: give more of it.")
        if not rows:
            raise NotFound(
                f"No catalog item is titled {ref!r} or has an id starting with it; "
                "try `promptterm catalog list`."
            )
        return rows[0]

    def _by_id_prefix(self, session: Session, ref: str) -> list[CatalogItem]:
        """The items whose id starts with ``ref`` (the first characters that lists show,
        4 or more), as git takes a commit's."""
        digits = ref.strip().lower().replace("-", "")
        if len(digits) < ID_PREFIX_MIN or not all(c in HEX for c in digits):
            return []
        plain_id = func.replace(cast(CatalogItem.id, String), "-", "")
        return list(
            session.exec(
                select(CatalogItem)
                .where(plain_id.like(f"{digits}%"))
                .where(self._visible_clause())  # type: ignore[arg-type]
                .limit(2)
            ).all()
        )

    def _own(self, session: Session, item_id: uuid.UUID) -> CatalogItem:
        row = session.get(CatalogItem, item_id)
        if row is None or row.seller_id != self.ctx.user_id:
            raise NotFound("No such catalog item of yours.")
        return row

    def _info(self, session: Session, row: CatalogItem) -> ItemInfo:
        return item_info(row, nicknames(session, {row.seller_id})[row.seller_id][0])

    def _infos(self, session: Session, rows: list[CatalogItem]) -> list[ItemInfo]:
        names = nicknames(session, {r.seller_id for r in rows})
        return [item_info(r, names[r.seller_id][0]) for r in rows]
