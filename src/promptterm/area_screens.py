"""Each area's screen as the App's modes build it: one factory an area, keyed by its name.

The App (app.py) wires these up; nothing in ui/ imports this module, as none imports the App.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


# Each area's screen, imported on first use so that the App module stays cheap to import.
def _explorer() -> Screen:
    from promptterm.ui.explorer.screen import ExplorerScreen

    return ExplorerScreen()


def _editor() -> Screen:
    from promptterm.ui.editor.screen import EditorScreen

    return EditorScreen()


def _chat() -> Screen:
    from promptterm.ui.chat.screen import ChatScreen

    return ChatScreen()


def _library() -> Screen:
    from promptterm.ui.library.screen import LibraryScreen

    return LibraryScreen()


def _billing() -> Screen:
    from promptterm.ui.billing.screen import BillingScreen

    return BillingScreen()


def _plan() -> Screen:
    from promptterm.ui.plan.screen import PlanScreen

    return PlanScreen()


def _mcp() -> Screen:
    from promptterm.ui.mcp.screen import McpScreen

    return McpScreen()


def _catalog() -> Screen:
    from promptterm.ui.catalog.screen import CatalogScreen

    return CatalogScreen()


SCREENS: dict[str, Callable[[], Screen]] = {
    "explorer": _explorer,
    "editor": _editor,
    "chat": _chat,
    "library": _library,
    "billing": _billing,
    "plan": _plan,
    "mcp": _mcp,
    "catalog": _catalog,
}

# Areas whose modules are imported while the user is still on the first screen (app.py):
# the plan area's first open has a target (under 100 ms to a board of thousands), and its
# modules alone took most of that to import on the key press. A module here may also define
# ``prepare_ahead(services)``: what its first open would otherwise do once per session
# outside its widgets (reads only; an error there is logged and the open does it itself).
IMPORTED_AHEAD = ("promptterm.ui.plan.screen",)
