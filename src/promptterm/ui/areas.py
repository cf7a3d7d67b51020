"""The registry of areas: each is a screen (an App mode) reachable by one key and the palette.

Later issues add the editor, chat, library and billing by appending an ``Area`` here; the App,
the help screen and the command palette pick them up without further changes. Only areas
that exist are registered: a key that leads to a "coming soon" page would be a broken promise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class Area:
    name: str  # the App mode, the palette prefix ("explorer: ...") and the binding id suffix
    title: str
    key: str  # one key that survives tmux and SSH
    description: str
    factory: Callable[[], Screen]


def _explorer() -> Screen:
    # Imported on first use so that the App module stays cheap to import.
    from promptterm.ui.screens.explorer import ExplorerScreen

    return ExplorerScreen()


AREAS: tuple[Area, ...] = (
    Area(
        name="explorer",
        title="Explorer",
        key="1",
        description="Workspaces, projects, files and threads",
        factory=_explorer,
    ),
)

DEFAULT_AREA = AREAS[0].name


def area_bindings() -> list[Binding]:
    """One hidden binding per area (the help screen and the palette list them)."""
    return [
        Binding(
            area.key,
            f"app.switch_mode('{area.name}')",
            f"Go to {area.title.lower()}",
            show=False,
            id=f"app-area-{area.name}",
            tooltip=area.description,
        )
        for area in AREAS
    ]


def area_of(mode: str) -> Area | None:
    return next((area for area in AREAS if area.name == mode), None)
