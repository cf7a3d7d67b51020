"""The cart and checkout: everything in the cart is bought in one transaction, at the prices
the buyer saw, once; the payment order id makes a double submit buy nothing twice."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import CatalogCartEntry, CatalogItem, CatalogOrder, CatalogPurchase
from promptterm.services import billing
from promptterm.services.catalog import rules
from promptterm.services.catalog.info import (
    CartLine,
    PurchaseInfo,
    item_info,
    nicknames,
    take_write_lock,
)
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError


class CartService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add(self, item_id: uuid.UUID) -> list[CartLine]:
        uid = self.ctx.user_id
        with self.ctx.db.session() as session:
            item = session.get(CatalogItem, item_id)
            if item is None or not item.published:
                raise NotFound("No such published catalog item.")
            if item.seller_id == uid:
                raise Conflict(f"{item.title!r} is your own item: get it, no need to buy it.")
            if item.price == 0:
                raise Conflict(f"{item.title!r} is free: get it instead of buying it.")
            if self._bought(session, item_id):
                raise Conflict(f"You already bought {item.title!r}.")
            entry = session.get(CatalogCartEntry, (uid, item_id))
            if entry is None:
                entry = CatalogCartEntry(user_id=uid, item_id=item_id, created_at=self.ctx.now(),
                                         price=item.price, currency=item.currency)  # fmt: skip
            entry.price, entry.currency = item.price, item.currency
            session.add(entry)
            session.flush()
            return self._lines(session)

    def remove(self, item_id: uuid.UUID) -> list[CartLine]:
        with self.ctx.db.session() as session:
            entry = session.get(CatalogCartEntry, (self.ctx.user_id, item_id))
            if entry is None:
                raise NotFound("That item is not in your cart.")
            session.delete(entry)
            session.flush()
            return self._lines(session)

    def lines(self) -> list[CartLine]:
        with self.ctx.db.session() as session:
            return self._lines(session)

    def checkout(self, payment_order_id: str) -> list[PurchaseInfo]:
        """Buy everything in the cart under ``payment_order_id`` (made once per attempt by
        the caller: submitting the same one again returns the first checkout's purchases).

        Refused, buying nothing, when an item was unpublished or its price moved since it
        was added; the cart then shows the new price, so checking out again buys at it."""
        order_key = payment_order_id.strip()
        if not order_key or len(order_key) > 64:
            raise ValidationError("payment_order_id: 1 to 64 characters.", "payment_order_id")
        uid, now = self.ctx.user_id, self.ctx.now()
        try:
            with self.ctx.db.session() as session:
                take_write_lock(session)
                # Locking one's cart rows makes a second checkout (a double submit, another
                # window) wait for this one, then see what it did.
                entries = self._entries(session, lock=True)
                done = self._order(session, order_key)
                if done is not None:
                    return done
                if not entries:
                    raise Conflict("Your cart is empty: nothing was bought.")
                items = {
                    i.id: i
                    for i in session.exec(
                        select(CatalogItem).where(
                            col(CatalogItem.id).in_([e.item_id for e in entries])
                        )
                    ).all()
                }
                missing = [e for e in entries if e.item_id not in items]
                for gone in missing:  # unpublished, so no longer visible to the buyer
                    session.delete(gone)
                if missing:
                    session.commit()
                    raise Conflict(
                        "Nothing was bought: an item in your cart was unpublished; it was "
                        "taken out of your cart. Check out again to buy the rest."
                    )
                self._refuse_moved(session, entries, items)
                order = CatalogOrder(id=self.ctx.new_id(), buyer_id=uid,
                                     payment_order_id=order_key, created_at=now)  # fmt: skip
                session.add(order)
                session.flush()
                bought: list[CatalogPurchase] = []
                for entry in entries:
                    item = items[entry.item_id]
                    bought.append(
                        CatalogPurchase(
                            id=self.ctx.new_id(),
                            order_id=order.id,
                            buyer_id=uid,
                            item_id=item.id,
                            seller_id=item.seller_id,
                            version=item.version,
                            title=item.title,
                            amount=item.price,
                            currency=item.currency,
                            created_at=now,
                        )
                    )
                    session.add(bought[-1])
                    session.delete(entry)
                session.flush()
                # On the buyer's statement in the same transaction: bought means billed.
                for purchase in bought:
                    billing.add_purchase_charge(session, purchase.id)
                return self._order(session, order_key) or []
        except IntegrityError:
            # The same order id, or an item, bought meanwhile by a concurrent checkout
            # (another window, a double submit): that one went through, whole.
            with self.ctx.db.session() as session:
                done = self._order(session, order_key)
            if done is not None:
                return done
            raise Conflict(
                "Another checkout bought some of these items at the same moment; nothing "
                "was bought twice. Look at your cart and purchases, then check out again."
            ) from None

    def purchases(self) -> list[PurchaseInfo]:
        return self._purchases(CatalogPurchase.buyer_id == self.ctx.user_id)

    def sales(self) -> list[PurchaseInfo]:
        return self._purchases(CatalogPurchase.seller_id == self.ctx.user_id)

    # ------------------------------------------------------------------------------------

    def _refuse_moved(
        self, session: Session, entries: list[CatalogCartEntry], items: dict[uuid.UUID, CatalogItem]
    ) -> None:
        changes: list[str] = []
        for entry in entries:
            item = items[entry.item_id]
            if not item.published:
                changes.append(f"{item.title!r} was unpublished")
                session.delete(entry)
            elif self._bought(session, item.id):
                changes.append(f"{item.title!r} is already yours")
                session.delete(entry)
            elif (item.price, item.currency) != (entry.price, entry.currency):
                old = rules.format_price(entry.price, entry.currency)
                new = rules.format_price(item.price, item.currency)
                changes.append(f"{item.title!r} now costs {new} (was {old})")
                entry.price, entry.currency = item.price, item.currency
                session.add(entry)
        if changes:
            # Raised after the cart was brought up to date: that part is committed, so the
            # buyer sees the new prices, and checking out again buys at them.
            session.commit()
            raise Conflict(
                "Nothing was bought: " + "; ".join(changes) + ". Your cart shows the new "
                "prices; check out again to buy at them."
            )

    def _entries(self, session: Session, *, lock: bool = False) -> list[CatalogCartEntry]:
        stmt = select(CatalogCartEntry).where(CatalogCartEntry.user_id == self.ctx.user_id)
        if lock:
            stmt = stmt.with_for_update()
        return list(session.exec(stmt).all())

    def _bought(self, session: Session, item_id: uuid.UUID) -> bool:
        stmt = select(CatalogPurchase.id).where(
            CatalogPurchase.item_id == item_id, CatalogPurchase.buyer_id == self.ctx.user_id
        )
        return session.exec(stmt).first() is not None

    def _order(self, session: Session, key: str) -> list[PurchaseInfo] | None:
        order = session.exec(
            select(CatalogOrder).where(CatalogOrder.payment_order_id == key)
        ).first()
        if order is None:
            return None
        if order.buyer_id != self.ctx.user_id:
            raise Conflict("payment_order_id: that order id is already used; make a new one.")
        rows = session.exec(select(CatalogPurchase).where(CatalogPurchase.order_id == order.id))
        return [_purchase(p, key) for p in rows]

    def _lines(self, session: Session) -> list[CartLine]:
        rows = session.exec(
            select(CatalogCartEntry, CatalogItem)
            .join(CatalogItem, col(CatalogItem.id) == CatalogCartEntry.item_id)
            .where(CatalogCartEntry.user_id == self.ctx.user_id)
            .order_by(col(CatalogCartEntry.created_at), col(CatalogItem.title))
        ).all()
        names = nicknames(session, {item.seller_id for _, item in rows})
        return [
            CartLine(item_info(item, names[item.seller_id][0]), entry.price, entry.currency)
            for entry, item in rows
        ]

    def _purchases(self, where: object) -> list[PurchaseInfo]:
        with self.ctx.db.session() as session:
            rows = session.exec(
                select(CatalogPurchase, CatalogOrder.payment_order_id)
                # An outer join: a seller may read the sale, not the buyer's order (RLS).
                .outerjoin(CatalogOrder, col(CatalogOrder.id) == CatalogPurchase.order_id)
                .where(where)  # type: ignore[arg-type]
                .order_by(col(CatalogPurchase.created_at).desc(), col(CatalogPurchase.title))
            ).all()
            return [_purchase(p, key) for p, key in rows]


def cart_totals(lines: list[CartLine]) -> dict[str, int]:
    """What the cart costs, per currency."""
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.seen_currency] = totals.get(line.seen_currency, 0) + line.seen_price
    return totals


def _purchase(p: CatalogPurchase, key: str | None) -> PurchaseInfo:
    return PurchaseInfo(
        p.id, key, p.item_id, p.title, p.buyer_id, p.seller_id, p.amount, p.currency, p.created_at
    )
