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
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            if shown.area and crop.overlaps(shown):
                x, y, width, height = shown
                lines = Region(x - region.x, y - region.y, width, height)
                yield region, clip, widget.render_lines(lines)
