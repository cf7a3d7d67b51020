"""The line under the code: path, version, cursor, language, and what state the file is in.

It changes on every cursor move, so it repaints itself only (never a layout pass): a
keystroke in a big file must stay within one frame. In a narrow window its parts shorten by
whole words (common/widgets/fitting.py), the least useful first.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from promptterm.links import safe_url
from promptterm.ui.common.widgets.fitting import Part, fit_parts


class InfoLine(Widget):
    DEFAULT_CSS = """
    InfoLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: tuple[Part, ...] = ()
        self.link: tuple[int, str] | None = None  # how many leading characters lead where

    @property
    def text(self) -> str:
        """Everything it says, at full length (what is drawn may be shorter)."""
        return fit_parts(self.parts, 10**6)

    def show(self, parts: Sequence[Part], link: tuple[int, str] | None = None) -> None:
        """``link``: the first N characters (the path) are a hyperlink to the URL."""
        if tuple(parts) != self.parts or link != self.link:
            self.parts, self.link = tuple(parts), link
            self.refresh()

    def render(self) -> Text:
        text = Text(fit_parts(self.parts, self.content_region.width), no_wrap=True)
        text.overflow = "ellipsis"
        if self.link is not None:
            # An OSC 8 hyperlink: ctrl/cmd+click opens the file where the terminal can.
            length, url = self.link
            text.stylize(Style(link=safe_url(url)), 0, min(length, len(text)))
        return text
