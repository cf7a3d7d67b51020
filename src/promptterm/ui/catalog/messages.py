"""What the catalog screen's workers post back (workers never touch widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from promptterm.services.catalog import CartLine, ItemInfo, ItemPage, PurchaseInfo


@dataclass
class ItemsLoaded(Message):
    items: list[ItemInfo]
    read: int = 0  # its number in CatalogScreen.reads[...] (an older read is not shown)


@dataclass
class PageLoaded(Message):
    page: ItemPage
    read: int = 0  # its number in CatalogScreen.reads[...] (an older read is not shown)


@dataclass
class CartLoaded(Message):
    lines: list[CartLine]
    bought: int  # items bought so far
    read: int = 0  # its number in CatalogScreen.reads[...] (an older read is not shown)


@dataclass
class SalesLoaded(Message):
    sales: list[PurchaseInfo]
    read: int = 0  # its number in CatalogScreen.reads[...] (an older read is not shown)


@dataclass
class CatalogChanged(Message):
    """A publish, review, purchase or get went through: say so, reload what shows."""

    note: str
