"""An item's page and the cart as text: description, seller (avatar as a link), rating,
counts, tags, image links, the text (whole, or its first lines until bought), reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.style import Style

from promptterm.links import safe_url, web_url
from promptterm.services.catalog.rules import format_price

if TYPE_CHECKING:
    from datetime import datetime

    from promptterm.services.catalog import CartLine, ItemPage, PurchaseInfo


def _link(text: str, url: str | None) -> Content:
    target = web_url(url) if url else None
    if target is None:
        return Content(text)
    return Content(text).stylize(Style(link=safe_url(target), underline=True))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def stars(rating: float) -> str:
    full = round(rating)
    return "★" * full + "☆" * (5 - full)


def page_content(page: ItemPage) -> Content:
    item = page.item
    parts: list[Content | str | tuple[str, str]] = [
        (item.title, "bold"),
        (f"  {item.kind} · v{item.version} · ", "$text-muted"),
        (item.price_text, "bold $success" if item.is_free or page.bought else "bold $warning"),
        ("  (bought)" if page.bought else "", "$text-muted"),
        "\nby ",
        _link(item.seller, page.avatar_url),
        f"\n{stars(item.rating)} {item.rating:.1f} ({_count(item.review_count, 'review')})",
        (
            f" · {_count(item.download_count, 'get')} · {_count(item.view_count, 'view')}",
            "$text-muted",
        ),
    ]
    if item.tags:
        parts.append(("\n" + " ".join(f"#{t}" for t in item.tags), "$accent"))
    for n, url in enumerate(item.image_urls, 1):
        parts += ["\n", _link(f"image {n}: {url}", url)]
    if item.description:
        parts.append("\n\n" + item.description)
    parts.append(("\n\n" + ("Text" if page.complete else "Preview"), "bold"))
    parts.append("\n" + page.text)
    if not page.complete:
        parts.append(("\n… the rest after buying: a adds it to the cart", "$text-muted"))
    if page.reviews:
        parts.append(("\n\nReviews", "bold"))
        for review in page.reviews:
            parts.append(f"\n{stars(review.stars)} {review.user}")
            if review.body:
                parts.append((f": {review.body}", "$text-muted"))
    return Content.assemble(*parts)


def cart_content(lines: list[CartLine], bought: int) -> Content:
    if not lines:
        return Content.assemble(
            ("Cart", "bold"),
            (f"\nEmpty. a adds the highlighted item. {bought} bought so far.", "$text-muted"),
        )
    totals: dict[str, int] = {}
    parts: list[Content | str | tuple[str, str]] = [("Cart", "bold")]
    for line in lines:
        totals[line.seen_currency] = totals.get(line.seen_currency, 0) + line.seen_price
        price = format_price(line.seen_price, line.seen_currency)
        parts.append(f"\n{line.item.title}: {price}")
    total = ", ".join(format_price(v, k) for k, v in sorted(totals.items()))
    parts.append((f"\ntotal: {total}", "bold"))
    parts.append(("\n\nb checks out (asks first) · x removes the highlighted item", "$text-muted"))
    return Content.assemble(*parts)


def sales_content(sales: list[PurchaseInfo], now: datetime) -> Content:
    """What others bought from the user, newest first, with the total per currency."""
    from promptterm.ui.common.widgets.format import ago

    if not sales:
        return Content.assemble(
            ("Your sales", "bold"),
            ("\nNone yet. n publishes a library item (priced: once a seller).", "$text-muted"),
        )
    totals: dict[str, int] = {}
    parts: list[Content | str | tuple[str, str]] = [(f"Your sales ({len(sales)})", "bold")]
    for sale in sales:
        totals[sale.currency] = totals.get(sale.currency, 0) + sale.amount
        when = ago(sale.created_at, now)
        parts.append(f"\n{sale.title}: {format_price(sale.amount, sale.currency)}")
        parts.append((f"  {when}", "$text-muted"))
    total = ", ".join(format_price(v, k) for k, v in sorted(totals.items()))
    parts.append((f"\ntotal: {total}", "bold"))
    parts.append(("\n\nS again shows the highlighted item", "$text-muted"))
    return Content.assemble(*parts)
