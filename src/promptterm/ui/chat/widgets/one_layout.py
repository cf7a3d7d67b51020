"""One layout per change of size, not two, for the widgets a streaming answer grows.

When a layout finds a widget's size changed, Textual sets the widget's new virtual size as a
reactive that asks for a whole-screen layout again. That first layout has already placed
everything, an anchored transcript scrolled to its end included (the compositor does that
while it arranges), and scrollbars are updated either way; the second pass finds nothing
to move and repaints what was just painted. For an answer that grows a line at a time, that
was half the layouts (and most of the CPU) of a stream. ``Resize`` events are still sent, so
a widget that reacts to its size still does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.geometry import Size


class OneLayout:
    """Mixed in before a Textual widget class: its size changes cost one layout (while
    ``one_layout`` says so). Not a Widget itself: Textual would apply Widget's default
    styles again at this level, over those of the class it is mixed into."""

    @property
    def one_layout(self) -> bool:
        return True

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        layout = layout and not self.one_layout
        grown = super()._size_updated  # type: ignore[misc]
        return bool(grown(size, virtual_size, container_size, layout=layout))
