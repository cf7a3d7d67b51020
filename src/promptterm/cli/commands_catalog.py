"""`promptterm catalog publish|list|show|get|review|cart|checkout|sales` and `promptterm
seller apply|list|approve|decline`: the catalog for scripts, through the same services."""

from __future__ import annotations

import argparse
import uuid
from typing import TYPE_CHECKING, Any

from promptterm.cli.hyperlinks import Link, web_url, write_parts
from promptterm.cli.output import emit, print_json, table, when

if TYPE_CHECKING:
    from promptterm.services.catalog import CartLine, ItemInfo
    from promptterm.services.facade import Services

KINDS = ("component", "preset", "prompt")
SORTS = ("rating", "downloads", "newest", "price")


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    catalog = commands.add_parser("catalog", help="publish, find, review, buy and get prompts")
    sub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    publish = sub.add_parser("publish", parents=[as_json], help="publish a library item")
    publish.add_argument("kind", choices=KINDS, help="what the library item is")
    publish.add_argument("item", metavar="ITEM", help="the library item's name or id")
    publish.add_argument("--title", help="shown in the catalog (default: the item's name)")
    publish.add_argument("--description", default="", help="what it does, for the page")
    publish.add_argument("--tag", action="append", default=[], help="repeat for several")
    publish.add_argument("--image", action="append", default=[], help="an image URL (repeat)")
    publish.add_argument("--price", type=int, default=0, help="in minor units (cents); 0 = free")
    publish.add_argument("--currency", default="USD", help="USD, EUR, GBP, JPY… (default USD)")
    publish.add_argument("--unpublished", action="store_true", help="publish hidden")
    publish.set_defaults(handler=publish_command)
    listing = sub.add_parser("list", parents=[as_json], help="search the catalog")
    listing.add_argument("text", nargs="?", default="", help="words in title, description, tags")
    listing.add_argument("--kind", choices=KINDS, help="only this kind")
    listing.add_argument("--tag", help="only items with this tag")
    listing.add_argument(
        "--free", action="store_const", const="free", dest="price", help="only free items"
    )
    listing.add_argument(
        "--paid", action="store_const", const="paid", dest="price", help="only priced items"
    )
    listing.add_argument("--min-rating", type=float, help="only items rated at least this")
    listing.add_argument("--sort", choices=SORTS, default="rating", help="order (default rating)")
    listing.add_argument("--mine", action="store_true", help="what you published")
    listing.set_defaults(handler=list_command, price="any")
    show = sub.add_parser("show", parents=[as_json], help="an item's page (counts a view)")
    show.add_argument("item", metavar="ITEM", help="id or exact title")
    show.set_defaults(handler=show_command)
    get = sub.add_parser(
        "get", parents=[as_json], help="copy a free or bought item into the library"
    )
    get.add_argument("item", metavar="ITEM", help="id or exact title")
    get.set_defaults(handler=get_command)
    review = sub.add_parser("review", parents=[as_json], help="rate an item 1-5 (again: edit)")
    review.add_argument("item", metavar="ITEM", help="id or exact title")
    review.add_argument("stars", type=int, help="1 to 5")
    review.add_argument("text", nargs="?", help="what you thought (optional)")
    review.set_defaults(handler=review_command)
    cart = sub.add_parser("cart", parents=[as_json], help="show, add to or remove from the cart")
    cart.add_argument(
        "action", nargs="?", choices=("show", "add", "remove"), default="show", help="default show"
    )
    cart.add_argument("item", nargs="?", metavar="ITEM", help="id or exact title to add or remove")
    cart.set_defaults(handler=cart_command)
    checkout = sub.add_parser("checkout", parents=[as_json], help="buy everything in the cart")
    checkout.add_argument(
        "--order-id", help="payment order id: the same id again buys nothing twice (default: new)"
    )
    checkout.set_defaults(handler=checkout_command)
    sub.add_parser("sales", parents=[as_json], help="what others bought from you").set_defaults(
        handler=sales_command
    )

    export = sub.add_parser("export", parents=[as_json], help="write your free items to a folder")
    export.add_argument("folder", metavar="FOLDER", help="made if missing")
    export.set_defaults(handler=export_command)
    add = sub.add_parser("import", parents=[as_json], help="add a folder's items (read only)")
    add.add_argument("folder", metavar="FOLDER", help="a folder a catalog was exported to")
    add.set_defaults(handler=import_command)

    seller = commands.add_parser("seller", help="apply to sell; process applications")
    ssub = seller.add_subparsers(dest="seller_command", metavar="ACTION", required=True)
    apply = ssub.add_parser("apply", parents=[as_json], help="apply to sell priced items")
    apply.add_argument("--name", required=True, help="your name as a seller")
    apply.add_argument("--email", required=True, help="where to reach you")
    apply.add_argument("--portfolio", help="a URL of your work")
    apply.add_argument("--category", action="append", default=[], help="repeat for several")
    apply.add_argument("--message", help="anything the approver should know")
    apply.set_defaults(handler=seller_apply)
    slist = ssub.add_parser("list", parents=[as_json], help="applications you may see")
    slist.add_argument("--pending", action="store_true", help="only unprocessed ones")
    slist.set_defaults(handler=seller_list)
    for verb in ("approve", "decline"):
        decide = ssub.add_parser(verb, parents=[as_json], help=f"{verb} an application")
        decide.add_argument("application", metavar="ID", help="from `promptterm seller list`")
        decide.set_defaults(handler=seller_decide, approve=verb == "approve")


# -- catalog --------------------------------------------------------------------------------


def publish_command(services: Services, args: argparse.Namespace) -> int:
    item = services.catalog.publish(
        args.kind,
        args.item,
        title=args.title or args.item,
        description=args.description,
        tags=args.tag,
        image_urls=args.image,
        price=args.price,
        currency=args.currency,
        published=not args.unpublished,
    )
    emit(
        args.json,
        item.as_json(),
        lambda: print(
            f"Published {item.title!r} v{item.version} ({item.price_text}), id {item.id}"
        ),
    )
    return 0


def list_command(services: Services, args: argparse.Namespace) -> int:
    if args.mine:
        items = services.catalog.mine()
    else:
        items = services.catalog.search(
            args.text, kind=args.kind, tag=args.tag, price=args.price,
            min_rating=args.min_rating, sort=args.sort,
        )  # fmt: skip
    emit(args.json, [i.as_json() for i in items], lambda: _items_table(items))
    return 0


def _items_table(items: list[ItemInfo]) -> None:
    rows = [
        (i.title, i.kind, i.price_text, f"{i.rating:.1f} ({i.review_count})",
         i.download_count, i.seller, str(i.id)[:8])
        for i in items
    ]  # fmt: skip
    table(("TITLE", "KIND", "PRICE", "RATING", "GETS", "SELLER", "ID"), rows, "(no items)")


def show_command(services: Services, args: argparse.Namespace) -> int:
    page = services.catalog.page(services.catalog.find(args.item).id)
    if args.json:
        data = page.item.as_json()
        data.update(
            avatar_url=page.avatar_url, text=page.text, complete=page.complete, bought=page.bought,
            reviews=[{"user": r.user, "stars": r.stars, "text": r.body} for r in page.reviews],
        )  # fmt: skip
        print_json(data)
        return 0
    item = page.item
    print(f"{item.title}  ({item.kind}, v{item.version}, {item.price_text})")
    _link_line("by ", item.seller, page.avatar_url)
    print(
        f"rating {item.rating:.1f} from {item.review_count} reviews; "
        f"{item.download_count} gets, {item.view_count} views"
    )
    if item.tags:
        print("tags: " + ", ".join(item.tags))
    for url in item.image_urls:
        _link_line("image: ", url, url)
    if item.description:
        print("\n" + item.description)
    print("\n" + page.text)
    if not page.complete:
        print(f"… (first lines only: `promptterm catalog cart add {item.id}` to buy)")
    for review in page.reviews:
        print(
            f"  {'★' * review.stars}{'☆' * (5 - review.stars)} {review.user}: {review.body or ''}"
        )
    return 0


def _link_line(prefix: str, text: str, url: str | None) -> None:
    target = web_url(url) if url else None
    write_parts([prefix, Link(text, target) if target else text, "\n"])


def get_command(services: Services, args: argparse.Namespace) -> int:
    item = services.catalog.find(args.item)
    made = services.catalog.get(item.id)
    emit(
        args.json,
        {"item": str(item.id), "library": made},
        lambda: print(f"Got {item.title!r} into your library ({item.kind})."),
    )
    return 0


def review_command(services: Services, args: argparse.Namespace) -> int:
    item = services.catalog.find(args.item)
    rating = services.catalog_reviews.review(item.id, args.stars, args.text)
    emit(
        args.json,
        {"item": str(item.id), "stars": args.stars, "rating": rating},
        lambda: print(f"Reviewed {item.title!r}: now rated {rating:.2f}."),
    )
    return 0


def cart_command(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.catalog import cart_totals

    if args.action != "show":
        if not args.item:
            print(f"promptterm catalog cart {args.action}: name the ITEM (id or title)")
            return 2
        item = services.catalog.find(args.item)
        act = services.catalog_cart.add if args.action == "add" else services.catalog_cart.remove
        lines = act(item.id)
    else:
        lines = services.catalog_cart.lines()
    totals = cart_totals(lines)
    data = {"items": [_line_json(line) for line in lines], "totals": totals}
    emit(args.json, data, lambda: _cart_table(lines, totals))
    return 0


def _line_json(line: CartLine) -> dict[str, Any]:
    return {
        **line.item.as_json(),
        "price_seen": line.seen_price,
        "currency_seen": line.seen_currency,
    }


def _cart_table(lines: list[CartLine], totals: dict[str, int]) -> None:
    from promptterm.services.catalog import format_price

    table(
        ("TITLE", "PRICE", "SELLER", "ID"),
        [
            (
                line.item.title,
                format_price(line.seen_price, line.seen_currency),
                line.item.seller,
                str(line.item.id)[:8],
            )
            for line in lines
        ],
        "(your cart is empty)",
    )
    if totals:
        print("total: " + ", ".join(format_price(v, k) for k, v in sorted(totals.items())))


def checkout_command(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.catalog import format_price

    order = args.order_id or f"pt-{uuid.uuid4()}"
    bought = services.catalog_cart.checkout(order)

    def human() -> None:
        for p in bought:
            print(f"Bought {p.title!r} for {format_price(p.amount, p.currency)}")
        print(f"payment order id: {order}; `promptterm catalog get ITEM` puts it in your library")

    emit(args.json, {"payment_order_id": order, "purchases": [p.as_json() for p in bought]}, human)
    return 0


def sales_command(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.catalog import format_price

    sales = services.catalog_cart.sales()
    rows = [(when(s.created_at), s.title, format_price(s.amount, s.currency)) for s in sales]
    emit(
        args.json,
        [s.as_json() for s in sales],
        lambda: table(("WHEN", "TITLE", "AMOUNT"), rows, "(no sales yet)"),
    )
    return 0


def export_command(services: Services, args: argparse.Namespace) -> int:
    report = services.catalog_folder.export_to(args.folder)

    def human() -> None:
        print(f"Wrote {len(report.written)} items to {args.folder}.")
        for line in report.skipped:
            print(f"  skipped {line}")

    emit(args.json, report, human)
    return 0


def import_command(services: Services, args: argparse.Namespace) -> int:
    report = services.catalog_folder.add_from(args.folder)

    def human() -> None:
        print(f"Added {len(report.added)}, updated {len(report.updated)} from {args.folder}.")
        for line in report.skipped:
            print(f"  skipped {line}")

    emit(args.json, report, human)
    return 0


# -- seller ---------------------------------------------------------------------------------


def seller_apply(services: Services, args: argparse.Namespace) -> int:
    made = services.sellers.apply(
        name=args.name, email=args.email, portfolio_url=args.portfolio,
        categories=args.category, message=args.message,
    )  # fmt: skip
    emit(
        args.json,
        made.as_json(),
        lambda: print(
            f"Applied to sell (application {made.id}); an owner of your workspace processes it."
        ),
    )
    return 0


def seller_list(services: Services, args: argparse.Namespace) -> int:
    found = services.sellers.list(pending_only=args.pending)
    rows = [
        (a.name, a.email, a.decision or "pending", when(a.created_at), str(a.id)) for a in found
    ]
    emit(
        args.json,
        [a.as_json() for a in found],
        lambda: table(("NAME", "EMAIL", "STATUS", "WHEN", "ID"), rows, "(no applications)"),
    )
    return 0


def seller_decide(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.errors import ValidationError

    try:
        application_id = uuid.UUID(args.application)
    except ValueError:
        raise ValidationError(
            f"ID {args.application!r} is not an application id; see `promptterm seller list`.",
            "application",
        ) from None
    done = services.sellers.decide(application_id, approve=args.approve)
    emit(args.json, done.as_json(), lambda: print(f"Application of {done.name} {done.decision}."))
    return 0
