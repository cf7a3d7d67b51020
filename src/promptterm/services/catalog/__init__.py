"""Catalog (seed 001): publish library items, find, review, buy and get them; sellers.

The face other layers import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.catalog.cart import CartService as CartService
    from promptterm.services.catalog.cart import cart_totals as cart_totals
    from promptterm.services.catalog.folder import CatalogFolderService as CatalogFolderService
    from promptterm.services.catalog.folder import FolderReport as FolderReport
    from promptterm.services.catalog.info import CartLine as CartLine
    from promptterm.services.catalog.info import ItemInfo as ItemInfo
    from promptterm.services.catalog.info import ItemPage as ItemPage
    from promptterm.services.catalog.info import PurchaseInfo as PurchaseInfo
    from promptterm.services.catalog.reviews import ReviewService as ReviewService
    from promptterm.services.catalog.rules import CURRENCIES as CURRENCIES
    from promptterm.services.catalog.rules import format_price as format_price
    from promptterm.services.catalog.sellers import ApplicationInfo as ApplicationInfo
    from promptterm.services.catalog.sellers import SellerService as SellerService
    from promptterm.services.catalog.service import SORTS as SORTS
    from promptterm.services.catalog.service import CatalogService as CatalogService

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "service": ("CatalogService", "SORTS"),
        "cart": ("CartService", "cart_totals"),
        "reviews": ("ReviewService",),
        "sellers": ("SellerService", "ApplicationInfo"),
        "info": ("ItemInfo", "ItemPage", "CartLine", "PurchaseInfo"),
        "rules": ("CURRENCIES", "format_price"),
        "folder": ("CatalogFolderService", "FolderReport"),
    },
)
