"""Activity: the user's log of provider calls and caught errors, its filters, export and
retention.

The face other domains import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.activity.export import EXPORT_FORMATS as EXPORT_FORMATS
    from promptterm.services.activity.export import write_export as write_export
    from promptterm.services.activity.model import ActivityFilter as ActivityFilter
    from promptterm.services.activity.model import ActivityPage as ActivityPage
    from promptterm.services.activity.model import CaughtError as CaughtError
    from promptterm.services.activity.model import Cursor as Cursor
    from promptterm.services.activity.model import EntryInfo as EntryInfo
    from promptterm.services.activity.model import ProviderCall as ProviderCall
    from promptterm.services.activity.query import parse_filter as parse_filter
    from promptterm.services.activity.query import parse_when as parse_when
    from promptterm.services.activity.recorder import ActivityRecorder as ActivityRecorder
    from promptterm.services.activity.service import ActivityService as ActivityService
    from promptterm.services.activity.service import caught as caught
    from promptterm.services.activity.settings import ActivitySettings as ActivitySettings

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "model": (
            "ActivityFilter",
            "ActivityPage",
            "CaughtError",
            "Cursor",
            "EntryInfo",
            "ProviderCall",
        ),
        "query": ("parse_filter", "parse_when"),
        "recorder": ("ActivityRecorder",),
        "service": ("ActivityService", "caught"),
        "settings": ("ActivitySettings",),
        "export": ("EXPORT_FORMATS", "write_export"),
    },
)
