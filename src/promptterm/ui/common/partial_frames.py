"""A frame that repaints part of the screen renders only the widgets in that part.

Textual's compositor picks the widgets of a partial frame by their clip, the region of the
container that clips them. For every widget placed straight in the screen, or in a container
that does not scroll, that is the whole screen: the header, the footer, the status line,
every pane and its containers were rendered on each frame whatever changed, then thrown
away as outside the part repainted. While an answer streams at 100 tokens a second, that was
about half of each frame's cost (3 of 5.6 ms, measured at 80x24 in the chat), ten frames a
second; it is the same on every key echoed. Here a widget takes part when what it shows
(its region within its clip) overlaps the part repainted. What reaches the terminal is the
same: only the part repainted is written, and nothing outside it was drawn there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual._compositor import Compositor
from textual.geometry import Region

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.strip import Strip


class PartialFrames(Compositor):
    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None:
            yield from super()._get_renders(crop)
            return
        painted: list[Region] = []  # what the widgets in front paint of the part repainted
        for widget, (region, clip) in self.visible_widgets.items():
            # Only the rows repainted, across what the widget shows.
            band = clip.intersection(Region(clip.x, crop.y, clip.width, crop.height))
            shown = region.intersection(band)
            seen = shown.intersection(crop)
            if not seen.area:
                continue
            if _covered(seen, painted):
                # Hidden behind widgets in front: the compositor keeps the first widget drawn
                # at a place, so these lines would be drawn and thrown away (a streaming
                # answer's message, transcript and containers, on every draw).
                continue
            painted.append(seen)
            x, y, width, height = shown
            lines = Region(x - region.x, y - region.y, width, height)
            yield region, band, widget.render_lines(lines)


def _covered(area: Region, fronts: list[Region]) -> bool:
    """Whether ``fronts`` together cover ``area``."""
    fronts = [front for front in fronts if front.overlaps(area)]
    # Which fronts cross a row changes only at their top and bottom edges: a row per stretch.
    edges = {area.y, *(front.y for front in fronts), *(front.bottom for front in fronts)}
    for y in sorted(edge for edge in edges if area.y <= edge < area.bottom):
        x = area.x
        for front in sorted((f for f in fronts if f.y <= y < f.bottom), key=_left):
            if front.x > x:
                break
            x = max(x, front.right)
        if x < area.right:
            return False
    return True


def _left(region: Region) -> int:
    return region.x
