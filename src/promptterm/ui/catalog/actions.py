"""What the catalog's keys do to the data: publish (a form), review (a form), add to and
remove from the cart, check out (asks first, one payment order id per attempt, so a second
press buys nothing twice), get into the library. Each runs in a worker and posts
CatalogChanged; the screen reloads what shows."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import work

from promptterm.services.catalog.rules import CURRENCIES, KINDS, format_price
from promptterm.ui.catalog.messages import CatalogChanged
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.dialogs.fields import Field

if TYPE_CHECKING:
    from promptterm.services.catalog import CartLine, ItemInfo


class CatalogActions(AreaScreen):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[ItemInfo] = []
        self.cart: list[CartLine] = []

    def highlighted(self) -> ItemInfo | None:
        raise NotImplementedError  # the screen knows its table

    # Publish ----------------------------------------------------------------------------

    def action_publish(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        fields = [
            Field("kind", "Kind", "component", choices=KINDS),
            Field("source", "Library item (name or id)"),
            Field("title", "Title"),
            Field("description", "Description"),
            Field("tags", "Tags", placeholder="comma, separated"),
            Field("image_urls", "Image URLs", placeholder="https://…, space separated"),
            Field("price", "Price", placeholder="in cents, e.g. 499; empty = free"),
            Field("currency", "Currency", "USD", choices=CURRENCIES),
        ]

        def submit(values: dict[str, str]) -> str:
            from promptterm.services.errors import ValidationError

            try:
                price = int(values["price"].strip() or "0")
            except ValueError:
                raise ValidationError(
                    "price: a whole number of cents, 0 = free.", "price"
                ) from None
            item = self.services.catalog.publish(
                values["kind"], values["source"], title=values["title"] or values["source"],
                description=values["description"],
                tags=[t for t in values["tags"].split(",") if t.strip()],
                image_urls=values["image_urls"].split(), price=price, currency=values["currency"],
            )  # fmt: skip
            return f"Published {item.title!r} v{item.version} ({item.price_text})."

        self.app.push_screen(
            FormScreen("Publish to the catalog", fields, submit, submit_label="Publish"),
            self._after_form,
        )

    def _after_form(self, note: str | None) -> None:
        if note:
            self.post_message(CatalogChanged(note))

    # Review -----------------------------------------------------------------------------

    def action_review(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        item = self.highlighted()
        if item is None:
            return
        fields = [
            Field("stars", "Stars", "5", choices=("1", "2", "3", "4", "5")),
            Field("body", "Review", placeholder="what it did for you (optional)"),
        ]

        def submit(values: dict[str, str]) -> str:
            rating = self.services.catalog_reviews.review(
                item.id, int(values["stars"]), values["body"]
            )
            return f"Reviewed {item.title!r}: now {rating:.1f}."

        self.app.push_screen(
            FormScreen(f"Review {item.title}", fields, submit, submit_label="Save"),
            self._after_form,
        )

    # Cart -------------------------------------------------------------------------------

    def action_add_to_cart(self) -> None:
        if (item := self.highlighted()) is not None:
            self._run(
                lambda: self.services.catalog_cart.add(item.id), f"{item.title!r} is in your cart."
            )

    def action_remove_from_cart(self) -> None:
        if (item := self.highlighted()) is not None:
            self._run(
                lambda: self.services.catalog_cart.remove(item.id),
                f"{item.title!r} left your cart.",
            )

    def action_get(self) -> None:
        if (item := self.highlighted()) is not None:
            self._run(
                lambda: self.services.catalog.get(item.id),
                f"{item.title!r} is in your library ({item.kind}s, key 4).",
            )

    def action_checkout(self) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        if not self.cart:
            self.notify("Your cart is empty: a adds the highlighted item.")
            return
        totals: dict[str, int] = {}
        for line in self.cart:
            totals[line.seen_currency] = totals.get(line.seen_currency, 0) + line.seen_price
        total = ", ".join(format_price(v, k) for k, v in sorted(totals.items()))
        order = f"pt-{uuid.uuid4()}"  # one per attempt: pressing y twice buys once
        titles = ", ".join(line.item.title for line in self.cart)

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(
                    lambda: self.services.catalog_cart.checkout(order),
                    f"Bought {len(self.cart)} for {total}; g gets each into your library.",
                )

        self.app.push_screen(
            ConfirmScreen(
                "Check out", f"Buy {titles} for {total}?", confirm_label="Buy", danger=False
            ),
            answered,
        )

    @work(thread=True, exit_on_error=False, group="catalog-change")
    def _run(self, call: object, note: str) -> None:
        try:
            call()  # type: ignore[operator]
        except Exception:
            # Refused (the worker's error says why): a checkout refused for a new price has
            # brought the cart up to date, so show it as it is now.
            self.post_message(CatalogChanged(""))
            raise
        self.post_message(CatalogChanged(note))
