"""How the transcript follows a streaming answer, and lets go of it for the reader.

While the transcript follows its end, the answer streaming there shows at most the
transcript's height of rows, its newest (stream_body.py): it then grows with no layout. Its
older rows are above the transcript's top, so the screen looks the same. The moment the
reader scrolls, in any way Textual offers (keys, wheel, scroll bar), the whole answer is
shown first and the scroll position moved by the rows that appeared above, so that what is
on screen stays put and the scroll goes from there: one row up shows the row above, not the
answer's first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.geometry import Size

if TYPE_CHECKING:
    from promptterm.ui.chat.widgets.stream_body import StreamBody


class FollowsStream:
    """Mixed in before Textual's VerticalScroll (not a Widget itself, as ``OneLayout``)."""

    def streaming_body(self) -> StreamBody | None:
        """The answer streaming at the end, if any."""
        raise NotImplementedError

    def rows_followed(self) -> int | None:
        widget: Any = self
        if widget.is_anchored and not widget._anchor_released:
            height: int = widget.scrollable_content_region.height
            return height
        return None

    def show_whole_answer(self) -> None:
        """Before the reader moves: the streaming answer whole, what is on screen kept."""
        body = self.streaming_body()
        if body is None:
            return
        hidden, grown = body.uncap()
        if not (hidden or grown):
            return
        widget: Any = self
        width, height = widget.virtual_size
        widget.virtual_size = Size(width, height + grown)  # so the new position is in range
        widget.scroll_target_y = widget.scroll_y = widget.scroll_y + hidden

    def refit_answer(self) -> None:
        """The transcript's height changed: so does the streaming answer's cap."""
        body = self.streaming_body()
        if body is not None:
            body.refresh(layout=True)

    # Every way Textual scrolls on the reader's behalf. The relative ones count from the scroll
    # position, so the answer is shown whole before they read it.

    def release_anchor(self) -> None:
        self.show_whole_answer()
        super().release_anchor()  # type: ignore[misc]

    def scroll_relative(self, *args: Any, **kwargs: Any) -> None:
        self.show_whole_answer()
        super().scroll_relative(*args, **kwargs)  # type: ignore[misc]

    def scroll_up(self, *args: Any, **kwargs: Any) -> None:
        self.show_whole_answer()
        super().scroll_up(*args, **kwargs)  # type: ignore[misc]

    def scroll_down(self, *args: Any, **kwargs: Any) -> None:
        self.show_whole_answer()
        super().scroll_down(*args, **kwargs)  # type: ignore[misc]

    def scroll_page_up(self, *args: Any, **kwargs: Any) -> None:
        self.show_whole_answer()
        super().scroll_page_up(*args, **kwargs)  # type: ignore[misc]

    def scroll_page_down(self, *args: Any, **kwargs: Any) -> None:
        self.show_whole_answer()
        super().scroll_page_down(*args, **kwargs)  # type: ignore[misc]

    def _scroll_up_for_pointer(self, *args: Any, **kwargs: Any) -> bool:
        self.show_whole_answer()
        return bool(super()._scroll_up_for_pointer(*args, **kwargs))  # type: ignore[misc]

    def _scroll_down_for_pointer(self, *args: Any, **kwargs: Any) -> bool:
        self.show_whole_answer()
        return bool(super()._scroll_down_for_pointer(*args, **kwargs))  # type: ignore[misc]
