"""A read-only view that renders only the lines on screen (a ScrollView with a line cache).

The base of the diff view and of the read-only view of files too big to edit: however long
the content, a repaint costs what the visible lines cost.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LineView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LineView {
        background: $surface;
    }
    LineView:focus {
        background-tint: $foreground 2%;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(2048)

    # What subclasses provide --------------------------------------------------------------

    def line_count(self) -> int:
        raise NotImplementedError

    def content_width(self, width: int) -> int:
        """The width of the widest line (the view scrolls sideways up to it)."""
        return width

    def build_line(self, y: int, width: int) -> Text:
        raise NotImplementedError

    # Rendering ------------------------------------------------------------------------------

    def reset(self) -> None:
        """The content changed: forget rendered lines and measure again."""
        self._strips.clear()
        width = self.scrollable_content_region.width or self.size.width
        self.virtual_size = Size(self.content_width(width), self.line_count())
        self.refresh()

    def on_resize(self, _event: events.Resize) -> None:
        self.reset()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a new theme: colours come from component classes

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= self.line_count():
            return Strip.blank(width, style)
        key = (index, width)
        strip = self._strips.get(key)
        if strip is None:
            text = self.build_line(index, width)
            text.no_wrap = True
            # The widget's style under every cell, so text and padding share its background.
            strip = Strip(list(text.render(self.app.console)), text.cell_len).apply_style(style)
            self._strips[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_offsets(scroll_x, index)

    def go_to_line(self, index: int) -> None:
        """Scroll so that line ``index`` (0-based) is near the top."""
        self.scroll_to(y=max(0, index - 2), animate=False)
