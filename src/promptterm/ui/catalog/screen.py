"""Catalog (area 7): find published prompts, components and presets; read an item's page;
review, buy and get them into the library; publish one's own.

The list loads in a worker from the search box and the filters (kind, free/paid, rating
floor, sort: each key cycles one); the highlighted item's page loads beside it (opening it
with enter counts a view, once a day). ``c`` shows the cart there instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Input, Static

from promptterm.services.catalog.rules import KINDS
from promptterm.ui.catalog.actions import CatalogActions
from promptterm.ui.catalog.messages import (
    CartLoaded,
    CatalogChanged,
    ItemsLoaded,
    PageLoaded,
    SalesLoaded,
)
from promptterm.ui.catalog.widgets.page import cart_content, page_content, sales_content
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine

if TYPE_CHECKING:
    from promptterm.services.catalog import ItemInfo

PRICES = ("any", "free", "paid")
RATINGS = (0, 3, 4, 5)
SORTS = ("rating", "downloads", "newest", "price")


ITEM_ACTIONS = ("add_to_cart", "remove_from_cart", "get", "review")


def _key(tooltip: str, key: str, action: str, label: str, show: bool = True) -> Binding:
    return Binding(
        key, action, label, show=show, id=f"catalog-{action.replace('_', '-')}", tooltip=tooltip
    )


class CatalogScreen(CatalogActions):
    AREA = "catalog"
    CSS_PATH = css_path("catalog.tcss")
    AUTO_FOCUS = "#catalog-list"
    SUB_TITLE = "Catalog"
    TYPING_TARGETS: ClassVar[dict[str, str]] = {"catalog-search": "catalog search"}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    HELP_PANES: ClassVar[dict[str, str]] = {
        "add_to_cart": "Cart", "remove_from_cart": "Cart", "checkout": "Cart", "cart": "Cart",
        "publish": "Selling", "sales": "Selling",
    }  # fmt: skip
    BINDINGS: ClassVar[list[BindingType]] = [
        _key("Search titles, descriptions and tags (#tag filters)", "slash", "search", "Search"),
        _key("Cycle the kind: any, component, preset, prompt", "k", "kind", "Kind", False),
        _key("Cycle the price filter: any, free, paid", "f", "price", "Free/paid", False),
        _key("Cycle the rating floor: any, 3, 4, 5 stars", "v", "rating", "Rating ≥", False),
        _key("Cycle the order: rating, downloads, newest, price", "o", "sort", "Sort"),
        _key("Put the highlighted item in the cart", "a", "add_to_cart", "Add to cart"),
        _key("Take the highlighted item out of the cart", "x", "remove_from_cart", "Remove", False),
        _key("Show the cart beside the list (again: the item)", "c", "cart", "Cart"),
        _key("Buy everything in the cart (asks first)", "b", "checkout", "Checkout"),
        _key("Copy the free or bought item into your library", "g", "get", "Get"),
        _key("Rate the highlighted item 1-5 stars (again: edit)", "s", "review", "Review"),
        _key("Publish a library item (free, or priced once approved)", "n", "publish", "Publish"),
        _key("What others bought from you (again: the item)", "S", "sales", "Sales", False),
        _key("Reload the list, the page and the cart", "r,f5", "refresh", "Refresh", False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None
        self.price = "any"
        self.min_rating = 0
        self.sort = "rating"
        self.showing_cart = False
        self.showing_sales = False
        self.bought = 0
        # Each is read in a thread, again as the user types or moves and after each write:
        # an answer older than the one shown is not shown over it.
        self.reads = {name: ReadOrder() for name in ("items", "page", "cart", "sales")}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalog-main"):
            with Vertical(id="catalog-left"):
                yield Input(placeholder="search… (#tag filters)", id="catalog-search")
                yield Static(id="catalog-filters")
                yield DataTable(id="catalog-list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="catalog-right"):
                yield Static("Loading…", id="catalog-page")
        yield StatusLine()
        yield AreaFooter()

    def on_mount(self) -> None:
        table = self.query_one("#catalog-list", DataTable)
        table.add_column("Title", key="title")
        table.add_column("Price", key="price")
        table.add_column("Rating", key="rating")
        table.add_column("Gets", key="gets")
        self._show_filters()

    def on_screen_resume(self) -> None:
        self._load_items()
        self._load_cart()

    # Loading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-items")
    def _load_items(self) -> None:
        read = self.reads["items"].start()
        words = self.query_one("#catalog-search", Input).value.split()
        tags = [w[1:] for w in words if w.startswith("#") and len(w) > 1]
        text = " ".join(w for w in words if not w.startswith("#"))
        items = self.services.catalog.search(
            text, kind=self.kind, tag=tags[0] if tags else None, price=self.price,  # type: ignore[arg-type]
            min_rating=self.min_rating or None, sort=self.sort,  # type: ignore[arg-type]
        )  # fmt: skip
        self.post_message(ItemsLoaded(items, read))

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-page")
    def _load_page(self, item_id: object, count_view: bool) -> None:
        read = self.reads["page"].start()
        page = self.services.catalog.page(item_id, count_view=count_view)  # type: ignore[arg-type]
        self.post_message(PageLoaded(page, read))

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-cart")
    def _load_cart(self) -> None:
        read = self.reads["cart"].start()
        cart = self.services.catalog_cart
        self.post_message(CartLoaded(cart.lines(), len(cart.purchases()), read))

    @on(ItemsLoaded)
    def _show_items(self, message: ItemsLoaded) -> None:
        if not self.reads["items"].is_newest(message.read):
            return  # read before a later search, filter or write whose own read is shown
        self.items = message.items
        table = self.query_one("#catalog-list", DataTable)
        keep = self.highlighted()
        table.clear()
        for item in self.items:
            table.add_row(
                item.title, item.price_text, f"{item.rating:.1f} ({item.review_count})",
                str(item.download_count), key=str(item.id),
            )  # fmt: skip
        if keep is not None and any(i.id == keep.id for i in self.items):
            table.move_cursor(row=table.get_row_index(str(keep.id)))
        if not self.items:
            self._page().update(
                Content.styled("No items match. n publishes one of yours.", "$text-muted")
            )
        elif not self._side_shown() and (item := self.highlighted()) is not None:
            self._load_page(item.id, False)
        self.refresh_bindings()  # an item to act on, or none: the list came from a thread
        self.keys_ready()

    @on(PageLoaded)
    def _show_page(self, message: PageLoaded) -> None:
        if not self.reads["page"].is_newest(message.read):
            return  # another item's, or read before a review or a purchase
        if not self._side_shown():
            self._page().update(page_content(message.page))

    @on(CartLoaded)
    def _show_cart(self, message: CartLoaded) -> None:
        if not self.reads["cart"].is_newest(message.read):
            return  # read before a change to the cart whose own read is shown
        self.cart, self.bought = message.lines, message.bought
        if self.showing_cart:
            self._page().update(cart_content(self.cart, self.bought))

    @on(CatalogChanged)
    def _changed(self, message: CatalogChanged) -> None:
        if message.note:
            self.notify(message.note)
        self._load_items()
        self._load_cart()
        if self.showing_sales:
            self._load_sales()

    # Moving and filtering ---------------------------------------------------------------

    def highlighted(self) -> ItemInfo | None:
        table = self.query_one("#catalog-list", DataTable)
        if not self.items or table.cursor_row < 0 or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # These act on the highlighted item: with none listed they would do nothing.
        if action in ITEM_ACTIONS:
            return self.is_mounted and self.highlighted() is not None
        return True

    @on(DataTable.RowHighlighted, "#catalog-list")
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        if (item := self.highlighted()) is not None and not self._side_shown():
            self._load_page(item.id, False)

    @on(DataTable.RowSelected, "#catalog-list")
    def _selected(self, _: DataTable.RowSelected) -> None:
        if (item := self.highlighted()) is not None:
            self.showing_cart = self.showing_sales = False
            self._load_page(item.id, True)  # opening it is a view

    @on(Input.Changed, "#catalog-search")
    def _search_changed(self) -> None:
        self._load_items()

    @on(Input.Submitted, "#catalog-search")
    def _search_done(self) -> None:
        self.query_one("#catalog-list", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#catalog-search", Input).focus()

    def action_kind(self) -> None:
        options: list[str | None] = [None, *KINDS]
        self.kind = options[(options.index(self.kind) + 1) % len(options)]
        self._refilter()

    def action_price(self) -> None:
        self.price = PRICES[(PRICES.index(self.price) + 1) % len(PRICES)]
        self._refilter()

    def action_rating(self) -> None:
        self.min_rating = RATINGS[(RATINGS.index(self.min_rating) + 1) % len(RATINGS)]
        self._refilter()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._refilter()

    def action_cart(self) -> None:
        self.showing_cart, self.showing_sales = not self.showing_cart, False
        if self.showing_cart:
            self._page().update(cart_content(self.cart, self.bought))
        elif (item := self.highlighted()) is not None:
            self._load_page(item.id, False)

    def action_sales(self) -> None:
        self.showing_sales, self.showing_cart = not self.showing_sales, False
        if self.showing_sales:
            self._page().update(Content.styled("Your sales\nLoading…", "$text-muted"))
            self._load_sales()
        elif (item := self.highlighted()) is not None:
            self._load_page(item.id, False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-sales")
    def _load_sales(self) -> None:
        read = self.reads["sales"].start()
        self.post_message(SalesLoaded(self.services.catalog_cart.sales(), read))

    @on(SalesLoaded)
    def _show_sales(self, message: SalesLoaded) -> None:
        if not self.reads["sales"].is_newest(message.read):
            return  # read before a sale whose own read is shown
        if self.showing_sales:
            self._page().update(sales_content(message.sales, self.now()))

    def _side_shown(self) -> bool:
        """The cart or the sales are beside the list, not the highlighted item's page."""
        return self.showing_cart or self.showing_sales

    def action_refresh(self) -> None:
        self._load_items()
        self._load_cart()

    def _refilter(self) -> None:
        self._show_filters()
        self._load_items()

    def _show_filters(self) -> None:
        rating = f"≥{self.min_rating}★" if self.min_rating else "any"
        self.query_one("#catalog-filters", Static).update(
            Content.assemble(
                ("kind ", "$text-muted"),
                self.kind or "any",
                (" · price ", "$text-muted"),
                self.price,
                (" · rating ", "$text-muted"),
                rating,
                (" · sort ", "$text-muted"),
                self.sort,
            )
        )

    def _page(self) -> Static:
        return self.query_one("#catalog-page", Static)
